/**
 * The storage primitive under the typed facade: read keys, write keys, and an atomic
 * read-modify-write over a few keys. Two implementations: `LocalBackend` (Keyv over a Map or
 * keyv-file; one process, so a per-key promise queue is enough) and `RedisBackend` (redis.ts;
 * per-key queue in-process plus optimistic compare-and-set across processes).
 */
import type { Keyv } from 'keyv';
import { StoreError, StoreUnavailableError } from './errors.js';
import type { StoreKind, StoreStats } from './types.js';

/**
 * What a backend returns for a stored value it cannot even decode (not JSON, wrong Redis type, …);
 * the facade turns it into StoreCorruptError, or ignores it when it is about to replace/delete it.
 */
export class Unreadable {
  constructor(readonly detail: string) {}
}

/**
 * One write. `value: undefined` deletes the key. `ttlMs` undefined = no expiry.
 *  - set (default): the key's whole value;
 *  - push: a list, newest first: `item` goes to the front, the list is trimmed to `limit` items
 *    (`reset`: the list is emptied first); older data stored as one array value is converted;
 *  - hset: fields of a hash of strings (`reset`: the hash is emptied first; `ifAbsent`: fields already set are kept);
 *  - incr: a counter; expire: only the key's TTL;
 *  - ballot: field `field` of the hash `key` set to `value`, with the hash `tally` (value → number of
 *    fields holding it) kept in step: one count moves from the old value to the new, nothing when
 *    unchanged, and the counter `rev` is bumped on a change. `tally['']` holds the `rev` its counts
 *    match; when missing or different (older data, a write that did not keep the tally) the tally is
 *    first rebuilt from the whole hash. A step's ballot writes apply after its other writes.
 */
export type Write =
  | { op?: 'set'; key: string; value: unknown; ttlMs?: number }
  | { op: 'push'; key: string; item: unknown; limit: number; reset?: boolean; ttlMs?: number }
  | { op: 'hset'; key: string; fields: Record<string, string>; reset?: boolean; ifAbsent?: boolean; ttlMs?: number }
  | { op: 'incr'; key: string; ttlMs?: number }
  | { op: 'expire'; key: string; ttlMs: number }
  | { op: 'ballot'; key: string; field: string; value: string; tally: string; rev: string; ttlMs?: number };

/** The keys a write touches. */
export function keysOf(w: Write): string[] {
  return w.op === 'ballot' ? [w.key, w.tally, w.rev] : [w.key];
}

/**
 * What to read: a value, a whole hash (Record<string, string>), the number of fields of a hash, or
 * items start..stop (inclusive, -1 = last) of a list.
 */
export type ReadSpec =
  | { kind: 'value'; key: string }
  | { kind: 'hash'; key: string }
  | { kind: 'count'; key: string }
  | { kind: 'range'; key: string; start: number; stop: number };

export interface AtomicStep<T> {
  writes: Write[];
  result: T;
  /** Reads right after the writes, in the same atomic step (keys among the step's keys); `result` is then computed from them. */
  after?: { reads: ReadSpec[]; result: (values: unknown[]) => T };
}

/** Reads more inside an atomic step, consistent with the values it got (a conflict re-runs the step). */
export interface AtomicSnapshot {
  range(key: string, start: number, stop: number): Promise<unknown>;
}

/**
 * Computes the writes from the current values of the guarded keys (same order as requested, then
 * the `extra` reads). May run more than once (after a conflict); may throw, in which case nothing is written.
 */
export type AtomicFn<T> = (current: unknown[], snapshot: AtomicSnapshot) => AtomicStep<T> | Promise<AtomicStep<T>>;

export interface AtomicOptions {
  /** Keys written without being compared (history list, ballots hash): only the guarded keys decide a conflict. */
  also?: string[];
  /** Read with the guarded keys, in the same snapshot, without being compared. */
  extra?: ReadSpec[];
}

export interface Backend {
  readonly kind: StoreKind;
  readonly stats: StoreStats;
  describe(): string;
  read(keys: string[]): Promise<unknown[]>;
  /**
   * One consistent read of values, hashes and list ranges: a list range is `unknown[]`, a hash a
   * `Record<string, string>` or a flat `[field, value, …]` array (Redis), or Unreadable / undefined;
   * a count is a number (0 when the hash is missing) or Unreadable.
   */
  readAll(specs: ReadSpec[]): Promise<unknown[]>;
  write(writes: Write[]): Promise<void>;
  /** Writes only if none of `keys` changed between the read and the write; the writes may only touch `keys` and `options.also`. */
  atomic<T>(keys: string[], fn: AtomicFn<T>, options?: AtomicOptions): Promise<T>;
  ping(): Promise<number>;
  close(): Promise<void>;
  /** Writes a value without any envelope checks (tests). */
  putRaw(key: string, value: unknown): Promise<void>;
}

