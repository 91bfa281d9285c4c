/**
 * The typed store over a Backend: drafts (with history and undo), presets, votes and meta values.
 * Every value read is validated (StoreCorruptError), every value written is validated
 * (InvalidRecordError), and every read-modify-write goes through `backend.atomic`.
 */
import type { Spec } from '../domain/spec.js';
import type { Backend } from './backend.js';
import {
  DraftExistsError,
  DraftMissingError,
  NothingToUndoError,
  PresetExistsError,
  PresetLimitError,
  StoreBusyError,
  StoreCorruptError,
  StoreUnavailableError,
  VoteClosedError,
  VoteExistsError,
  VoteMissingError,
  VoteOptionError,
} from './errors.js';
import { storeKeys } from './keys.js';
import {
  DraftRecordSchema,
  HistorySchema,
  JsonSchema,
  OpenVotesSchema,
  PresetBookSchema,
  readAs,
  SavedPresetSchema,
  VoteRecordSchema,
  writeAs,
} from './schemas.js';
import type {
  Actor,
  DraftRecord,
  DraftStore,
  HistoryEntry,
  MetaStore,
  PresetStore,
  Scope,
  Store,
  StoreStats,
  VoteCloseResult,
  VoteRecord,
  VoteStore,
} from './types.js';

export const DEFAULT_NAMESPACE = 'saltbot';
export const DEFAULT_DRAFT_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_HISTORY_LIMIT = 25;
/** History never keeps fewer entries than this, whatever the configuration says. */
export const MIN_HISTORY_LIMIT = 20;
export const PRESET_LIMIT = 25;

