/**
 * /salt preset list | show | apply | save | delete: the built-in presets and the ones a server
 * saved from its drafts.
 */
import {
  ApplicationCommandOptionType,
  type APIApplicationCommandOptionChoice,
  type APIApplicationCommandSubcommandGroupOption,
} from 'discord-api-types/v10';
import { lintSpec } from '../../src/domain/lint.js';
import { PresetNameSchema } from '../../src/domain/preset.js';
import { getBuiltinPreset, loadBuiltinPresets } from '../../src/domain/presets.js';
import { LIMITS, type Spec } from '../../src/domain/spec.js';
import type { Translator } from '../../src/i18n/index.js';
import type { CommandModule, Invocation, Options } from '../../src/discord/command.js';
import { layerLine, lintLines, sidechainLine, timingLine, trackLine } from '../../src/discord/card.js';
import { refreshCard } from '../../src/discord/cardSync.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { canManageMessages, scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { ephemeral, type Reply } from '../../src/discord/reply.js';
import { PRESET_LIMIT, PresetExistsError } from '../../src/store/index.js';
import type { Actor } from '../../src/store/types.js';
import { findPreset } from './draft.js';
import { plainName, v2Texts } from './misc.js';

function str(options: Options, name: string): string | undefined {
  const v = options.get(name)?.value;
  return typeof v === 'string' ? v : undefined;
}

/** A name typed by a member, checked against the preset name rule; UserError when it breaks it. */
export function presetName(raw: string, tr: Translator, key: 'preset.badName' | 'io.badName' = 'preset.badName'): string {
  const name = raw.trim().toLowerCase();
  if (!PresetNameSchema.safeParse(name).success) throw new UserError(key, { name: clip(raw.replace(/`/g, "'"), 40), max: LIMITS.name });
  return name;
}

/** Default title and description for a spec saved or exported by `actor`. */
export function defaultTexts(spec: Spec, actor: Actor, tr: Translator): { title: string; description: string } {
  return {
    title: clip(tr('preset.defaultTitle', { style: spec.track.style, bpm: spec.track.bpm, key: spec.track.key }), LIMITS.title),
    description: clip(tr('preset.defaultDescription', { by: plainName(actor.name) }), LIMITS.description),
  };
}

// ---- list / show ---------------------------------------------------------------------------

async function list(inv: Invocation): Promise<Reply> {
  const { guildId } = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const builtins = loadBuiltinPresets();
  const saved = await inv.deps.store.presets.list(guildId);
  const line = (p: { name: string; title: string; spec: Spec }) =>
    tr('preset.line', { name: p.name, title: clip(p.title, 60), bpm: p.spec.track.bpm, key: p.spec.track.key });
  const builtinBlock = [tr('preset.builtinHeading', { count: builtins.length }), ...builtins.map(line)].join('\n');
  const savedBlock = [
    tr('preset.savedHeading', { count: saved.length, limit: PRESET_LIMIT }),
    ...(saved.length
      ? saved.map((p) =>
          tr('preset.savedLine', { name: p.name, title: clip(p.title, 60), bpm: p.spec.track.bpm, key: p.spec.track.key, by: plainName(p.savedBy.name) }),
        )
      : [tr('preset.noSaved')]),
  ].join('\n');
  return v2Texts([tr('preset.listHeading'), builtinBlock, savedBlock, tr('preset.listFooter')]);
}

async function show(inv: Invocation, options: Options): Promise<Reply> {
  const { guildId } = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const raw = str(options, 'name') ?? '';
  const builtin = getBuiltinPreset(raw);
  const saved = builtin ? undefined : await inv.deps.store.presets.get(guildId, raw.trim().toLowerCase());
  const preset = builtin ?? saved;
  if (!preset) throw new UserError('errors.unknownPreset', { name: clip(raw.replace(/`/g, "'"), 40) });
  const spec = preset.spec;
  const source = saved
    ? tr('preset.savedBy', { by: plainName(saved.savedBy.name), at: Math.floor(saved.savedAt / 1000) })
    : tr('preset.builtin');
  const layers = [tr('preset.layers', { count: spec.layers.length }), ...spec.layers.map((_, i) => layerLine(spec, i, tr))].join('\n');
  return v2Texts([
    `${tr('preset.showHeading', { title: preset.title, name: preset.name })}\n${preset.description}\n${source}`,
    [trackLine(spec, tr), sidechainLine(spec, tr), timingLine(spec, tr)].join('\n'),
    layers,
    lintLines(lintSpec(spec), tr, 5),
    tr('preset.showFooter', { name: preset.name }),
  ]);
}

// ---- apply / save / delete -----------------------------------------------------------------

