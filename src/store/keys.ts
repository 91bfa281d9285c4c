/**
 * Key layout (namespace defaults to 'saltbot'):
 *   <ns>:draft:<guild>:<channel>     DraftRecord
 *   <ns>:history:<guild>:<channel>   list of HistoryEntry, newest first (Redis LIST; an array in the
 *                                    file/memory stores). Older data: one HistoryEntry[] value, read as is
 *                                    and turned into a list on the next write.
 *   <ns>:preset:<guild>              { [name]: SavedPreset }
 *   <ns>:vote:<voteId>               VoteRecord without `ballots` (older data: with them, merged on read)
 *   <ns>:ballots:<voteId>            userId → option (Redis HASH; an object in the file/memory stores)
 *   <ns>:ballots-rev:<voteId>        counter bumped by every cast that changes a ballot (close compares it: no ballot slips past)
 *   <ns>:tally:<voteId>              option → number of ballots (Redis HASH; an object in the file/memory stores),
 *                                    kept with the ballots in the same atomic step; field '' holds the
 *                                    ballots-rev it matches (missing or behind: rebuilt from the ballots)
 *   <ns>:votes:open                  string[] (ids of open votes)
 *   <ns>:meta:<key>                  small JSON values
 */
import type { Scope, StoreKeys } from './types.js';

/** Ids become key segments: keep them free of the separator and of whitespace. */
function segment(value: string, what: string): string {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(value)) throw new TypeError(`invalid ${what} for a store key: ${JSON.stringify(value).slice(0, 40)}`);
  return value;
}

export function storeKeys(namespace: string): StoreKeys {
  const ns = namespace;
  return {
    draft: (scope: Scope) => `${ns}:draft:${segment(scope.guildId, 'guild id')}:${segment(scope.channelId, 'channel id')}`,
    history: (scope: Scope) => `${ns}:history:${segment(scope.guildId, 'guild id')}:${segment(scope.channelId, 'channel id')}`,
    presets: (guildId: string) => `${ns}:preset:${segment(guildId, 'guild id')}`,
    vote: (voteId: string) => `${ns}:vote:${segment(voteId, 'vote id')}`,
    ballots: (voteId: string) => `${ns}:ballots:${segment(voteId, 'vote id')}`,
    ballotsRev: (voteId: string) => `${ns}:ballots-rev:${segment(voteId, 'vote id')}`,
    tally: (voteId: string) => `${ns}:tally:${segment(voteId, 'vote id')}`,
    openVotes: () => `${ns}:votes:open`,
    meta: (key: string) => `${ns}:meta:${segment(key, 'meta key')}`,
  };
}
