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

/** Fetches the latest record and syncs its card (used after updates made elsewhere). */
export async function refreshCard(deps: Deps, scope: Scope, locale: string): Promise<void> {
  const record = await deps.store.drafts.get(scope);
  if (record) await syncCard(deps, scope, record, locale);
}