async function apply(inv: Invocation, options: Options): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const raw = str(options, 'name') ?? '';
  const found = await findPreset(inv, scope.guildId, raw.trim().toLowerCase());
  if (!found) throw new UserError('errors.unknownPreset', { name: clip(raw.replace(/`/g, "'"), 40) });
  const { deps, locales } = inv;
  const existing = await deps.store.drafts.get(scope);
  const part = `preset ${found.name}`;
  let message: string;
  if (existing) {
    const { record } = await deps.store.drafts.update(scope, inv.actor, part, (current) => ({ ...current, spec: found.spec }), { parts: [part] });
    message = tr('preset.applied', { name: found.name, version: record.version });
  } else {
    await deps.store.drafts.create(scope, found.spec, inv.actor, { parts: [part] });
    message = tr('preset.started', { name: found.name });
  }
  return { ...ephemeral(message), after: () => refreshCard(deps, scope, locales.guild) };
}

async function save(inv: Invocation, options: Options): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const name = presetName(str(options, 'name') ?? '', tr);
  if (getBuiltinPreset(name)) throw new UserError('preset.builtinName', { name });
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const defaults = defaultTexts(record.spec, inv.actor, tr);
  const title = clip(str(options, 'title')?.trim() || defaults.title, LIMITS.title);
  const description = clip(str(options, 'description')?.trim() || defaults.description, LIMITS.description);
  const overwrite = options.get('overwrite')?.value === true;
  const before = overwrite ? await inv.deps.store.presets.get(scope.guildId, name) : undefined;
  try {
    await inv.deps.store.presets.save(scope.guildId, { name, title, description, spec: record.spec, savedBy: inv.actor }, { overwrite });
  } catch (error) {
    if (error instanceof PresetExistsError) {
      const other = await inv.deps.store.presets.get(scope.guildId, name);
      throw new UserError('preset.exists', { name, by: plainName(other?.savedBy.name ?? '?') });
    }
    throw error;
  }
  return ephemeral(tr(before ? 'preset.overwritten' : 'preset.saved', { name, title }));
}

async function remove(inv: Invocation, options: Options): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const raw = (str(options, 'name') ?? '').trim().toLowerCase();
  const saved = await inv.deps.store.presets.get(scope.guildId, raw);
  if (!saved) {
    if (getBuiltinPreset(raw)) throw new UserError('preset.deleteBuiltin', { name: raw });
    throw new UserError('preset.notFound', { name: clip(raw.replace(/`/g, "'"), 40) });
  }
  if (saved.savedBy.id !== inv.actor.id && !canManageMessages(inv.interaction)) {
    throw new UserError('preset.notAllowed', { name: saved.name, by: plainName(saved.savedBy.name) });
  }
  await inv.deps.store.presets.delete(scope.guildId, saved.name);
  return ephemeral(tr('preset.deleted', { name: saved.name }));
}

// ---- autocomplete --------------------------------------------------------------------------

async function choices(inv: Invocation, query: unknown, withBuiltins: boolean): Promise<APIApplicationCommandOptionChoice[]> {
  const q = String(query ?? '').trim().toLowerCase();
  const builtins = withBuiltins ? loadBuiltinPresets().map((p) => ({ name: p.name, title: p.title })) : [];
  const saved = inv.interaction.guild_id ? await inv.deps.store.presets.list(inv.interaction.guild_id) : [];
  return [...builtins, ...saved.map((p) => ({ name: p.name, title: p.title }))]
    .filter((p) => p.name.includes(q) || p.title.toLowerCase().includes(q))
    .slice(0, DISCORD_LIMITS.autocompleteChoices)
    .map((p) => ({ name: clip(`${p.name} — ${p.title}`, DISCORD_LIMITS.choiceName), value: p.name }));
}

// ---- definition ----------------------------------------------------------------------------

const nameOption = (sub: string, autocomplete: boolean) => ({
  type: ApplicationCommandOptionType.String as const,
  ...named(`salt.preset.${sub}.nameOption`),
  required: true,
  max_length: LIMITS.name,
  ...(autocomplete ? { autocomplete: true } : {}),
});

const presetGroup: APIApplicationCommandSubcommandGroupOption = {
  type: ApplicationCommandOptionType.SubcommandGroup,
  ...named('salt.preset'),
  options: [
    { type: ApplicationCommandOptionType.Subcommand, ...named('salt.preset.list') },
    { type: ApplicationCommandOptionType.Subcommand, ...named('salt.preset.show'), options: [nameOption('show', true)] },
    { type: ApplicationCommandOptionType.Subcommand, ...named('salt.preset.apply'), options: [nameOption('apply', true)] },
    {
      type: ApplicationCommandOptionType.Subcommand,
      ...named('salt.preset.save'),
      options: [
        nameOption('save', false),
        { type: ApplicationCommandOptionType.String, ...named('salt.preset.save.title'), required: false, max_length: LIMITS.title },
        { type: ApplicationCommandOptionType.String, ...named('salt.preset.save.descriptionOption'), required: false, max_length: LIMITS.description },
        { type: ApplicationCommandOptionType.Boolean, ...named('salt.preset.save.overwrite'), required: false },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, ...named('salt.preset.delete'), options: [nameOption('delete', true)] },
  ],
};

export const presetModule: CommandModule = {
  options: [presetGroup],
  run: {
    'preset list': (inv) => list(inv),
    'preset show': (inv, o) => show(inv, o),
    'preset apply': (inv, o) => apply(inv, o),
    'preset save': (inv, o) => save(inv, o),
    'preset delete': (inv, o) => remove(inv, o),
  },
  autocomplete: {
    'preset show name': (inv, focused) => choices(inv, focused.value, true),
    'preset apply name': (inv, focused) => choices(inv, focused.value, true),
    'preset delete name': (inv, focused) => choices(inv, focused.value, false),
  },
};