export function finish<T>(step: AtomicStep<T>, after: unknown[] | undefined): T {
  return step.after ? step.after.result(after ?? []) : step.result;
}

/**
 * Serializes async work per key inside one process. `run(keys, fn)` waits for every earlier task
 * on any of the keys, then runs fn; tasks on disjoint keys run concurrently. Deadlock-free because
 * a task waits only for tasks queued before it.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)];
    const before = unique.map((key) => this.#tails.get(key) ?? Promise.resolve());
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    for (const key of unique) this.#tails.set(key, done);
    try {
      await Promise.all(before);
      return await fn();
    } finally {
      release();
      for (const key of unique) {
        if (this.#tails.get(key) === done) this.#tails.delete(key);
      }
    }
  }

  /** Resolves when every task queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.#tails.values()]);
  }
}

/** Converts anything that is not already a StoreError into StoreUnavailableError. */
export function asStoreError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new StoreUnavailableError(`${what}: ${detail}`, { cause: error });
}

export interface LocalBackendOptions {
  kind: 'file' | 'memory';
  keyv: Keyv;
  description: string;
  /** Extra work on close (flush the file, release the lock). */
  onClose?: () => Promise<void>;
}

/** Keyv over a Map or keyv-file: one process owns the data, so the per-key queue makes updates atomic. */
export class LocalBackend implements Backend {
  readonly kind: 'file' | 'memory';
  readonly stats: StoreStats = { casRetries: 0, ops: 0, errors: 0 };
  readonly #keyv: Keyv;
  readonly #queue = new KeyedQueue();
  readonly #description: string;
  readonly #onClose: (() => Promise<void>) | undefined;
  #closed = false;

  constructor(options: LocalBackendOptions) {
    this.kind = options.kind;
    this.#keyv = options.keyv;
    this.#description = options.description;
    this.#onClose = options.onClose;
    // Keyv re-emits adapter errors; an unheard 'error' must never take the process down.
    this.#keyv.on('error', () => {});
  }

  describe(): string {
    return this.#description;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
  }