export interface FacadeOptions {
  namespace: string;
  draftTtlMs: number;
  historyLimit: number;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

/** Reads a value, or undefined when it is corrupt and the caller is about to replace it anyway. */
function readOrDiscard<T>(read: () => T | undefined, discard: boolean): T | undefined {
  try {
    return read();
  } catch (error) {
    if (discard && error instanceof StoreCorruptError) return undefined;
    throw error;
  }
}

export function createFacade(backend: Backend, options: FacadeOptions): Store {
  const keys = storeKeys(options.namespace);
  const ttl = options.draftTtlMs;
  const historyLimit = Math.max(MIN_HISTORY_LIMIT, options.historyLimit);
  const stats = backend.stats;

  /** Counts the operation; counts failures that are the backend's fault. */
  function op<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      stats.ops++;
      try {
        return await fn(...args);
      } catch (error) {
        if (error instanceof StoreUnavailableError || error instanceof StoreBusyError || error instanceof StoreCorruptError) stats.errors++;
        throw error;
      }
    };
  }

  const draftOf = (key: string, value: unknown) => readAs(DraftRecordSchema, key, value);
  const historyOf = (key: string, value: unknown) => readAs(HistorySchema, key, value) ?? [];

  function entry(record: DraftRecord, actor: Actor, summary: string, at: number): HistoryEntry {
    return { version: record.version, at, actor: { id: actor.id, name: actor.name }, summary: summary.slice(0, 200), spec: record.spec };
  }

  const drafts: DraftStore = {
    get: op(async (scope: Scope) => {
      const key = keys.draft(scope);
      const [value] = await backend.read([key]);
      return draftOf(key, value);
    }),

    create: op(async (scope: Scope, spec: Spec, actor: Actor, opts: { replace?: boolean; parts?: string[] } = {}) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic([dk, hk], ([d, h]) => {
        const replace = opts.replace === true;
        // A corrupt draft may be replaced (that is how a channel recovers from one).
        const existing = readOrDiscard(() => draftOf(dk, d), replace);
        if (existing && !replace) throw new DraftExistsError(existing.version);
        const history = existing ? readOrDiscard(() => historyOf(hk, h), true) ?? [] : [];
        const now = Date.now();
        const record = writeAs(DraftRecordSchema, dk, {
          spec,
          version: existing ? existing.version + 1 : 1,
          createdBy: { id: actor.id, name: actor.name },
          createdAt: now,
          updatedAt: now,
          contributors: { [actor.id]: { name: actor.name, parts: unique(opts.parts ?? []) } },
        } satisfies DraftRecord);
        const nextHistory = [entry(record, actor, existing ? 'replace' : 'create', now), ...history].slice(0, historyLimit);
        return {
          writes: [
            { key: dk, value: record, ttlMs: ttl },
            { key: hk, value: nextHistory, ttlMs: ttl },
          ],
          result: record,
        };
      });
    }),

    update: op(async (scope, actor, summary, mutate, opts = {}) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic([dk, hk], async ([d, h]) => {
        const previous = draftOf(dk, d);
        if (!previous) throw new DraftMissingError();
        const history = historyOf(hk, h);
        const next = await mutate(structuredClone(previous), { history });
        const now = Date.now();
        let contributors = next.contributors ?? previous.contributors;
        if (opts.parts?.length) {
          const mine = contributors[actor.id];
          contributors = { ...contributors, [actor.id]: { name: actor.name, parts: unique([...(mine?.parts ?? []), ...opts.parts]) } };
        }
        const record = writeAs(DraftRecordSchema, dk, {
          ...next,
          contributors,
          version: previous.version + 1,
          createdBy: previous.createdBy,
          createdAt: previous.createdAt,
          updatedAt: now,
        } satisfies DraftRecord);
        const nextHistory = [entry(record, actor, summary, now), ...history].slice(0, historyLimit);
        return {
          writes: [
            { key: dk, value: record, ttlMs: ttl },
            { key: hk, value: nextHistory, ttlMs: ttl },
          ],
          result: { record, previous },
        };
      });
    }),

    setCardMessage: op(async (scope: Scope, messageId: string) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      await backend.atomic([dk, hk], ([d, h]) => {
        const current = draftOf(dk, d);
        if (!current) throw new DraftMissingError();
        const record = writeAs(DraftRecordSchema, dk, { ...current, cardMessageId: messageId });
        return {
          writes: [
            { key: dk, value: record, ttlMs: ttl },
            { key: hk, value: historyOf(hk, h), ttlMs: ttl },
          ],
          result: undefined,
        };
      });
    }),

    delete: op(async (scope: Scope, _actor: Actor) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      await backend.atomic([dk, hk], ([d]) => {
        // Deleting a corrupt draft is allowed: it is the way out.
        const current = readOrDiscard(() => draftOf(dk, d), true);
        if (!current && d === undefined) throw new DraftMissingError();
        return {
          writes: [
            { key: dk, value: undefined },
            { key: hk, value: undefined },
          ],
          result: undefined,
        };
      });
    }),

    history: op(async (scope: Scope, limit?: number) => {
      const hk = keys.history(scope);
      const [h] = await backend.read([hk]);
      const history = historyOf(hk, h);
      return limit === undefined ? history : history.slice(0, Math.max(0, limit));
    }),

    undo: op(async (scope: Scope, actor: Actor) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic([dk, hk], ([d, h]) => {
        const current = draftOf(dk, d);
        if (!current) throw new DraftMissingError();
        const history = historyOf(hk, h);
        const target = history.find((e) => e.version < current.version);
        if (!target) throw new NothingToUndoError();
        const now = Date.now();
        const record = writeAs(DraftRecordSchema, dk, {
          ...current,
          spec: target.spec,
          version: current.version + 1,
          updatedAt: now,
        } satisfies DraftRecord);
        const nextHistory = [entry(record, actor, `undo v${current.version}`, now), ...history].slice(0, historyLimit);
        return {
          writes: [
            { key: dk, value: record, ttlMs: ttl },
            { key: hk, value: nextHistory, ttlMs: ttl },
          ],
          result: record,
        };
      });
    }),
  };

  const bookOf = (key: string, value: unknown) => readAs(PresetBookSchema, key, value) ?? {};

  const presets: PresetStore = {
    list: op(async (guildId: string) => {
      const pk = keys.presets(guildId);
      const [value] = await backend.read([pk]);
      return Object.values(bookOf(pk, value)).sort((a, b) => a.name.localeCompare(b.name));
    }),

    get: op(async (guildId: string, name: string) => {
      const pk = keys.presets(guildId);
      const [value] = await backend.read([pk]);
      const book = bookOf(pk, value);
      return Object.hasOwn(book, name) ? book[name] : undefined;
    }),

    save: op(async (guildId, preset, opts = {}) => {
      const pk = keys.presets(guildId);
      return backend.atomic([pk], ([value]) => {
        const book = bookOf(pk, value);
        const exists = Object.hasOwn(book, preset.name);
        if (exists && !opts.overwrite) throw new PresetExistsError(preset.name);
        if (!exists && Object.keys(book).length >= PRESET_LIMIT) throw new PresetLimitError(PRESET_LIMIT);
        const saved = writeAs(SavedPresetSchema, pk, {
          name: preset.name,
          title: preset.title,
          description: preset.description,
          spec: preset.spec,
          savedBy: { id: preset.savedBy.id, name: preset.savedBy.name },
          savedAt: Date.now(),
        });
        return { writes: [{ key: pk, value: { ...book, [saved.name]: saved } }], result: saved };
      });
    }),

    delete: op(async (guildId: string, name: string) => {
      const pk = keys.presets(guildId);
      return backend.atomic([pk], ([value]) => {
        const book = bookOf(pk, value);
        if (!Object.hasOwn(book, name)) return { writes: [], result: false };
        const { [name]: _removed, ...rest } = book;
        return { writes: [{ key: pk, value: Object.keys(rest).length ? rest : undefined }], result: true };
      });
    }),
  };

  const voteOf = (key: string, value: unknown) => readAs(VoteRecordSchema, key, value);
  const openOf = (key: string, value: unknown) => readAs(OpenVotesSchema, key, value) ?? [];

  function requireVote(key: string, value: unknown, voteId: string): VoteRecord {
    const vote = voteOf(key, value);
    if (!vote) throw new VoteMissingError(voteId);
    return vote;
  }

  const votes: VoteStore = {
    create: op(async (vote: VoteRecord) => {
      const vk = keys.vote(vote.id);
      const ok = keys.openVotes();
      await backend.atomic([vk, ok], ([v, o]) => {
        if (v !== undefined) throw new VoteExistsError(vote.id);
        const record = writeAs(VoteRecordSchema, vk, vote);
        const open = openOf(ok, o).filter((id) => id !== vote.id);
        return {
          writes: [
            { key: vk, value: record, ttlMs: record.closed ? ttl : undefined },
            { key: ok, value: record.closed ? open : [...open, record.id] },
          ],
          result: undefined,
        };
      });
    }),

    get: op(async (voteId: string) => {
      const vk = keys.vote(voteId);
      const [value] = await backend.read([vk]);
      return voteOf(vk, value);
    }),

    cast: op(async (voteId: string, userId: string, option: string) => {
      const vk = keys.vote(voteId);
      return backend.atomic([vk], ([value]) => {
        const vote = requireVote(vk, value, voteId);
        if (vote.closed) throw new VoteClosedError(voteId);
        if (!vote.options.includes(option)) throw new VoteOptionError(voteId, option);
        const record = writeAs(VoteRecordSchema, vk, { ...vote, ballots: { ...vote.ballots, [userId]: option } });
        return { writes: [{ key: vk, value: record }], result: record };
      });
    }),

    close: op(async (voteId: string, by: Actor) => {
      const vk = keys.vote(voteId);
      const ok = keys.openVotes();
      return backend.atomic([vk, ok], ([value, o]): { writes: { key: string; value: unknown; ttlMs?: number }[]; result: VoteCloseResult } => {
        const vote = requireVote(vk, value, voteId);
        const open = openOf(ok, o);
        const stillListed = open.includes(voteId);
        const cleanup = stillListed ? [{ key: ok, value: open.filter((id) => id !== voteId) }] : [];
        if (vote.closed) return { writes: cleanup, result: { ...vote, closed: vote.closed, alreadyClosed: true } };
        const tally: Record<string, number> = Object.fromEntries(vote.options.map((option) => [option, 0]));
        for (const option of Object.values(vote.ballots)) {
          if (Object.hasOwn(tally, option)) tally[option] = (tally[option] ?? 0) + 1;
        }
        let winner: string | null = null;
        for (const option of vote.options) {
          if ((tally[option] ?? 0) > 0 && (winner === null || (tally[option] ?? 0) > (tally[winner] ?? 0))) winner = option;
        }
        const closed = { at: Date.now(), by: { id: by.id, name: by.name }, winner, tally };
        const record = writeAs(VoteRecordSchema, vk, { ...vote, closed });
        return {
          writes: [{ key: vk, value: record, ttlMs: ttl }, ...cleanup],
          result: { ...record, closed, alreadyClosed: false },
        };
      });
    }),

    listOpen: op(async () => {
      const ok = keys.openVotes();
      const [o] = await backend.read([ok]);
      const ids = openOf(ok, o);
      if (ids.length === 0) return [];
      const vks = ids.map((id) => keys.vote(id));
      const values = await backend.read(vks);
      const open: VoteRecord[] = [];
      values.forEach((value, i) => {
        const vote = voteOf(vks[i]!, value);
        if (vote && !vote.closed) open.push(vote);
      });
      return open.sort((a, b) => a.closesAt - b.closesAt);
    }),

    setMessage: op(async (voteId: string, messageId: string) => {
      const vk = keys.vote(voteId);
      await backend.atomic([vk], ([value]) => {
        const vote = requireVote(vk, value, voteId);
        const record = writeAs(VoteRecordSchema, vk, { ...vote, messageId });
        return { writes: [{ key: vk, value: record, ttlMs: vote.closed ? ttl : undefined }], result: undefined };
      });
    }),
  };

  const kv: MetaStore = {
    get: op(async (key: string) => {
      const mk = keys.meta(key);
      const [value] = await backend.read([mk]);
      return readAs(JsonSchema, mk, value);
    }),
    set: op(async (key: string, value) => {
      const mk = keys.meta(key);
      await backend.write([{ key: mk, value: writeAs(JsonSchema, mk, value) }]);
    }),
  };

  return {
    kind: backend.kind,
    drafts,
    presets,
    votes,
    kv,
    describe: () => backend.describe(),
    ping: op(() => backend.ping()),
    stats: (): StoreStats => ({ ...stats }),
    close: () => backend.close(),
    debug: { putRaw: (fullKey: string, value: unknown) => backend.putRaw(fullKey, value), keys },
  };
}
