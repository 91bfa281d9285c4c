/**
 * Editing the draft: /salt track, details, layer add|edit|remove, sidechain, timing; the card's
 * edit buttons; the layer picker; the Next buttons of the multi-step forms; and every edit modal's
 * submit. Each opens its modal prefilled with the current values (the version stamped into the
 * custom_id); each submit merges field by field against that version (src/discord/forms.ts),
 * answers privately and updates the public card in place.
 */
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  type APIMessageComponentInteraction,
  type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { LIMITS, type Spec } from '../../src/domain/spec.js';
import type { CommandModule, ComponentHandler, FormHandler, Invocation } from '../../src/discord/command.js';
import { refreshCard } from '../../src/discord/cardSync.js';
import { encodeAction, type Action } from '../../src/discord/customId.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { openForm, savedLines, submitForm, validated, type SubmitOutcome } from '../../src/discord/forms.js';
import { layerIndex, unknownLayer } from '../../src/discord/forms/common.js';
import { LAYER_FORMS, NEXT_FORM, editForm, isEditForm, type EditFormId } from '../../src/discord/forms/index.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { button, ephemeral, row, safe, type Reply } from '../../src/discord/reply.js';
import type { DraftRecord } from '../../src/store/types.js';

// ---- opening forms ----

async function currentRecord(inv: Invocation): Promise<DraftRecord> {
  const record = await inv.deps.store.drafts.get(scopeOf(inv.interaction));
  if (!record) throw new UserError('errors.noDraft');
  return record;
}

function checkCanAdd(spec: Spec): void {
  if (spec.layers.length >= LIMITS.layers) throw new UserError('forms.edit.layerLimit', { max: LIMITS.layers });
}

/** The prefilled modal of a form for the current draft (a layer form checks the layer exists). */
async function open(inv: Invocation, form: EditFormId, layer?: string): Promise<Reply> {
  const record = await currentRecord(inv);
  if (layer !== undefined) layerIndex(record.spec, layer);
  else if (form === 'layer1') checkCanAdd(record.spec);
  else if (LAYER_FORMS.includes(form)) throw new UserError('errors.outdated');
  const tr = inv.locales.t;
  return openForm(editForm(form, tr), record, tr, layer);
}

// ---- saving forms ----

/** What other members saved between the member's base version and their save (when none of it touched this form). */
async function meanwhile(inv: Invocation, outcome: SubmitOutcome, base: number): Promise<string | undefined> {
  if (outcome.others.length === 0 || outcome.changedUnder.length > 0) return undefined;
  const history = outcome.history ?? (await inv.deps.store.drafts.history(scopeOf(inv.interaction)));
  const parts = [
    ...new Set(
      history
        .filter((h) => h.version > base && h.version <= outcome.previous.version && h.actor.id !== inv.actor.id)
        .reverse()
        .map((h) => h.summary),
    ),
  ];
  return inv.locales.t('forms.edit.savedMeanwhile', { names: outcome.others.join(', '), parts: parts.join(', ') || '—' });
}

const saveForm: FormHandler = async (inv, action) => {
  if (!isEditForm(action.form)) throw new UserError('errors.outdated');
  const form = action.form;
  const tr = inv.locales.t;
  const def = editForm(form, tr);
  if (LAYER_FORMS.includes(form) && form !== 'layer1' && action.layer === undefined) throw new UserError('errors.outdated');
  const outcome = await submitForm(def, inv, action.base, action.layer);
  const lines = savedLines(outcome, tr, def.title(tr, outcome.layer));
  const note = await meanwhile(inv, outcome, action.base);
  if (note) lines.push(note);
  const next = NEXT_FORM[form];
  const components = next
    ? [
        row(
          button(
            encodeAction({ kind: 'next', form: next, ...(outcome.layer && LAYER_FORMS.includes(next) ? { layer: outcome.layer } : {}) }),
            tr('common.next', { step: tr(`forms.steps.${next}`) }),
            ButtonStyle.Primary,
          ),
        ),
      ]
    : undefined;
  const { deps, locales } = inv;
  const scope = scopeOf(inv.interaction);
  return { ...ephemeral(lines.join('\n'), components), after: () => refreshCard(deps, scope, locales.guild, outcome.record) };
};

// ---- layers: pick, remove ----

function layerSelect(spec: Spec, op: 'edit' | 'remove', placeholder: string): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: encodeAction({ kind: 'layerpick', op }),
    placeholder: clip(placeholder, DISCORD_LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options: spec.layers.slice(0, DISCORD_LIMITS.selectOptions).map((l) => ({
      value: l.id,
      label: l.id,
      description: clip(`${l.role} · ${l.ltv.texture.join(', ')}`, DISCORD_LIMITS.selectOptionDescription),
    })),
  };
}

async function pickLayer(inv: Invocation, op: 'edit' | 'remove'): Promise<Reply> {
  const record = await currentRecord(inv);
  const tr = inv.locales.t;
  return ephemeral(tr('common.pickLayer'), [row(layerSelect(record.spec, op, tr('common.pickLayerPlaceholder')))]);
}

