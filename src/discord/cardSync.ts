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

/** Edits the card in place, or posts a new one when there is none (or it was deleted). */
export async function syncCard(deps: Deps, scope: Scope, record: DraftRecord, locale: string): Promise<void> {
  const body = cardMessage(record, locale);
  try {
    if (record.cardMessageId) {
      try {
        await deps.api.editMessage(scope.channelId, record.cardMessageId, body);
        return;
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    }
    const posted = await deps.api.createMessage(scope.channelId, body);
    await deps.store.drafts.setCardMessage(scope, posted.id);
  } catch (error) {
    deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId, err: String(error) }, 'could not update the draft card');
  }
}

async function refreshNow(deps: Deps, scope: Scope, locale: string): Promise<void> {
  const record = await deps.store.drafts.get(scope);
  if (record) await syncCard(deps, scope, record, locale);
}

/** Per bot (its deps) and channel: the refresh running now and at most one queued behind it. */
interface RefreshSlot {
  running: Promise<void>;
  queued: Promise<void> | undefined;
}
const refreshSlots = new WeakMap<Deps, Map<string, RefreshSlot>>();

/**
 * Fetches the latest record and syncs its card (used after updates made elsewhere). Refreshes of
 * one channel are coalesced: while one runs, every further call shares a single queued refresh,
 * which starts when the running one ends and reads the record then. Each caller's promise
 * settles after a refresh that read the store after the call, so the card still ends up showing
 * the latest version; a busy channel just costs one card edit at a time instead of one per save.
 */
export function refreshCard(deps: Deps, scope: Scope, locale: string): Promise<void> {
  let slots = refreshSlots.get(deps);
  if (!slots) {
    slots = new Map();
    refreshSlots.set(deps, slots);
  }
  const channel = slots;
  const key = `${scope.guildId}:${scope.channelId}`;
  const run = (slot: RefreshSlot): Promise<void> =>
    refreshNow(deps, scope, locale).finally(() => {
      if (!slot.queued && channel.get(key) === slot) channel.delete(key);
    });
  const slot = channel.get(key);
  if (!slot) {
    const fresh: RefreshSlot = { running: Promise.resolve(), queued: undefined };
    channel.set(key, fresh);
    fresh.running = run(fresh);
    return fresh.running;
  }
  if (slot.queued) return slot.queued;
  const start = (): Promise<void> => {
    slot.queued = undefined;
    slot.running = run(slot);
    return slot.running;
  };
  slot.queued = slot.running.then(start, start);
  return slot.queued;
}
