/**
 * Keeping the channel's draft card current: after any change (card button, slash command, undo,
 * vote result, another process) the card message is edited in place; when it was deleted, a new
 * card is posted and remembered. Card updates never fail the user's action: they are logged.
 */
import type { DraftRecord, Scope } from '../store/types.js';
import { cardMessage } from './card.js';
import { DiscordApiError, type Deps } from './deps.js';

const GUILD_LOCALE_KEY = (guildId: string) => `guild-locale.${guildId}`;

/** Remembers a guild's locale for public posts made without an interaction (vote deadlines). */
export async function rememberGuildLocale(deps: Deps, guildId: string, locale: string): Promise<void> {
  const key = GUILD_LOCALE_KEY(guildId);
  if ((await deps.store.kv.get(key)) !== locale) await deps.store.kv.set(key, locale);
}

export async function guildLocale(deps: Deps, guildId: string): Promise<string> {
  const v = await deps.store.kv.get(GUILD_LOCALE_KEY(guildId));
  return typeof v === 'string' ? v : 'en-US';
}

function isGone(error: unknown): boolean {
  return error instanceof DiscordApiError && (error.status === 404 || error.code === 10008 || error.code === 10003);
}

/** What the channel's card shows after a sync: the message and what was rendered into it. */
type Shown = string;
const shownOf = (messageId: string, record: DraftRecord, locale: string): Shown => `${messageId}|${record.version}|${record.updatedAt}|${locale}`;

/**
 * Edits the card in place, or posts a new one; what the card shows then, or undefined when that
 * failed (logged). An edit draws its card when the request starts, from `latest()` (by default
 * `record`): under load that is seconds after the call, and saves made meanwhile are shown already.
 */
async function sync(deps: Deps, scope: Scope, record: DraftRecord, locale: string, latest: () => DraftRecord = () => record): Promise<Shown | undefined> {
  try {
    if (record.cardMessageId) {
      let drawn = record;
      try {
        await deps.api.editMessage(scope.channelId, record.cardMessageId, () => cardMessage((drawn = latest()), locale));
        return shownOf(record.cardMessageId, drawn, locale);
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    const drawn = latest();
    const posted = await deps.api.createMessage(scope.channelId, cardMessage(drawn, locale));
    await deps.store.drafts.setCardMessage(scope, posted.id);
    return shownOf(posted.id, drawn, locale);
  } catch (error) {
    deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId, err: String(error) }, 'could not update the draft card');
    return undefined;
  }
}

/** Edits the card in place, or posts a new one when there is none (or it was deleted). */
export async function syncCard(deps: Deps, scope: Scope, record: DraftRecord, locale: string): Promise<void> {
  await sync(deps, scope, record, locale);
}

/** Per bot (its deps) and channel: the refresh running now and at most one queued behind it. */
interface RefreshSlot {
  running: Promise<void>;
  queued: Promise<void> | undefined;
  /** What the last refresh of this run of back-to-back refreshes put on the card. */
  shown: Shown | undefined;
  /** The queued refresh must edit even when the card already shows its version (a member asked for a fresh card). */
  forceQueued: boolean;
  /** The newest record callers handed in (saves' results) during this run of refreshes. */
  newest: DraftRecord | undefined;
}

/**
 * `candidate` when it is a later version of the same draft, with the same card, than `base`; else
 * `base`. (A draft deleted and made again starts at version 1 with a new createdAt.)
 */
function laterOf(base: DraftRecord, candidate: DraftRecord | undefined): DraftRecord {
  return candidate && candidate.createdAt === base.createdAt && candidate.cardMessageId === base.cardMessageId && candidate.version > base.version ? candidate : base;
}
const refreshSlots = new WeakMap<Deps, Map<string, RefreshSlot>>();

async function refreshNow(deps: Deps, scope: Scope, locale: string, slot: RefreshSlot, known?: DraftRecord): Promise<void> {
  const force = slot.forceQueued;
  slot.forceQueued = false;
  const record = known ?? (await deps.store.drafts.get(scope));
  if (!record) return;
  // The refresh before this one (same burst) already put this very version on this card: the
  // save that queued this refresh landed before that one read the store. Nothing to edit.
  if (!force && record.cardMessageId && slot.shown === shownOf(record.cardMessageId, record, locale)) return;
  // Saves that land while this edit waits for its turn hand their records in (refreshCard): the edit
  // draws the newest, and the refresh they queued then finds it shown and edits nothing.
  slot.shown = await sync(deps, scope, record, locale, () => laterOf(record, slot.newest));
}

/**
 * Fetches the latest record and syncs its card (used after updates made elsewhere). Refreshes of
 * one channel are coalesced: while one runs, every further call shares a single queued refresh,
 * which starts when the running one ends and reads the record then. Each caller's promise
 * settles after a refresh that read the store after the call, so the card still ends up showing
 * the latest version; a busy channel just costs one card edit at a time instead of one per save.
 * A queued refresh that finds the version the refresh before it just put on the card edits
 * nothing (only within such a run of back-to-back refreshes: a later refresh always edits, so a
 * deleted card is posted again).
 *
 * `force`: the refresh edits the card even when the one before it just showed the same version
 * (an answer that promises the member a fresh card).
 *
 * `known`: the record the caller has just written (a save's result). When no refresh of the
 * channel is running, the card is drawn from it without reading the store again; a refresh that
 * has to wait behind another still reads the latest record when it starts. An edit waiting for its
 * turn on Discord's rate limit draws the newest record handed in meanwhile: under load the card
 * lags this process's saves by one turn at most (saves made by other processes are read by the
 * queued refresh), and that queued refresh often finds nothing left to edit.
 */
export function refreshCard(deps: Deps, scope: Scope, locale: string, known?: DraftRecord, options: { force?: boolean } = {}): Promise<void> {
  let slots = refreshSlots.get(deps);
  if (!slots) {
    slots = new Map();
    refreshSlots.set(deps, slots);
  }
  const channel = slots;
  const key = `${scope.guildId}:${scope.channelId}`;
  const run = (slot: RefreshSlot, record?: DraftRecord): Promise<void> =>
    refreshNow(deps, scope, locale, slot, record).finally(() => {
      if (!slot.queued && channel.get(key) === slot) channel.delete(key);
    });
  const slot = channel.get(key);
  if (!slot) {
    const fresh: RefreshSlot = { running: Promise.resolve(), queued: undefined, shown: undefined, forceQueued: false, newest: undefined };
    channel.set(key, fresh);
    // Nothing running: the record the caller just saved is the latest this process knows (no read).
    fresh.running = run(fresh, known);
    return fresh.running;
  }
  if (options.force) slot.forceQueued = true;
  if (known && (!slot.newest || known.version > slot.newest.version || known.createdAt !== slot.newest.createdAt)) slot.newest = known;
  if (slot.queued) return slot.queued;
  const start = (): Promise<void> => {
    slot.queued = undefined;
    slot.running = run(slot);
    return slot.running;
  };
  slot.queued = slot.running.then(start, start);
  return slot.queued;
}
