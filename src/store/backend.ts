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

/** One write of an atomic step: `value: undefined` deletes the key. `ttlMs` undefined = no expiry. */
export interface Write {
  key: string;
  value: unknown;
  ttlMs?: number;
}

export interface AtomicStep<T> {
  writes: Write[];
  result: T;
}

/**
 * Computes the writes from the current values of the keys (same order as requested).
 * May run more than once (after a conflict); may throw, in which case nothing is written.
 */
export type AtomicFn<T> = (current: unknown[]) => AtomicStep<T> | Promise<AtomicStep<T>>;

export interface Backend {
  readonly kind: StoreKind;
  readonly stats: StoreStats;
  describe(): string;
  read(keys: string[]): Promise<unknown[]>;
  write(writes: Write[]): Promise<void>;
  /** Writes only if none of `keys` changed between the read and the write; the writes may only touch `keys`. */
  atomic<T>(keys: string[], fn: AtomicFn<T>): Promise<T>;
  ping(): Promise<number>;
  close(): Promise<void>;
  /** Writes a value without any envelope checks (tests). */
  putRaw(key: string, value: unknown): Promise<void>;
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

  async write(writes: Write[]): Promise<void> {
    this.#checkOpen();
    try {
      // Started together so that all of them reach the data before the next save (keyv-file batches saves).
      await Promise.all(writes.map((w) => (w.value === undefined ? this.#keyv.delete(w.key) : this.#keyv.set(w.key, w.value, w.ttlMs))));
    } catch (error) {
      throw asStoreError(error, 'write failed');
    }
  }

  atomic<T>(keys: string[], fn: AtomicFn<T>): Promise<T> {
    return this.#queue.run(keys, async () => {
      const current = await this.read(keys);
      const step = await fn(current);
      for (const w of step.writes) {
        if (!keys.includes(w.key)) throw new Error(`atomic write to ${w.key} outside its keys`);
      }
      await this.write(step.writes);
      return step.result;
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