  async read(keys: string[]): Promise<unknown[]> {
    this.#checkOpen();
    try {
      return await Promise.all(keys.map((key) => this.#keyv.get(key)));
    } catch (error) {
      throw asStoreError(error, 'read failed');
    }
  }

  async readAll(specs: ReadSpec[]): Promise<unknown[]> {
    const values = await this.read(specs.map((s) => s.key));
    return specs.map((spec, i) => localView(spec, values[i]));
  }

  /** One write; read-modify-write for lists, hashes and counters (callers hold the key's queue). */
  async #apply(w: Write): Promise<void> {
    switch (w.op) {
      case undefined:
      case 'set':
        if (w.value === undefined) await this.#keyv.delete(w.key);
        else await this.#keyv.set(w.key, w.value, w.ttlMs);
        return;
      case 'push': {
        const old: unknown = w.reset ? undefined : await this.#keyv.get(w.key);
        const list = Array.isArray(old) ? old : [];
        await this.#keyv.set(w.key, [w.item, ...list].slice(0, Math.max(1, w.limit)), w.ttlMs);
        return;
      }
      case 'hset': {
        const old: unknown = w.reset ? undefined : await this.#keyv.get(w.key);
        const hash = isRecord(old) ? old : {};
        await this.#keyv.set(w.key, w.ifAbsent ? { ...w.fields, ...hash } : { ...hash, ...w.fields }, w.ttlMs);
        return;
      }
      case 'incr': {
        const old: unknown = await this.#keyv.get(w.key);
        await this.#keyv.set(w.key, (typeof old === 'number' ? old : 0) + 1, w.ttlMs);
        return;
      }
      case 'expire': {
        const old: unknown = await this.#keyv.get(w.key);
        if (old !== undefined) await this.#keyv.set(w.key, old, w.ttlMs);
        return;
      }
      case 'ballot':
        return this.#ballot(w);
    }
  }

  /** A ballot and its tally (see Write); the keys are written together, so one save holds all of them. */
  async #ballot(w: Extract<Write, { op: 'ballot' }>): Promise<void> {
    const [h, t, r] = (await Promise.all([this.#keyv.get(w.key), this.#keyv.get(w.tally), this.#keyv.get(w.rev)])) as unknown[];
    const hash = isRecord(h) ? h : {};
    const rev = typeof r === 'number' ? r : 0;
    let tally: Record<string, unknown> | undefined = isRecord(t) && t[''] === rev ? t : undefined;
    const rebuilt = tally === undefined;
    if (!tally) {
      const counts: Record<string, number> = { '': rev };
      for (const field in hash) {
        const value = hash[field];
        if (typeof value === 'string' && value !== '') counts[value] = (counts[value] ?? 0) + 1;
      }
      tally = counts;
    }
    const old = hash[w.field];
    const sets: Promise<unknown>[] = [];
    if (old !== w.value) {
      const counts: Record<string, unknown> = { ...tally, '': rev + 1 };
      if (typeof old === 'string' && old !== '') counts[old] = Number(counts[old] ?? 0) - 1;
      counts[w.value] = Number(counts[w.value] ?? 0) + 1;
      sets.push(this.#keyv.set(w.key, { ...hash, [w.field]: w.value }, w.ttlMs), this.#keyv.set(w.rev, rev + 1, w.ttlMs), this.#keyv.set(w.tally, counts, w.ttlMs));
    } else if (rebuilt) {
      sets.push(this.#keyv.set(w.tally, tally, w.ttlMs));
    }
    await Promise.all(sets);
  }

  async write(writes: Write[]): Promise<void> {
    this.#checkOpen();
    try {
      // Keys in parallel (so that all of them reach the data before the next save: keyv-file batches
      // saves), the writes to one key in order.
      const byKey = new Map<string, Write[]>();
      const ballots: Write[] = [];
      for (const w of writes) {
        if (w.op === 'ballot') ballots.push(w);
        else byKey.set(w.key, [...(byKey.get(w.key) ?? []), w]);
      }
      await Promise.all(
        [...byKey.values()].map(async (list) => {
          for (const w of list) await this.#apply(w);
        }),
      );
      // A ballot touches three keys: after the other writes (they may have moved ballots into the hash).
      for (const w of ballots) await this.#apply(w);
    } catch (error) {
      throw asStoreError(error, 'write failed');
    }
  }

  atomic<T>(keys: string[], fn: AtomicFn<T>, options: AtomicOptions = {}): Promise<T> {
    const extra = options.extra ?? [];
    const writable = new Set([...keys, ...(options.also ?? [])]);
    return this.#queue.run([...writable, ...extra.map((s) => s.key)], async () => {
      const current = [...(await this.read(keys)), ...(await this.readAll(extra))];
      const snapshot: AtomicSnapshot = {
        range: async (key, start, stop) => (await this.readAll([{ kind: 'range', key, start, stop }]))[0],
      };
      const step = await fn(current, snapshot);
      for (const w of step.writes) {
        for (const key of keysOf(w)) if (!writable.has(key)) throw new Error(`atomic write to ${key} outside its keys`);
      }
      await this.write(step.writes);
      if (step.after) {
        for (const spec of step.after.reads) if (!writable.has(spec.key)) throw new Error(`atomic read of ${spec.key} outside its keys`);
      }
      return finish(step, step.after ? await this.readAll(step.after.reads) : undefined);
    });
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.read(['__ping__']);
    return performance.now() - started;
  }

  async putRaw(key: string, value: unknown): Promise<void> {
    await this.#keyv.set(key, value);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    // Let queued work finish before closing underneath it.
    await this.#queue.idle();
    this.#closed = true;
    await this.#onClose?.();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stored local value seen as a value, a hash or a list range. */
function localView(spec: ReadSpec, value: unknown): unknown {
  if (spec.kind === 'value') return value;
  if (value === undefined) return spec.kind === 'range' ? [] : spec.kind === 'count' ? 0 : undefined;
  if (spec.kind === 'hash') return isRecord(value) ? value : new Unreadable('not a hash');
  if (spec.kind === 'count') return isRecord(value) ? Object.keys(value).length : new Unreadable('not a hash');
  if (!Array.isArray(value)) return new Unreadable('not a list');
  return value.slice(spec.start, spec.stop < 0 ? value.length + spec.stop + 1 : spec.stop + 1);
}
