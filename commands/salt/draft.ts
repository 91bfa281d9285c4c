/**
 * /salt new and /salt show, the card's Refresh and Preview buttons, and the answer to outdated
 * components (a friendly note and a fresh card).
 */
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIApplicationCommandSubcommandOption,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import { ChartBusyError, renderChartPngInWorker } from '../../src/chart/pool.js';
import { ALL_KEY_NAMES, normalizeKey, parseKey } from '../../src/domain/key.js';
import { getBuiltinPreset, loadBuiltinPresets } from '../../src/domain/presets.js';
import { renderPrompt } from '../../src/domain/render.js';
import type { Spec } from '../../src/domain/spec.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { cardMessage } from '../../src/discord/card.js';
import { refreshCard, rememberGuildLocale } from '../../src/discord/cardSync.js';
import { encodeAction } from '../../src/discord/customId.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { validated } from '../../src/discord/forms.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { button, ephemeral, row, safe, textDisplay, type OutgoingFile, type Reply } from '../../src/discord/reply.js';
import type { DraftRecord, Scope } from '../../src/store/types.js';

/** The spec a blank `/salt new` starts from: one supersaw core at 128 BPM in A minor. */
export function starterSpec(): Spec {
  return validated(
    {
      version: 1,
      track: { bpm: 128, key: 'A minor', style: 'progressive house', references: [] },
      layers: [
        {
          id: 'supersaw_core',
          role: 'core',
          ltv: { texture: ['rich', 'glassy'], brightness: 'bright', movement: { kind: 'breathing', qualifier: 'sidechain' }, density: 'massive', edge: 'sharp' },
        },
      ],
    },
    (k) => k,
  );
}

/** Looks a preset up among the built-ins, then the server's saved presets. */
export async function findPreset(inv: Invocation, guildId: string, name: string): Promise<{ name: string; spec: Spec } | undefined> {
  const builtin = getBuiltinPreset(name);
  if (builtin) return { name: builtin.name, spec: builtin.spec };
  const saved = await inv.deps.store.presets.get(guildId, name);
  return saved ? { name: saved.name, spec: saved.spec } : undefined;
}

/** Encodes /salt new's choices for the Replace button: "<preset|->~<bpm|->~<pc><m|M|->". */
function encodeNewArgs(preset?: string, bpm?: number, key?: string): string {
  const k = key ? parseKey(key) : undefined;
  return `${preset ?? '-'}~${bpm ?? '-'}~${k ? `${k.pitchClass}${k.quality === 'minor' ? 'm' : 'M'}` : '-'}`;
}

function decodeNewArgs(arg: string): { preset?: string; bpm?: number; key?: string } {
  const [preset, bpm, key] = arg.split('~');
  const out: { preset?: string; bpm?: number; key?: string } = {};
  if (preset && preset !== '-') out.preset = preset;
  if (bpm && /^\d+$/.test(bpm)) out.bpm = Number(bpm);
  const m = key ? /^(\d{1,2})([mM])$/.exec(key) : null;
  if (m) out.key = ALL_KEY_NAMES[(m[2] === 'm' ? 12 : 0) + Number(m[1])];
  return out;
}

async function buildSpec(inv: Invocation, scope: Scope, args: { preset?: string; bpm?: number; key?: string }): Promise<Spec> {
  let spec = starterSpec();
  if (args.preset) {
    const found = await findPreset(inv, scope.guildId, args.preset);
    if (!found) throw new UserError('errors.unknownPreset', { name: clip(args.preset, 40) });
    spec = found.spec;
  }
  if (args.key !== undefined && !normalizeKey(args.key)) {
    throw new UserError('errors.invalid', {}, [inv.locales.t('errors.invalidField', { field: 'key', reason: inv.locales.t('forms.problems.key') })]);
  }
  return validated({ ...spec, track: { ...spec.track, ...(args.bpm !== undefined ? { bpm: args.bpm } : {}), ...(args.key ? { key: args.key } : {}) } }, inv.locales.t);
}