/** The private "remove layer X?" question with a confirm and a cancel button. */
async function askRemove(inv: Invocation, layer: string): Promise<Reply> {
  const record = await currentRecord(inv);
  layerIndex(record.spec, layer);
  if (record.spec.layers.length <= 1) throw new UserError('forms.edit.lastLayer', { layer });
  const tr = inv.locales.t;
  return ephemeral(tr('forms.edit.removeAsk', { layer }), [
    row(
      button(encodeAction({ kind: 'confirm', what: 'remove', arg: layer }), tr('forms.edit.removeConfirm'), ButtonStyle.Danger),
      button(encodeAction({ kind: 'cancel' }), tr('common.cancel')),
    ),
  ]);
}

/**
 * The confirm button of a layer removal (`confirm` with what 'remove', arg = layer id). The router
 * has one `confirm` handler (commands/salt/draft.ts), which delegates here.
 */
export async function confirmRemove(inv: Invocation<APIMessageComponentInteraction>, action: Extract<Action, { kind: 'confirm' }>): Promise<Reply> {
  const layer = action.arg ?? '';
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const part = `layer remove ${layer}`;
  const { record } = await inv.deps.store.drafts.update(
    scope,
    inv.actor,
    part,
    (current) => {
      const index = layerIndex(current.spec, layer);
      if (current.spec.layers.length <= 1) throw new UserError('forms.edit.lastLayer', { layer });
      const layers = current.spec.layers.filter((_, i) => i !== index);
      return { ...current, spec: validated({ ...current.spec, layers }, tr) };
    },
    { parts: [part] },
  );
  const { deps, locales } = inv;
  return {
    response: {
      type: InteractionResponseType.UpdateMessage,
      data: safe({ content: tr('forms.edit.removed', { layer, version: record.version }), components: [] }),
    },
    after: () => refreshCard(deps, scope, locales.guild, record),
  };
}

const layerpick: ComponentHandler<Extract<Action, { kind: 'layerpick' }>> = async (inv, action) => {
  const values = (inv.interaction.data as { values?: unknown }).values;
  const layer = Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
  if (!layer) {
    const record = await currentRecord(inv);
    throw unknownLayer(record.spec, '');
  }
  return action.op === 'edit' ? open(inv, 'layer1', layer) : askRemove(inv, layer);
};

const next: ComponentHandler<Extract<Action, { kind: 'next' }>> = async (inv, action) => {
  if (!isEditForm(action.form)) throw new UserError('errors.outdated');
  return open(inv, action.form, action.layer);
};

// ---- definitions ----

const sub = (path: string, options: APIApplicationCommandSubcommandOption['options'] = []): APIApplicationCommandSubcommandOption => ({
  type: ApplicationCommandOptionType.Subcommand,
  ...named(path),
  ...(options.length ? { options } : {}),
});

const layerOption = (path: string) => ({
  type: ApplicationCommandOptionType.String as const,
  ...named(path),
  required: true,
  autocomplete: true as const,
  max_length: LIMITS.layerId,
});

const layerGroup: APIApplicationCommandSubcommandGroupOption = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  ...named('salt.layer'),
  options: [sub('salt.layer.add'), sub('salt.layer.edit', [layerOption('salt.layer.edit.layer')]), sub('salt.layer.remove', [layerOption('salt.layer.remove.layer')])],
};

function layerArg(options: ReadonlyMap<string, { value?: unknown }>): string {
  const v = options.get('layer')?.value;
  return typeof v === 'string' ? v.trim() : '';
}

async function layerChoices(inv: Invocation, query: unknown) {
  const record = await inv.deps.store.drafts.get(scopeOf(inv.interaction));
  const q = String(query ?? '').trim().toLowerCase();
  return (record?.spec.layers ?? [])
    .filter((l) => l.id.includes(q))
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((l) => ({ name: clip(`${l.id} (${l.role})`, DISCORD_LIMITS.choiceName), value: l.id }));
}

const forms = Object.fromEntries(
  (['track', 'details', 'layer1', 'layer2', 'layer3', 'sidechain', 'timing1', 'timing2'] as const).map((f) => [f, saveForm]),
) as Record<EditFormId, FormHandler>;

export const editModule: CommandModule = {
  options: [sub('salt.track'), sub('salt.details'), layerGroup, sub('salt.sidechain'), sub('salt.timing')],
  confirms: { remove: confirmRemove },
  run: {
    track: (inv) => open(inv, 'track'),
    details: (inv) => open(inv, 'details'),
    sidechain: (inv) => open(inv, 'sidechain'),
    timing: (inv) => open(inv, 'timing1'),
    'layer add': (inv) => open(inv, 'layer1'),
    'layer edit': (inv, options) => open(inv, 'layer1', layerArg(options)),
    'layer remove': (inv, options) => askRemove(inv, layerArg(options)),
  },
  autocomplete: {
    'layer edit layer': (inv, focused) => layerChoices(inv, focused.value),
    'layer remove layer': (inv, focused) => layerChoices(inv, focused.value),
  },
  cardSteps: {
    track: (inv) => open(inv, 'track'),
    details: (inv) => open(inv, 'details'),
    sidechain: (inv) => open(inv, 'sidechain'),
    timing: (inv) => open(inv, 'timing1'),
    layeradd: (inv) => open(inv, 'layer1'),
    layeredit: (inv) => pickLayer(inv, 'edit'),
    layerremove: (inv) => pickLayer(inv, 'remove'),
  },
  components: { layerpick, next },
  forms,
};

