/**
 * The Redis backend: Keyv + @keyv/redis over ONE @redis/client connection that this module
 * creates and tunes, so an outage is an error you can report instead of a silent `undefined`:
 *  - `disableOfflineQueue`: while the connection is down, commands fail at once (ClientOfflineError)
 *    instead of queueing until Redis comes back;
 *  - `commandOptions.timeout`: a command without a reply fails after commandTimeoutMs;
 *  - `socket.connectTimeout` + a reconnect strategy that backs off to reconnectMaxDelayMs and never
 *    gives up, so the store heals by itself once Redis is back;
 *  - 'error' listeners on the client and on Keyv: connection errors are logged (once per outage),
 *    never thrown at the process;
 *  - Keyv/KeyvRedis `throwOnErrors`/`throwOnConnectError` for the writes that go through Keyv.
 * All these options live in `REDIS_DEFAULTS` and `redisClientOptions()` below.
 *
 * Atomic updates: values are read raw (MGET) and written by one Lua script that compares every
 * key's current raw value with what was read (the value includes the record's version, card
 * message, ballots …) and only then writes all keys — draft and history change together or not at
 * all. On a conflict the caller's function is re-run on fresh values, with jittered back-off, at most
 * casMaxAttempts times (then StoreBusyError). Values are stored in Keyv's envelope
 * (`{"value":…,"expires":…}` via Keyv's own serializer) so Keyv reads what the script writes.
 */
import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { asStoreError, KeyedQueue, type AtomicFn, type Backend, type Write } from './backend.js';
import { StoreBusyError, StoreCorruptError, StoreError, StoreUnavailableError } from './errors.js';
import type { RedisTuning, StoreLogger, StoreStats } from './types.js';

export const REDIS_DEFAULTS: RedisTuning = {
  connectTimeoutMs: 2_000,
  commandTimeoutMs: 1_500,
  startupTimeoutMs: 5_000,
  reconnectMaxDelayMs: 2_000,
  casMaxAttempts: 20,
};

/** Back-off 50 ms, 100 ms, 200 ms … capped at maxDelayMs, ±10 % jitter; never gives up. */
export function reconnectDelay(retries: number, maxDelayMs: number): number {
  const base = Math.min(50 * 2 ** Math.min(retries, 16), maxDelayMs);
  return Math.round(base * (0.9 + Math.random() * 0.2));
}

export function redisClientOptions(url: string, tuning: RedisTuning) {
  return {
    url,
    disableOfflineQueue: true,
    commandOptions: { timeout: tuning.commandTimeoutMs },
    socket: {
      connectTimeout: tuning.connectTimeoutMs,
      keepAlive: true,
      reconnectStrategy: (retries: number) => reconnectDelay(retries, tuning.reconnectMaxDelayMs),
    },
  };
}

/**
 * Compare-and-set over all KEYS. ARGV[1..n]: '' = expect missing, '=' .. raw = expect exactly raw.
 * Then per key three args: op ('S' set, 'D' delete, 'K' keep), value, ttl in ms (0 = none).
 * Returns 1 when written, 0 on conflict.
 */
export const CAS_SCRIPT = `
local n = #KEYS
for i = 1, n do
  local cur = redis.call('GET', KEYS[i])
  local exp = ARGV[i]
  if exp == '' then
    if cur then return 0 end
  elseif cur ~= string.sub(exp, 2) then
    return 0
  end
end
for i = 1, n do
  local base = n + (i - 1) * 3
  local op = ARGV[base + 1]
  if op == 'S' then
    local ttl = tonumber(ARGV[base + 3])
    if ttl > 0 then
      redis.call('SET', KEYS[i], ARGV[base + 2], 'PX', ttl)
    else
      redis.call('SET', KEYS[i], ARGV[base + 2])
    end
  elseif op == 'D' then
    redis.call('DEL', KEYS[i])
  end
end
return 1
`;

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'redis';
  }
}