/** Starts (or replaces) the draft and answers with the public card. */
async function start(inv: Invocation, args: { preset?: string; bpm?: number; key?: string }, replace: boolean): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const spec = await buildSpec(inv, scope, args);
  const record = await inv.deps.store.drafts.create(scope, spec, inv.actor, { replace, parts: [args.preset ? `preset ${args.preset}` : 'create'] });
  const { deps, locales } = inv;
  return cardReply(inv, scope, record, () => rememberGuildLocale(deps, scope.guildId, locales.guild));
}

const newOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.new'),
  options: [
    { type: ApplicationCommandOptionType.String, ...named('salt.new.preset'), required: false, autocomplete: true, max_length: 32 },
    { type: ApplicationCommandOptionType.Integer, ...named('salt.new.bpm'), required: false, min_value: 60, max_value: 200 },
    { type: ApplicationCommandOptionType.String, ...named('salt.new.key'), required: false, autocomplete: true, max_length: 24 },
  ],
};

const showOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.show'),
  options: [{ type: ApplicationCommandOptionType.Boolean, ...named('salt.show.prompt'), required: false }],
};

export const CHART_FILE = 'salt-chart.png';

/**
 * The draft's picture as an attachment (undefined when it cannot be drawn: the prompt still goes
 * out). Drawn on the chart worker (src/chart/pool.ts), never on the event loop; cached by spec.
 */
export async function chartFile(inv: Pick<Invocation, 'deps'>, spec: Spec): Promise<OutgoingFile | undefined> {
  try {
    const data = await renderChartPngInWorker(spec);
    if (data.length > DISCORD_LIMITS.attachmentBytes) throw new Error(`chart is ${data.length} bytes`);
    return { name: CHART_FILE, data, contentType: 'image/png' };
  } catch (error) {
    // Busy (many pictures waiting): the message goes without one; not worth a warning each time.
    if (error instanceof ChartBusyError) inv.deps.log.debug({ err: error.message }, 'chart skipped: the render queue is full');
    else inv.deps.log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not draw the chart');
    return undefined;
  }
}

/** A media gallery showing the attached chart. */
export function chartGallery(description: string): APIMessageTopLevelComponent {
  return {
    type: ComponentType.MediaGallery,
    items: [{ media: { url: `attachment://${CHART_FILE}` }, description: clip(description, 1024) }],
  };
}

/**
 * The rendered prompt and the draft's picture, privately (Preview button, /salt show prompt:true).
 * The chart takes ~50 ms to draw on the worker (nothing when cached), well inside Discord's 3 s,
 * so it goes with the first response (the router's safety net defers after 2 s when the store or
 * the worker queue is slow).
 */
export async function previewReply(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const prompt = renderPrompt(record.spec);
  const body = '```\n' + prompt.replace(/```/g, "'''") + '\n```';
  const chart = await chartFile(inv, record.spec);
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: safe({
        flags: MessageFlags.Ephemeral | MessageFlags.IsComponentsV2,
        components: [
          textDisplay(clip(body, DISCORD_LIMITS.textDisplay)),
          ...(chart ? [chartGallery(inv.locales.t('card.preview.chartAlt', { version: record.version }))] : []),
        ],
        ...(chart ? { attachments: [{ id: '0', filename: CHART_FILE }] } : {}),
      }),
    },
    ...(chart ? { files: [chart] } : {}),
  };
}

/** Posts the card anew (public) for the current draft. */
async function showCard(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  return cardReply(inv, scope, record);
}

/**
 * Answers with the public card and, once it is posted, remembers its message id so later changes
 * edit this card in place.
 */
function cardReply(inv: Invocation, scope: Scope, record: DraftRecord, before?: () => Promise<void>): Reply {
  const { deps } = inv;
  const token = inv.interaction.token;
  return {
    response: { type: InteractionResponseType.ChannelMessageWithSource, data: cardMessage(record, inv.locales.guild) },
    after: async () => {
      await before?.();
      try {
        const original = await deps.api.getOriginal(token);
        await deps.store.drafts.setCardMessage(scope, original.id);
      } catch (error) {
        deps.log.warn({ err: String(error) }, 'could not learn the card message id');
      }
    },
  };
}

