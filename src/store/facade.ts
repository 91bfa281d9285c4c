/**
 * The typed store over a Backend: drafts (with history and undo), presets, votes and meta values.
 * Every value read is validated (StoreCorruptError), every value written is validated
 * (InvalidRecordError), and every read-modify-write goes through `backend.atomic`.
 */
import type { Spec } from '../domain/spec.js';
import { Unreadable, type Backend, type Write } from './backend.js';
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
  HistoryEntrySchema,
  HistoryHeaderSchema,
  HistorySchema,
  JsonSchema,
  OpenVotesSchema,
  PresetBookSchema,
  readAs,
  SavedPresetSchema,
  StoredSpecSchema,
  VoteRecordSchema,
  VoteMetaSchema,
  BallotSchema,
  writeAs,
} from './schemas.js';
import type {
  Actor,
  DraftRecord,
  DraftStore,
  HistoryEntry,
  LiveVote,
  MetaStore,
  PresetStore,
  Scope,
  Store,
  StoreStats,
  VoteCloseResult,
  VoteInfo,
  VoteRecord,
  VoteStore,
} from './types.js';

export const DEFAULT_NAMESPACE = 'saltbot';
export const DEFAULT_DRAFT_TTL_MS = 30 * 24 * 60 * 60 * 1000;
export const DEFAULT_HISTORY_LIMIT = 25;
/** History never keeps fewer entries than this, whatever the configuration says. */
export const MIN_HISTORY_LIMIT = 20;
export const PRESET_LIMIT = 25;
/**
 * Contributors a draft lists by name (the card shows about 600 characters of them). Later ones are
 * only noted (`contributorsMore`): without a bound, a busy channel's record grew by ~60 bytes per
 * new member, and every edit reads and writes the whole record.
 */
