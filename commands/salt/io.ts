/**
 * /salt export (the draft as a preset file) and /salt import (a spec or preset file, attached or
 * pasted, replaces the draft after validation that reports every problem).
 */
import {
  ApplicationCommandOptionType,
  ComponentType,
  type APIApplicationCommandSubcommandOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
} from 'discord-api-types/v10';
import { parseSpec, type SpecProblem } from '../../src/domain/parse.js';
import { PRESET_FORMAT, parsePreset, toPresetFile } from '../../src/domain/preset.js';
import type { Spec } from '../../src/domain/spec.js';
import type { Translator } from '../../src/i18n/index.js';
import type { CommandModule, Invocation, Options } from '../../src/discord/command.js';
import { refreshCard } from '../../src/discord/cardSync.js';
import { named } from '../../src/discord/definition.js';
import type { Deps } from '../../src/discord/deps.js';
import { UserError } from '../../src/discord/errors.js';
import { problemLines } from '../../src/discord/forms.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { deferred, ephemeral, type Reply } from '../../src/discord/reply.js';
import { errorReply } from '../../src/discord/router.js';
import { defaultTexts, presetName } from './preset.js';
import { v2Texts } from './misc.js';

/** The most an imported file may weigh. */
export const IMPORT_MAX_BYTES = 64 * 1024;
/** The most a pasted `json:` may hold (Discord's maximum for a string option). */
export const IMPORT_MAX_CHARS = 6000;

function kib(bytes: number): string {
  return `${Math.ceil(bytes / 1024)} KiB`;
}

// ---- export --------------------------------------------------------------------------------

async function exportReply(inv: Invocation, options: Options): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const rawName = options.get('name')?.value;
  const name = typeof rawName === 'string' && rawName.trim() ? presetName(rawName, tr, 'io.badName') : 'draft';
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const { title, description } = defaultTexts(record.spec, inv.actor, tr);
  const file = `${name}.json`;
  const data = Buffer.from(`${JSON.stringify(toPresetFile(name, title, description, record.spec), null, 2)}\n`, 'utf8');
  return v2Texts(
    [tr('io.exported', { version: record.version, file })],
    [{ type: ComponentType.File, file: { url: `attachment://${file}` } }],
    [{ name: file, data, contentType: 'application/json' }],
  );
}

// ---- import --------------------------------------------------------------------------------

/** Reads a body with a byte cap (used when no fetcher is injected). Discord's CDN hosts only. */
async function defaultFetch(url: string, maxBytes: number): Promise<string> {
  const u = new URL(url);
  if (u.protocol !== 'https:' || !/(^|\.)(discordapp\.(com|net)|discord\.com)$/.test(u.hostname)) throw new Error(`refusing to fetch ${u.hostname}`);
  const res = await fetch(u, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new TooLargeError(total);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class TooLargeError extends Error {
  constructor(readonly bytes: number) {
    super('too large');
  }
}

/** Every problem as a localized line, cut (with a count of the rest) to fit one message. */
function allProblemLines(problems: readonly SpecProblem[], tr: Translator, budget: number): string[] {
  const lines = problems.flatMap((p) => problemLines([p], tr));
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const more = tr('io.more', { count: lines.length - i });
    if (used + lines[i]!.length + 1 > budget - more.length - 1) {
      out.push(more);
      break;
    }
    out.push(lines[i]!);
    used += lines[i]!.length + 1;
  }
  return out;
}

interface Imported {
  spec: Spec;
  what: string;
}

/** Validates JSON text as a preset file or a bare spec; a UserError listing every problem. */
export function readImport(text: string, tr: Translator): Imported {
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'unreadable';
    throw new UserError('io.notJson', { detail: clip(detail.replace(/`/g, "'"), 200) });
  }
  const budget = DISCORD_LIMITS.content - tr('io.invalid').length - 20;
  const isPreset = typeof raw === 'object' && raw !== null && !Array.isArray(raw) && (raw as { format?: unknown }).format === PRESET_FORMAT;
  if (isPreset) {
    const result = parsePreset(raw);
    if (!result.ok) throw new UserError('io.invalid', {}, allProblemLines(result.problems, tr, budget));
    return { spec: result.value.spec, what: tr('io.whatPreset', { name: result.value.name, title: clip(result.value.title.replace(/[`*_~|]/g, ''), 60) }) };
  }
  const result = parseSpec(raw);
  if (!result.ok) throw new UserError('io.invalid', {}, allProblemLines(result.problems, tr, budget));
  return { spec: result.value, what: tr('io.whatSpec') };
}

