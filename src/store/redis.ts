/**
 * The Redis backend: Keyv + @keyv/redis over ONE @redis/client connection that this module
 * creates and tunes, so an outage is an error you can report instead of a silent `undefined`:
 *  - `disableOfflineQueue`: while the connection is down, commands fail at once (ClientOfflineError)
 *    instead of queueing until Redis comes back;
 *  - a deadline of commandTimeoutMs on every call (node-redis' own `commandOptions.timeout`, also
 *    set, only covers commands not yet written to the socket, so a frozen server would hang us);
 *  - `socket.connectTimeout` + a reconnect strategy that backs off to reconnectMaxDelayMs and never
 *    gives up, so the store heals by itself once Redis is back;
 *  - 'error' listeners on the client and on Keyv: connection errors are logged (once per outage),
 *    never thrown at the process;
 *  - Keyv/KeyvRedis `throwOnErrors`/`throwOnConnectError` for the writes that go through Keyv.
 * All these options live in `REDIS_DEFAULTS` and `redisClientOptions()` below.
 *
 * Atomic updates: values are read raw (READ_SCRIPT) and written by one Lua script (CAS_SCRIPT)
 * that compares every key's current raw value with what was read (the value includes the record's
 * version, card message, ballots …) and only then writes all keys — draft and history change together or not at
 * all. On a conflict the caller's function is re-run on fresh values, with jittered back-off, at most
 * casMaxAttempts times (then StoreBusyError). Values are stored in Keyv's envelope
 * (`{"value":…,"expires":…}`, byte-for-byte Keyv's own encoding: src/store/codec.ts) so Keyv reads what the script writes.
 */
import { createClient, type RedisClientType } from '@redis/client';
import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { createEnvelopeCodec, type EnvelopeCodec, type KeyvFunctions } from './codec.js';
import { asStoreError, KeyedQueue, Unreadable, type AtomicFn, type Backend, type Write } from './backend.js';
import { StoreBusyError, StoreError, StoreUnavailableError } from './errors.js';
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
 * A key's state as one string: 'N' missing, 'S' .. raw for a string value, 'T' .. type for any
 * other Redis type (foreign data). Reads and compare-and-set use the same tokens.
 */
const TOKEN_FN = `
local function token(key)
  local t = redis.call('TYPE', key)['ok']
  if t == 'none' then return 'N' end
  if t == 'string' then return 'S' .. redis.call('GET', key) end
  return 'T' .. t
end
`;

/** Returns the token of every KEY. */
export const READ_SCRIPT = `${TOKEN_FN}
local out = {}
for i = 1, #KEYS do out[i] = token(KEYS[i]) end
return out
`;

/**
 * Compare-and-set over all KEYS. ARGV[1..n]: the token each key had when read. Then per key three
 * args: op ('S' set, 'D' delete, 'K' keep), value, ttl in ms (0 = none). 1 = written, 0 = conflict.
 */