export const draftModule: CommandModule = {
  options: [newOption, showOption],
  run: {
    async new(inv, options) {
      const scope = scopeOf(inv.interaction);
      const args = {
        ...(typeof options.get('preset')?.value === 'string' ? { preset: String(options.get('preset')!.value) } : {}),
        ...(typeof options.get('bpm')?.value === 'number' ? { bpm: Number(options.get('bpm')!.value) } : {}),
        ...(typeof options.get('key')?.value === 'string' ? { key: String(options.get('key')!.value) } : {}),
      };
      const existing = await inv.deps.store.drafts.get(scope);
      if (existing) {
        // Validate now so the member learns about a bad preset/key before confirming.
        await buildSpec(inv, scope, args);
        const t = inv.locales.t;
        return ephemeral(t('common.replaceAsk', { version: existing.version, creator: existing.createdBy.name }), [
          row(
            button(encodeAction({ kind: 'confirm', what: 'replace', arg: encodeNewArgs(args.preset, args.bpm, args.key) }), t('common.replace'), ButtonStyle.Danger),
            button(encodeAction({ kind: 'cancel' }), t('common.cancel')),
          ),
        ]);
      }
      return start(inv, args, false);
    },
    async show(inv, options) {
      return options.get('prompt')?.value === true ? previewReply(inv) : showCard(inv);
    },
  },
  autocomplete: {
    async 'new preset'(inv, focused) {
      const q = String(focused.value ?? '').toLowerCase();
      const builtins = loadBuiltinPresets().map((p) => ({ name: p.name, title: p.title }));
      let saved: { name: string; title: string }[] = [];
      if (inv.interaction.guild_id) saved = await inv.deps.store.presets.list(inv.interaction.guild_id);
      return [...builtins, ...saved]
        .filter((p) => p.name.includes(q) || p.title.toLowerCase().includes(q))
        .slice(0, DISCORD_LIMITS.autocompleteChoices)
        .map((p) => ({ name: clip(`${p.name} — ${p.title}`, DISCORD_LIMITS.choiceName), value: p.name }));
    },
    async 'new key'(_inv, focused) {
      const q = String(focused.value ?? '').trim();
      const exact = q ? normalizeKey(q) : undefined;
      const names = exact ? [exact, ...ALL_KEY_NAMES.filter((k) => k !== exact)] : [...ALL_KEY_NAMES];
      const filtered = exact ? names : names.filter((k) => k.toLowerCase().includes(q.toLowerCase()));
      return filtered.slice(0, DISCORD_LIMITS.autocompleteChoices).map((k) => ({ name: k, value: k }));
    },
  },
  cardSteps: {
    async refresh(inv) {
      const scope = scopeOf(inv.interaction);
      const record = await inv.deps.store.drafts.get(scope);
      if (!record) throw new UserError('errors.noDraft');
      return { response: { type: InteractionResponseType.UpdateMessage, data: cardMessage(record, inv.locales.guild) } };
    },
    preview: (inv) => previewReply(inv),
  },
  confirms: {
    replace: (inv, action) => start(inv, decodeNewArgs(action.arg ?? ''), true),
  },
  components: {
    async cancel(inv) {
      return {
        response: {
          type: InteractionResponseType.UpdateMessage,
          data: safe({ content: inv.locales.t('common.cancelled'), components: [] }),
        },
      };
    },
  },
};

/** The answer to a component from an older saltbot: a note, and a fresh card when there is a draft. */
export async function outdatedReply(inv: Invocation): Promise<Reply> {
  const t = inv.locales.t;
  if (!inv.interaction.guild_id) return ephemeral(t('errors.outdated'));
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) return ephemeral(`${t('errors.outdated')}\n${t('errors.noDraft')}`);
  const { deps, locales } = inv;
  return {
    ...ephemeral(t('errors.outdated')),
    after: () => refreshCard(deps, scope, locales.guild, undefined, { force: true }),
  };
}