/** Replaces (or starts) the channel's draft with an imported spec; the confirmation line. */
async function applyImport(inv: Invocation, imported: Imported): Promise<string> {
  const scope = scopeOf(inv.interaction);
  const { store } = inv.deps;
  const tr = inv.locales.t;
  const existing = await store.drafts.get(scope);
  if (existing) {
    const { record } = await store.drafts.update(scope, inv.actor, 'import', (current) => ({ ...current, spec: imported.spec }), { parts: ['import'] });
    return tr('io.imported', { what: imported.what, version: record.version });
  }
  await store.drafts.create(scope, imported.spec, inv.actor, { parts: ['import'] });
  return tr('io.importStarted', { what: imported.what });
}

function attachmentOf(inv: Invocation<APIChatInputApplicationCommandInteraction>, options: Options): APIAttachment | undefined {
  const id = options.get('file')?.value;
  if (typeof id !== 'string') return undefined;
  return inv.interaction.data.resolved?.attachments?.[id];
}

async function importReply(inv: Invocation<APIChatInputApplicationCommandInteraction>, options: Options): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const tr = inv.locales.t;
  const { deps, locales } = inv;
  const json = options.get('json')?.value;
  const hasFile = options.has('file');
  if (typeof json === 'string' && hasFile) throw new UserError('io.bothInputs');

  if (typeof json === 'string') {
    if (json.length > IMPORT_MAX_CHARS || Buffer.byteLength(json, 'utf8') > IMPORT_MAX_BYTES) {
      throw new UserError('io.tooLarge', { size: tr('io.chars', { count: json.length }), max: tr('io.chars', { count: IMPORT_MAX_CHARS }) });
    }
    const line = await applyImport(inv, readImport(json, tr));
    return { ...ephemeral(line), after: () => refreshCard(deps, scope, locales.guild) };
  }

  if (!hasFile) throw new UserError('io.needInput');
  const attachment = attachmentOf(inv, options);
  if (!attachment) throw new UserError('io.fetchFailed');
  if (attachment.size > IMPORT_MAX_BYTES) throw new UserError('io.tooLarge', { size: kib(attachment.size), max: kib(IMPORT_MAX_BYTES) });

  // Downloading may take a while: acknowledge first, answer by editing the deferred reply.
  const interaction = inv.interaction;
  const fetcher: NonNullable<Deps['fetchAttachment']> = deps.fetchAttachment ?? defaultFetch;
  return deferred(true, async () => {
    let reply: Reply;
    let changed = false;
    try {
      let text: string;
      try {
        text = await fetcher(attachment.url, IMPORT_MAX_BYTES);
      } catch (error) {
        if (error instanceof TooLargeError) throw new UserError('io.tooLarge', { size: kib(error.bytes), max: kib(IMPORT_MAX_BYTES) });
        deps.log.warn({ interactionId: interaction.id, err: String(error) }, 'could not fetch an import attachment');
        throw new UserError('io.fetchFailed');
      }
      if (Buffer.byteLength(text, 'utf8') > IMPORT_MAX_BYTES) {
        throw new UserError('io.tooLarge', { size: kib(Buffer.byteLength(text, 'utf8')), max: kib(IMPORT_MAX_BYTES) });
      }
      if (text.includes('\u0000')) throw new UserError('io.notText');
      reply = ephemeral(await applyImport(inv, readImport(text, tr)));
      changed = true;
    } catch (error) {
      reply = errorReply(error, interaction, deps);
    }
    const data = (reply.response as { data?: { content?: string } }).data;
    try {
      await deps.api.editOriginal(interaction.token, { content: data?.content ?? '', allowed_mentions: { parse: [] } });
    } catch (error) {
      deps.log.warn({ interactionId: interaction.id, err: String(error) }, 'could not answer an import');
    }
    if (changed) await refreshCard(deps, scope, locales.guild);
  });
}

// ---- definition ----------------------------------------------------------------------------

const exportOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.export'),
  options: [{ type: ApplicationCommandOptionType.String, ...named('salt.export.nameOption'), required: false, max_length: 32 }],
};

const importOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.import'),
  options: [
    { type: ApplicationCommandOptionType.Attachment, ...named('salt.import.file'), required: false },
    { type: ApplicationCommandOptionType.String, ...named('salt.import.json'), required: false, max_length: IMPORT_MAX_CHARS },
  ],
};

export const ioModule: CommandModule = {
  options: [exportOption, importOption],
  run: {
    export: (inv, options) => exportReply(inv, options),
    import: (inv, options) => importReply(inv, options),
  },
};