export const MAX_CONTRIBUTORS = 25;

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
  /** Validates list items one by one (only the ones a caller gets). */
  const entryOf = (key: string, value: unknown) => {
    const parsed = readAs(HistoryEntrySchema, key, value);
    if (!parsed) throw new StoreCorruptError(key, 'an empty history entry');
    return parsed;
  };
  /**
   * For a mutate function: the entry's header is checked now, its spec (most of the bytes and of the
   * schema work) only when read — a stale form reads the spec of one entry, and the names of the others.
   */
  const lazyEntryOf = (key: string, value: unknown): HistoryEntry => {
    const header = readAs(HistoryHeaderSchema, key, value);
    if (!header) throw new StoreCorruptError(key, 'an empty history entry');
    const raw = (value as { spec?: unknown }).spec;
    let spec: Spec | undefined;
    return Object.defineProperty({ ...header }, 'spec', {
      enumerable: true,
      // A spec this process wrote is trusted already (no second walk); others are validated once.
      get: () => (spec ??= readAs(StoredSpecSchema, key, raw) ?? entryOf(key, value).spec),
    }) as HistoryEntry;
  };
  const itemsOf = (key: string, value: unknown): unknown[] => {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    readAs(HistorySchema, key, value); // throws StoreCorruptError naming the problem
    throw new StoreCorruptError(key, 'not a list');
  };

  function entry(record: DraftRecord, actor: Actor, summary: string, at: number): HistoryEntry {
    return { version: record.version, at, actor: { id: actor.id, name: actor.name }, summary: summary.slice(0, 200), spec: record.spec };
  }

  /** The history write of a new version: pushed to the front of the list, trimmed, TTL refreshed. */
  const push = (hk: string, item: HistoryEntry, reset = false) => ({ op: 'push' as const, key: hk, item, limit: historyLimit, reset, ttlMs: ttl });

  const drafts: DraftStore = {
    get: op(async (scope: Scope) => {
      const key = keys.draft(scope);
      const [value] = await backend.read([key]);
      return draftOf(key, value);
    }),

    create: op(async (scope: Scope, spec: Spec, actor: Actor, opts: { replace?: boolean; parts?: string[] } = {}) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic(
        [dk],
        ([d]) => {
          const replace = opts.replace === true;
          // A corrupt draft may be replaced (that is how a channel recovers from one).
          const existing = readOrDiscard(() => draftOf(dk, d), replace);
          if (existing && !replace) throw new DraftExistsError(existing.version);
          const now = Date.now();
          const record = writeAs(DraftRecordSchema, dk, {
            spec,
            version: existing ? existing.version + 1 : 1,
            createdBy: { id: actor.id, name: actor.name },
            createdAt: now,
            updatedAt: now,
            contributors: { [actor.id]: { name: actor.name, parts: unique(opts.parts ?? []) } },
          } satisfies DraftRecord);
          return {
            // A new draft starts a new history; a replacement continues it (so it can be undone).
            writes: [{ key: dk, value: record, ttlMs: ttl }, push(hk, entry(record, actor, existing ? 'replace' : 'create', now), !existing)],
            result: record,
          };
        },
        { also: [hk] },
      );
    }),

    update: op(async (scope, actor, summary, mutate, opts = {}) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic(
        [dk],
        async ([d], snapshot) => {
          const previous = draftOf(dk, d);
          if (!previous) throw new DraftMissingError();
          const history = async (sinceVersion?: number): Promise<readonly HistoryEntry[]> => {
            // Versions go down by at least one per item: the newest (current - since + 1) items hold every version ≥ since.
            const stop = sinceVersion === undefined ? -1 : previous.version - Math.max(1, sinceVersion);
            if (stop < -1 || (sinceVersion !== undefined && sinceVersion > previous.version)) return [];
            const items = itemsOf(hk, await snapshot.range(hk, 0, stop));
            const entries = items.map((item) => lazyEntryOf(hk, item));
            return sinceVersion === undefined ? entries : entries.filter((e) => e.version >= sinceVersion);
          };
          // `previous` is frozen (a validated store value): mutators build a new record.
          const next = await mutate(previous, { history });
          const now = Date.now();
          let contributors = next.contributors ?? previous.contributors;
          let contributorsMore = next.contributorsMore ?? previous.contributorsMore;
          if (opts.parts?.length) {
            const mine = contributors[actor.id];
            if (mine || Object.keys(contributors).length < MAX_CONTRIBUTORS) {
              contributors = { ...contributors, [actor.id]: { name: actor.name, parts: unique([...(mine?.parts ?? []), ...opts.parts]) } };
            } else {
              contributorsMore = true;
            }
          }
          const record = writeAs(DraftRecordSchema, dk, {
            ...next,
            contributors,
            ...(contributorsMore ? { contributorsMore } : {}),
            version: previous.version + 1,
            createdBy: previous.createdBy,
            createdAt: previous.createdAt,
            updatedAt: now,
          } satisfies DraftRecord);
          return {
            writes: [{ key: dk, value: record, ttlMs: ttl }, push(hk, entry(record, actor, summary, now))],
            result: { record, previous },
          };
        },
        { also: [hk] },
      );
    }),

    setCardMessage: op(async (scope: Scope, messageId: string) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      await backend.atomic(
        [dk],
        ([d]) => {
          const current = draftOf(dk, d);
          if (!current) throw new DraftMissingError();
          const record = writeAs(DraftRecordSchema, dk, { ...current, cardMessageId: messageId });
          // The history is not rewritten, only its TTL refreshed with the draft's.
          return { writes: [{ key: dk, value: record, ttlMs: ttl }, { op: 'expire', key: hk, ttlMs: ttl }], result: undefined };
        },
        { also: [hk] },
      );
    }),

    delete: op(async (scope: Scope, _actor: Actor) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      await backend.atomic(
        [dk],
        ([d]) => {
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
        },
        { also: [hk] },
      );
    }),

    history: op(async (scope: Scope, limit?: number) => {
      const hk = keys.history(scope);
      if (limit !== undefined && limit <= 0) return [];
      const [items] = await backend.readAll([{ kind: 'range', key: hk, start: 0, stop: limit === undefined ? -1 : Math.floor(limit) - 1 }]);
      return itemsOf(hk, items).map((item) => entryOf(hk, item));
    }),

    undo: op(async (scope: Scope, actor: Actor) => {
      const dk = keys.draft(scope);
      const hk = keys.history(scope);
      return backend.atomic(
        [dk],
        async ([d], snapshot) => {
          const current = draftOf(dk, d);
          if (!current) throw new DraftMissingError();
          // Usually the second item; validated one by one up to the one undo restores.
          let target: HistoryEntry | undefined;
          for (const item of itemsOf(hk, await snapshot.range(hk, 0, -1))) {
            const e = entryOf(hk, item);
            if (e.version < current.version) {
              target = e;
              break;
            }
          }
          if (!target) throw new NothingToUndoError();
          const now = Date.now();
          const record = writeAs(DraftRecordSchema, dk, {
            ...current,
            spec: target.spec,
            version: current.version + 1,
            updatedAt: now,
          } satisfies DraftRecord);
          return {
            writes: [{ key: dk, value: record, ttlMs: ttl }, push(hk, entry(record, actor, `undo v${current.version}`, now))],
            result: record,
          };
        },
        { also: [hk] },
      );
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

  type VoteMeta = Omit<VoteRecord, 'ballots'> & { ballots?: Record<string, string> };
  const metaOf = (key: string, value: unknown): VoteMeta | undefined => readAs(VoteMetaSchema, key, value);
  const openOf = (key: string, value: unknown) => readAs(OpenVotesSchema, key, value) ?? [];

  /** The ballots hash (an object, or flat [field, value, …]), checked ballot by ballot (cheap: no schema walk over thousands of ballots). */
  function ballotsOf(key: string, value: unknown): Record<string, string> {
    if (value === undefined) return {};
    if (value instanceof Unreadable) throw new StoreCorruptError(key, value.detail);
    if (typeof value !== 'object' || value === null) throw new StoreCorruptError(key, 'not a hash of ballots');
    const bad = (userId: unknown, option: unknown) =>
      typeof userId !== 'string' || userId.length < 1 || userId.length > 100 || typeof option !== 'string' || option.length > 100;
    const fail = (userId: unknown): never => {
      throw new StoreCorruptError(key, `${String(userId).slice(0, 40)}: not a ballot`);
    };
    if (Array.isArray(value)) {
      const ballots: Record<string, string> = {};
      for (let i = 0; i < value.length; i += 2) {
        const userId: unknown = value[i];
        const option: unknown = value[i + 1];
        if (bad(userId, option)) fail(userId);
        ballots[userId as string] = option as string;
      }
      return ballots;
    }
    const ballots = value as Record<string, unknown>;
    for (const userId in ballots) if (bad(userId, ballots[userId])) fail(userId);
    return ballots as Record<string, string>;
  }

  /** The record the API returns: older data's ballots (in the vote value) under the hash's. */
  function assemble(meta: VoteMeta, ballots: Record<string, string>): VoteRecord {
    const { ballots: legacy, ...rest } = meta;
    return { ...rest, ballots: legacy ? { ...legacy, ...ballots } : ballots };
  }

  /** The vote value as written from now on: without ballots. */
  function stripped(meta: VoteMeta): VoteInfo {
    const { ballots: _ballots, ...rest } = meta;
    return rest;
  }

  /**
   * The live tally (option → count, every option) from the tally hash (an object, or flat
   * [field, value, …]); field '' (the ballot counter it matches) and values that are not options are skipped.
   */
  function tallyOf(key: string, value: unknown, options: readonly string[]): Record<string, number> {
    const tally: Record<string, number> = Object.fromEntries(options.map((option) => [option, 0]));
    if (value === undefined) return tally;
    if (value instanceof Unreadable) throw new StoreCorruptError(key, value.detail);
    if (typeof value !== 'object' || value === null) throw new StoreCorruptError(key, 'not a tally');
    const take = (option: unknown, count: unknown) => {
      if (typeof option !== 'string' || option === '' || !Object.hasOwn(tally, option)) return;
      const n = Number(count);
      if (!Number.isSafeInteger(n) || n < 0) throw new StoreCorruptError(key, `${option.slice(0, 40)}: not a count`);
      tally[option] = n;
    };
    if (Array.isArray(value)) for (let i = 0; i < value.length; i += 2) take(value[i], value[i + 1]);
    else for (const [option, count] of Object.entries(value)) take(option, count);
    return tally;
  }

  function countOf(key: string, value: unknown): number {
    if (value instanceof Unreadable) throw new StoreCorruptError(key, value.detail);
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new StoreCorruptError(key, 'not a hash of ballots');
    return value;
  }

  /**
   * Writes moving older data's ballots (still in the vote value) into the hash; none for current data.
   * The ballot counter is bumped, so the tally no longer matches it and is rebuilt at the next cast.
   */
  function migrateBallots(meta: VoteMeta, bk: string, rk: string, ttlMs: number | undefined): Write[] {
    if (!meta.ballots || Object.keys(meta.ballots).length === 0) return [];
    // Hash fields already there are newer (cast after the data was written): they win.
    return [
      { op: 'hset', key: bk, fields: meta.ballots, ifAbsent: true, ttlMs },
      { op: 'incr', key: rk, ttlMs },
    ];
  }

  function requireMeta(key: string, value: unknown, voteId: string): VoteMeta {
    const meta = metaOf(key, value);
    if (!meta) throw new VoteMissingError(voteId);
    return meta;
  }

  const votes: VoteStore = {
    create: op(async (vote: VoteRecord) => {
      const vk = keys.vote(vote.id);
      const bk = keys.ballots(vote.id);
      const rk = keys.ballotsRev(vote.id);
      const tk = keys.tally(vote.id);
      const ok = keys.openVotes();
      await backend.atomic(
        [vk, ok],
        ([v, o]) => {
          if (v !== undefined) throw new VoteExistsError(vote.id);
          const record = writeAs(VoteRecordSchema, vk, vote);
          const open = openOf(ok, o).filter((id) => id !== vote.id);
          const expiry = record.closed ? ttl : undefined;
          return {
            writes: [
              { key: vk, value: stripped(record), ttlMs: expiry },
              // Leftovers of an earlier vote with this id go.
              { op: 'hset', key: bk, fields: record.ballots, reset: true, ttlMs: expiry },
              { key: rk, value: undefined },
              // No tally: the first cast counts the ballots above (usually none) once.
              { key: tk, value: undefined },
              { key: ok, value: record.closed ? open : [...open, record.id] },
            ],
            result: undefined,
          };
        },
        { also: [bk, rk, tk] },
      );
    }),

    get: op(async (voteId: string) => {
      const vk = keys.vote(voteId);
      const bk = keys.ballots(voteId);
      const [v, b] = await backend.readAll([
        { kind: 'value', key: vk },
        { kind: 'hash', key: bk },
      ]);
      const meta = metaOf(vk, v);
      return meta && assemble(meta, ballotsOf(bk, b));
    }),

    info: op(async (voteId: string) => {
      const vk = keys.vote(voteId);
      const [v] = await backend.read([vk]);
      const meta = metaOf(vk, v);
      return meta && stripped(meta);
    }),

    cast: op(async (voteId: string, userId: string, option: string) => {
      const vk = keys.vote(voteId);
      const bk = keys.ballots(voteId);
      const rk = keys.ballotsRev(voteId);
      const tk = keys.tally(voteId);
      // Guarded by the vote value only (changes on close): casts by different members never conflict.
      // The ballot and its tally change in the same atomic step; only the tally (a field per option)
      // and the number of ballots are read back, never the ballots.
      return backend.atomic(
        [vk],
        ([value]) => {
          const meta = requireMeta(vk, value, voteId);
          if (meta.closed) throw new VoteClosedError(voteId);
          if (!meta.options.includes(option)) throw new VoteOptionError(voteId, option);
          const ballot = writeAs(BallotSchema, bk, { userId, option });
          const info = stripped(meta);
          const writes: Write[] = [
            ...migrateBallots(meta, bk, rk, undefined),
            ...(meta.ballots ? [{ key: vk, value: info }] : []),
            { op: 'ballot', key: bk, field: ballot.userId, value: ballot.option, tally: tk, rev: rk },
          ];
          const result = ([tally, count]: unknown[]): LiveVote => ({ ...info, tally: tallyOf(tk, tally, info.options), ballotCount: countOf(bk, count) });
          const reads = [
            { kind: 'hash' as const, key: tk },
            { kind: 'count' as const, key: bk },
          ];
          return { writes, result: undefined as unknown as LiveVote, after: { reads, result } };
        },
        { also: [bk, rk, tk] },
      );
    }),

    close: op(async (voteId: string, by: Actor) => {
      const vk = keys.vote(voteId);
      const bk = keys.ballots(voteId);
      const rk = keys.ballotsRev(voteId);
      const tk = keys.tally(voteId);
      const ok = keys.openVotes();
      // The ballot counter is compared too: a ballot cast between the read and the write re-runs the count.
      return backend.atomic(
        [vk, ok, rk],
        ([value, o, _rev, b]): { writes: Write[]; result: VoteCloseResult } => {
          const meta = requireMeta(vk, value, voteId);
          const vote = assemble(meta, ballotsOf(bk, b));
          const open = openOf(ok, o);
          const stillListed = open.includes(voteId);
          const cleanup: Write[] = stillListed ? [{ key: ok, value: open.filter((id) => id !== voteId) }] : [];
          if (meta.closed) return { writes: cleanup, result: { ...vote, closed: meta.closed, alreadyClosed: true } };
          const tally: Record<string, number> = Object.fromEntries(vote.options.map((option) => [option, 0]));
          for (const option of Object.values(vote.ballots)) {
            if (Object.hasOwn(tally, option)) tally[option] = (tally[option] ?? 0) + 1;
          }
          let winner: string | null = null;
          for (const option of vote.options) {
            if ((tally[option] ?? 0) > 0 && (winner === null || (tally[option] ?? 0) > (tally[winner] ?? 0))) winner = option;
          }
          const closed = { at: Date.now(), by: { id: by.id, name: by.name }, winner, tally };
          const record = writeAs(VoteMetaSchema, vk, { ...stripped(meta), closed });
          return {
            writes: [
              { key: vk, value: record, ttlMs: ttl },
              ...migrateBallots(meta, bk, rk, ttl),
              { op: 'expire', key: bk, ttlMs: ttl },
              { op: 'expire', key: rk, ttlMs: ttl },
              { op: 'expire', key: tk, ttlMs: ttl },
              ...cleanup,
            ],
            result: { ...vote, closed, alreadyClosed: false },
          };
        },
        { also: [bk, tk], extra: [{ kind: 'hash', key: bk }] },
      );
    }),

    listOpen: op(async () => {
      const ok = keys.openVotes();
      const [o] = await backend.read([ok]);
      const ids = openOf(ok, o);
      if (ids.length === 0) return [];
      const values = await backend.readAll(ids.flatMap((id) => [{ kind: 'value' as const, key: keys.vote(id) }, { kind: 'hash' as const, key: keys.ballots(id) }]));
      const open: VoteRecord[] = [];
      ids.forEach((id, i) => {
        const meta = metaOf(keys.vote(id), values[2 * i]);
        if (meta && !meta.closed) open.push(assemble(meta, ballotsOf(keys.ballots(id), values[2 * i + 1])));
      });
      return open.sort((a, b) => a.closesAt - b.closesAt);
    }),

    setMessage: op(async (voteId: string, messageId: string) => {
      const vk = keys.vote(voteId);
      const bk = keys.ballots(voteId);
      const rk = keys.ballotsRev(voteId);
      await backend.atomic(
        [vk],
        ([value]) => {
          const meta = requireMeta(vk, value, voteId);
          const expiry = meta.closed ? ttl : undefined;
          const record = writeAs(VoteMetaSchema, vk, { ...stripped(meta), messageId });
          return { writes: [{ key: vk, value: record, ttlMs: expiry }, ...migrateBallots(meta, bk, rk, expiry)], result: undefined };
        },
        { also: [bk, rk] },
      );
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
