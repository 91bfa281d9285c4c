/**
 * /salt listen [bars] [notes] and the card's Listen button: a short loop of the draft's lead stack
 * over a four-on-the-floor kick, rendered on the preview worker (src/audio/pool.ts) and attached
 * as `salt-preview.wav` to a private message.
 *
 * The first response is always a private defer (type 5, ephemeral), sent before anything slow
 * (not even a store read), so Discord's 3-second deadline holds however long the render queue is.
 * Typed notes are checked before deferring: bad notes get an immediate private error naming the
 * bad word, and nothing is rendered. The answer is a plain (non-V2) message with the WAV as an
 * attachment, which Discord plays inline.
 */
import { ApplicationCommandOptionType, type APIApplicationCommandSubcommandOption, type RESTPatchAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { InvalidNotesError, parseNotes } from '../../src/audio/notes.js';
import { PreviewBusyError, PreviewTimeoutError, renderPreviewInWorker, type PreviewFile } from '../../src/audio/pool.js';
import { DEFAULT_BARS, MAX_BARS, PreviewOptionError } from '../../src/audio/render.js';
import { formatNumber } from '../../src/domain/render.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { named } from '../../src/discord/definition.js';
import type { Deps } from '../../src/discord/deps.js';
import { UserError } from '../../src/discord/errors.js';
import { scopeOf, type Locales } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { deferred, safe, type OutgoingFile, type Reply } from '../../src/discord/reply.js';
import type { MessageKey, Params } from '../../src/i18n/index.js';
import type { DraftRecord, Scope } from '../../src/store/types.js';

export const PREVIEW_FILE = 'salt-preview.wav';
/** Longest notes text accepted (32 notes of up to 4 characters, with separators). */
export const NOTES_MAX_LENGTH = 200;
/** Inferred values listed in the message (the rest are counted). */
const INFERRED_LINES = 8;

export interface ListenArgs {
  readonly bars: number;
  readonly notes?: string;
}

/** The UserError for notes that cannot be played (localized, naming the bad word). */
export function notesError(error: InvalidNotesError): UserError {
  const token = clip((error.token ?? '').replace(/[`\\]/g, ''), 12);
  const problem: Record<InvalidNotesError['reason'], MessageKey> = {
    empty: 'errors.notes.empty',
    'too-many': 'errors.notes.tooMany',
    'not-a-note': 'errors.notes.notANote',
    'out-of-range': 'errors.notes.outOfRange',
  };
  return new UserError(problem[error.reason], { token, max: 32 });
}

/** Bars as asked (Discord enforces 1-8; forged values are clamped). */
export function barsOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DEFAULT_BARS;
  return Math.min(MAX_BARS, Math.max(1, Math.round(value)));
}

/** The private answer's text: what was rendered, in the member's locale. */
export function listenText(record: DraftRecord, preview: PreviewFile, typedNotes: boolean, tr: (key: MessageKey, params?: Params) => string): string {
  const spec = record.spec;
  const lines = [
    tr('card.listen.heading', { version: record.version, bars: preview.bars, bpm: preview.bpm, key: spec.track.key, seconds: formatNumber(Math.round(preview.durationS * 10) / 10) }),
    typedNotes ? tr('card.listen.notesTyped', { notes: preview.notes.join(' ') }) : tr('card.listen.notesDefault', { notes: preview.notes.join(' '), key: spec.track.key }),
    tr('card.listen.layers', { layers: preview.layers.join(', ') }),
  ];
  if (preview.inferred.length > 0) {
    lines.push(tr('card.listen.inferredHeading'));
    for (const i of preview.inferred.slice(0, INFERRED_LINES)) {
      lines.push(tr('card.listen.inferredLine', { layer: i.layer, field: i.field, value: String(i.value), from: i.from }));
    }
    if (preview.inferred.length > INFERRED_LINES) lines.push(tr('card.listen.inferredMore', { count: preview.inferred.length - INFERRED_LINES }));
  }
  lines.push(tr('card.listen.footer'));
  return clip(lines.join('\n'), DISCORD_LIMITS.content);
}

/** The edit that answers the defer: the text, and the WAV attached when there is one. */
function message(content: string, file?: OutgoingFile): RESTPatchAPIChannelMessageJSONBody {
  return safe({
    content: clip(content, DISCORD_LIMITS.content),
    ...(file ? { attachments: [{ id: '0', filename: file.name }] } : {}),
  }) as RESTPatchAPIChannelMessageJSONBody;
}

/** The localized text of an expected failure, or undefined for an unexpected one. */
function failureText(error: unknown, locales: Locales): string | undefined {
  if (error instanceof InvalidNotesError) error = notesError(error);
  if (error instanceof PreviewTimeoutError) error = new UserError('errors.listenTimeout');
  if (error instanceof PreviewBusyError) error = new UserError('errors.listenBusy');
  if (error instanceof PreviewOptionError) error = new UserError('errors.generic');
  if (error instanceof UserError) return [locales.t(error.key, error.params), ...error.details].join('\n');
  return undefined;
}

/** Renders on the worker and edits the private placeholder into the answer. */
async function deliver(deps: Deps, token: string, scope: Scope, args: ListenArgs, locales: Locales): Promise<void> {
  try {
    const record = await deps.store.drafts.get(scope);
    if (!record) throw new UserError('errors.noDraft');
    const preview = await renderPreviewInWorker(record.spec, { bars: args.bars, ...(args.notes !== undefined ? { notes: args.notes } : {}) });
    if (preview.wav.length > DISCORD_LIMITS.attachmentBytes) throw new Error(`preview is ${preview.wav.length} bytes (max ${DISCORD_LIMITS.attachmentBytes})`);
    const file: OutgoingFile = { name: PREVIEW_FILE, data: preview.wav, contentType: 'audio/wav' };
    deps.log.debug({ guildId: scope.guildId, bars: preview.bars, bytes: preview.bytes, renderMs: Math.round(preview.renderMs) }, 'audio preview rendered');
    try {
      await deps.api.editOriginal(token, message(listenText(record, preview, args.notes !== undefined, locales.t), file), [file]);
    } finally {
      // Sent (or failed): the WAV's memory goes back to the pool for the next preview.
      preview.release();
    }
  } catch (error) {
    let text = failureText(error, locales);
    if (text === undefined) {
      deps.log.error({ guildId: scope.guildId, channelId: scope.channelId, err: error instanceof Error ? error.message : String(error) }, 'audio preview failed');
      text = locales.t('errors.generic');
    } else if (error instanceof PreviewTimeoutError) {
      deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId }, 'audio preview timed out');
    }
    try {
      await deps.api.editOriginal(token, message(text));
    } catch (editError) {
      // The interaction token may have expired; the log has the cause.
      deps.log.warn({ err: String(editError) }, 'could not deliver the audio preview answer');
    }
  }
}

/** /salt listen and the Listen button: check the notes, defer privately, render off the main loop. */
export function listenReply(inv: Invocation, args: ListenArgs): Reply {
  const scope = scopeOf(inv.interaction);
  if (args.notes !== undefined) {
    try {
      parseNotes(args.notes);
    } catch (error) {
      if (error instanceof InvalidNotesError) throw notesError(error);
      throw error;
    }
  }
  const { deps, locales } = inv;
  const token = inv.interaction.token;
  return deferred(true, () => deliver(deps, token, scope, args, locales));
}

const listenOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.listen'),
  options: [
    { type: ApplicationCommandOptionType.Integer, ...named('salt.listen.bars'), required: false, min_value: 1, max_value: MAX_BARS },
    { type: ApplicationCommandOptionType.String, ...named('salt.listen.notes'), required: false, max_length: NOTES_MAX_LENGTH },
  ],
};

export const listenModule: CommandModule = {
  options: [listenOption],
  run: {
    async listen(inv, options) {
      const notes = options.get('notes')?.value;
      return listenReply(inv, {
        bars: barsOf(options.get('bars')?.value),
        ...(typeof notes === 'string' && notes.trim() !== '' ? { notes: notes.slice(0, NOTES_MAX_LENGTH) } : {}),
      });
    },
  },
  cardSteps: {
    listen: async (inv) => listenReply(inv, { bars: DEFAULT_BARS }),
  },
};