function mapRedisError(error: unknown, key: string, what: string): StoreError {
  if (error instanceof StoreError) return error;
  if (error instanceof ErrorReply && error.message.includes('WRONGTYPE')) {
    return new StoreCorruptError(key, 'holds a Redis value of another type (foreign data?)', { cause: error });
  }
  return asStoreError(error, `redis ${what}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Client = RedisClientType;

export class RedisBackend implements Backend {
  readonly kind = 'redis' as const;
  readonly stats: StoreStats = { casRetries: 0, ops: 0, errors: 0 };
  readonly #client: Client;
  readonly #keyv: Keyv;
  readonly #tuning: RedisTuning;
  readonly #queue = new KeyedQueue();
  readonly #label: string;
  readonly #namespaceLabel: string;
  #closed = false;

  private constructor(client: Client, keyv: Keyv, tuning: RedisTuning, label: string, namespaceLabel: string) {
    this.#client = client;
    this.#keyv = keyv;
    this.#tuning = tuning;
    this.#label = label;
    this.#namespaceLabel = namespaceLabel;
  }

  /** Connects (StoreUnavailableError when Redis is not ready within startupTimeoutMs). */
  static async connect(options: { url: string; tuning?: Partial<RedisTuning>; logger: StoreLogger; namespaceLabel: string }): Promise<RedisBackend> {
    const tuning = { ...REDIS_DEFAULTS, ...options.tuning };
    const label = redactUrl(options.url);
    const client = createClient(redisClientOptions(options.url, tuning)) as unknown as Client;
    const { logger } = options;
    let state: 'starting' | 'up' | 'down' = 'starting';
    client.on('error', (error: Error) => {
      if (state === 'up') {
        state = 'down';
        logger.warn(`store: lost Redis at ${label} (${error.message}); reconnecting in the background`);
      }
    });
    client.on('ready', () => {
      if (state === 'down') logger.info(`store: Redis at ${label} is back`);
      state = 'up';
    });

    let timer: NodeJS.Timeout | undefined;
    const connecting = client.connect();
    connecting.catch(() => {}); // rejection handled via the race below
    try {
      await Promise.race([
        connecting,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`not ready after ${tuning.startupTimeoutMs} ms`)), tuning.startupTimeoutMs);
        }),
      ]);
    } catch (error) {
      client.destroy();
      throw new StoreUnavailableError(`cannot reach Redis at ${label}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
    state = 'up';

    // Keyv over the same client; no namespace (our keys carry their prefix) and no double prefix.
    const keyv = createKeyv(client as never, {
      throwOnErrors: true,
      throwOnConnectError: true,
      connectionTimeout: tuning.connectTimeoutMs,
    });
    keyv.on('error', () => {}); // surfaced as thrown errors; the listener keeps emit() harmless
    return new RedisBackend(client, keyv, tuning, label, options.namespaceLabel);
  }

  describe(): string {
    return `Redis at ${this.#label} (keys "${this.#namespaceLabel}:…"; shared safely by any number of bot processes)`;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreUnavailableError('the store is closed');
  }

  async #decode(key: string, raw: string | null | undefined): Promise<unknown> {
    if (raw === null || raw === undefined) return undefined;
    let data: unknown;
    try {
      data = await this.#keyv.deserialize!(raw);
    } catch (error) {
      throw new StoreCorruptError(key, 'not JSON', { cause: error });
    }
    if (typeof data !== 'object' || data === null || !('value' in data)) {
      throw new StoreCorruptError(key, 'not a value written by saltbot (no Keyv envelope)');
    }
    const { value, expires } = data as { value: unknown; expires?: unknown };
    if (typeof expires === 'number' && expires < Date.now()) return undefined;
    return value;
  }

  async #encode(value: unknown, ttlMs: number | undefined): Promise<string> {
    const envelope = { value, expires: ttlMs ? Date.now() + ttlMs : undefined };
    const serialized = await this.#keyv.serialize!(envelope);
    if (typeof serialized !== 'string') throw new Error('Keyv serializer did not return a string');
    return serialized;
  }

  async #readRaw(keys: string[]): Promise<(string | null)[]> {
    this.#checkOpen();
    try {
      return (await this.#client.mGet(keys)) as (string | null)[];
    } catch (error) {
      throw mapRedisError(error, keys[0] ?? '', 'read');
    }
  }

  async read(keys: string[]): Promise<unknown[]> {
    const raws = await this.#readRaw(keys);
    return Promise.all(keys.map((key, i) => this.#decode(key, raws[i])));
  }

  async write(writes: Write[]): Promise<void> {
    this.#checkOpen();
    for (const w of writes) {
      try {
        if (w.value === undefined) await this.#keyv.delete(w.key);
        else await this.#keyv.set(w.key, w.value, w.ttlMs);
      } catch (error) {
        throw mapRedisError(error, w.key, 'write');
      }
    }
  }

  atomic<T>(keys: string[], fn: AtomicFn<T>): Promise<T> {
    return this.#queue.run(keys, async () => {
      for (let attempt = 1; ; attempt++) {
        const raws = await this.#readRaw(keys);
        const current = await Promise.all(keys.map((key, i) => this.#decode(key, raws[i])));
        const step = await fn(current);
        const ops: string[] = keys.map(() => 'K');
        const values: string[] = keys.map(() => '');
        const ttls: string[] = keys.map(() => '0');
        for (const w of step.writes) {
          const index = keys.indexOf(w.key);
          if (index < 0) throw new Error(`atomic write to ${w.key} outside its keys`);
          if (w.value === undefined) {
            ops[index] = 'D';
          } else {
            ops[index] = 'S';
            values[index] = await this.#encode(w.value, w.ttlMs);
            ttls[index] = String(w.ttlMs && w.ttlMs > 0 ? Math.ceil(w.ttlMs) : 0);
          }
        }
        const args = raws.map((raw) => (raw === null ? '' : `=${raw}`));
        keys.forEach((_, i) => args.push(ops[i]!, values[i]!, ttls[i]!));
        let written: unknown;
        try {
          this.#checkOpen();
          written = await this.#client.eval(CAS_SCRIPT, { keys, arguments: args });
        } catch (error) {
          throw mapRedisError(error, keys[0] ?? '', 'write');
        }
        if (written === 1) return step.result;
        this.stats.casRetries++;
        if (attempt >= this.#tuning.casMaxAttempts) throw new StoreBusyError(keys[0] ?? '', attempt);
        await sleep(Math.random() * Math.min(2 * 2 ** attempt, 50));
      }
    });
  }

  async ping(): Promise<number> {
    this.#checkOpen();
    const started = performance.now();
    try {
      await this.#client.ping();
    } catch (error) {
      throw mapRedisError(error, '', 'ping');
    }
    return performance.now() - started;
  }

  async putRaw(key: string, value: unknown): Promise<void> {
    try {
      if (typeof value === 'string') await this.#client.set(key, value);
      else await this.#keyv.set(key, value);
    } catch (error) {
      throw mapRedisError(error, key, 'write');
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#queue.idle();
    this.#closed = true;
    if (!this.#client.isOpen) return;
    if (this.#client.isReady) {
      try {
        await this.#client.close();
        return;
      } catch {
        // fall through to destroy
      }
    }
    this.#client.destroy();
  }
}