export const CAS_SCRIPT = `${TOKEN_FN}
local n = #KEYS
for i = 1, n do
  if token(KEYS[i]) ~= ARGV[i] then return 0 end
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

/** Every client failure (offline, timeout, closed socket, server error reply) is StoreUnavailableError. */
function mapRedisError(error: unknown, what: string): StoreError {
  return asStoreError(error, `redis ${what}`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

type Client = RedisClientType;

export class RedisBackend implements Backend {
  readonly kind = 'redis' as const;
  readonly stats: StoreStats = { casRetries: 0, ops: 0, errors: 0 };
  readonly #client: Client;
  readonly #keyv: Keyv;
  readonly #codec: EnvelopeCodec;
  readonly #tuning: RedisTuning;
  readonly #queue = new KeyedQueue();
  readonly #label: string;
  readonly #namespaceLabel: string;
  #closed = false;

  private constructor(client: Client, keyv: Keyv, tuning: RedisTuning, label: string, namespaceLabel: string) {
    this.#client = client;
    this.#keyv = keyv;
    // Keyv's default (synchronous) serializer, with a plain-JSON fast path (src/store/codec.ts).
    this.#codec = createEnvelopeCodec(keyv as unknown as KeyvFunctions);
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

  /** Runs one client call with a deadline; every failure becomes a StoreError. */
  async #call<T>(what: string, run: () => Promise<T>): Promise<T> {
    this.#checkOpen();
    const ms = this.#tuning.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = run();
      pending.catch(() => {}); // may settle after the deadline; nobody listens then
      return await Promise.race([
        pending,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreUnavailableError(`redis ${what}: no reply within ${ms} ms`)), ms);
        }),
      ]);
    } catch (error) {
      throw mapRedisError(error, what);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Decodes a READ_SCRIPT token: undefined when missing, Unreadable when not ours. */
  async #decode(token: string): Promise<unknown> {
    if (token === 'N') return undefined;
    if (token.startsWith('T')) return new Unreadable(`holds a Redis ${token.slice(1)}, not a value saltbot writes (foreign data?)`);
    let data: unknown;
    try {
      data = this.#codec.decode(token.slice(1));
    } catch {
      return new Unreadable('not JSON');
    }
    if (typeof data !== 'object' || data === null || !('value' in data)) {
      return new Unreadable('not a value written by saltbot (no Keyv envelope)');
    }
    const { value, expires } = data as { value: unknown; expires?: unknown };
    if (typeof expires === 'number' && expires < Date.now()) return undefined;
    return value;
  }

  async #encode(value: unknown, ttlMs: number | undefined): Promise<string> {
    const envelope = { value, expires: ttlMs ? Date.now() + ttlMs : undefined };
    return this.#codec.encode(envelope);
  }

  async #readTokens(keys: string[]): Promise<string[]> {
    const reply = await this.#call('read', () => this.#client.eval(READ_SCRIPT, { keys }));
    if (!Array.isArray(reply) || reply.length !== keys.length) throw new StoreUnavailableError('redis read: unexpected reply');
    return reply.map(String);
  }

  async read(keys: string[]): Promise<unknown[]> {
    const tokens = await this.#readTokens(keys);
    return Promise.all(tokens.map((token) => this.#decode(token)));
  }

  async write(writes: Write[]): Promise<void> {
    for (const w of writes) {
      if (w.value === undefined) await this.#call('write', () => this.#keyv.delete(w.key));
      else await this.#call('write', () => this.#keyv.set(w.key, w.value, w.ttlMs));
    }
  }

  atomic<T>(keys: string[], fn: AtomicFn<T>): Promise<T> {
    return this.#queue.run(keys, async () => {
      for (let attempt = 1; ; attempt++) {
        const tokens = await this.#readTokens(keys);
        const current = await Promise.all(tokens.map((token) => this.#decode(token)));
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
        const args = [...tokens];
        keys.forEach((_, i) => args.push(ops[i]!, values[i]!, ttls[i]!));
        const written = await this.#call('write', () => this.#client.eval(CAS_SCRIPT, { keys, arguments: args }));
        if (written === 1) return step.result;
        this.stats.casRetries++;
        if (attempt >= this.#tuning.casMaxAttempts) throw new StoreBusyError(keys[0] ?? '', attempt);
        // Full jitter, growing: a writer that keeps losing waits longer, which lets it through.
        await sleep(Math.random() * Math.min(5 * 2 ** attempt, 250));
      }
    });
  }

  async ping(): Promise<number> {
    const started = performance.now();
    await this.#call('ping', () => this.#client.ping());
    return performance.now() - started;
  }

  async putRaw(key: string, value: unknown): Promise<void> {
    if (typeof value === 'string') await this.#call('write', () => this.#client.set(key, value));
    else await this.#call('write', () => this.#keyv.set(key, value));
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
