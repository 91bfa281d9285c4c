/**
 * The Redis backend: Keyv + @keyv/redis over ONE @redis/client connection that this module
 * creates and tunes, so an outage is an error you can report instead of a silent `undefined`:
 *  - `disableOfflineQueue`: while the connection is down, commands fail at once (ClientOfflineError)
 *    instead of queueing until Redis comes back;
 *  - a deadline of commandTimeoutMs on every call (#call). node-redis' own `commandOptions.timeout`
 *    is not used: it only covers commands not yet written to the socket (a frozen server would
 *    still hang us) and costs an AbortSignal.timeout per command (~3 % of a busy bot's CPU);
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
 * casMaxAttempts times (then StoreBusyError). The read is skipped when this process knows what the
 * guarded keys held (it read or wrote them last: KnownValues): the compare-and-set checks that
 * value like any read, so an uncontended edit is one round trip; if another process changed it, or
 * the step threw on it, the step runs again on values read from Redis. Values are stored in Keyv's envelope
 * (`{"value":…,"expires":…}`, byte-for-byte Keyv's own encoding: src/store/codec.ts) so Keyv reads what the script writes.
 */
import { createHash } from 'node:crypto';
import { createClient, type RedisClientType } from '@redis/client';
import { createKeyv } from '@keyv/redis';
import type { Keyv } from 'keyv';
import { createEnvelopeCodec, type EnvelopeCodec, type KeyvFunctions } from './codec.js';
import { asStoreError, finish, KeyedQueue, keysOf, Unreadable, type AtomicFn, type AtomicOptions, type AtomicSnapshot, type Backend, type ReadSpec, type Write } from './backend.js';
import { StoreBusyError, StoreError, StoreUnavailableError } from './errors.js';
import type { RedisTuning, StoreLogger, StoreStats } from './types.js';

export const REDIS_DEFAULTS: RedisTuning = {
  connectTimeoutMs: 2_000,
  commandTimeoutMs: 1_500,
  startupTimeoutMs: 5_000,
  reconnectMaxDelayMs: 2_000,
  casMaxAttempts: 20,
  knownKeys: 5_000,
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

/**
 * Whether KEYS' value still is what was read: `expected` is the token itself, or for a long one
 * '#' .. its SHA1 (so a compare-and-set does not send a 4 KB draft back to Redis to compare it).
 */
const SAME_FN = `
local function matches(t, expected)
  if string.byte(expected, 1) == 35 then return redis.sha1hex(t) == string.sub(expected, 2) end
  return t == expected
end
local function same(key, expected)
  return matches(token(key), expected)
end
`;

/**
 * What READ_SCRIPT returns for ARGV kind 'h' (a hash), 'c' (a hash's number of fields) or
 * 'r:<start>:<stop>' (a list range): a table tagged 'N' missing, 'H' hash (fields and values follow),
 * 'C' count (the number follows), 'L' list (items follow), 'S' a string (older data: one value; raw
 * text follows), 'T' another type (the type follows).
 */
const VIEW_FN = `
local function view(key, kind)
  if kind == 'v' then return token(key) end
  if string.byte(kind, 1) == 107 then
    local t = token(key)
    if matches(t, string.sub(kind, 2)) then return 'K' end
    return t
  end
  local t = redis.call('TYPE', key)['ok']
  if t == 'none' then return {'N'} end
  if kind == 'c' then
    if t ~= 'hash' then return {'T', t} end
    return {'C', redis.call('HLEN', key)}
  end
  if kind == 'h' then
    if t ~= 'hash' then return {'T', t} end
    local out = redis.call('HGETALL', key)
    table.insert(out, 1, 'H')
    return out
  end
  if t == 'string' then return {'S', redis.call('GET', key)} end
  if t ~= 'list' then return {'T', t} end
  local from, to = string.match(kind, '^r:(-?%d+):(-?%d+)$')
  local out = redis.call('LRANGE', key, tonumber(from), tonumber(to))
  table.insert(out, 1, 'L')
  return out
end
`;

/**
 * ARGV[i]: what to read at KEYS[i] ('v' the value's token, 'k' .. a compare token (as SAME_FN's): 'K'
 * when the value still is that one, else its token; 'h', 'r:<start>:<stop>').
 */
export const READ_SCRIPT = `${TOKEN_FN}${SAME_FN}${VIEW_FN}
local out = {}
for i = 1, #KEYS do out[i] = view(KEYS[i], ARGV[i] or 'v') end
return out
`;

/**
 * One ballot: field `field` of the hash `key` set to `value`, the tally hash `tk` (value → number
 * of ballots) kept in step and the counter `rk` bumped when the ballot changes. The tally's field ''
 * holds the counter value its counts match; when missing or different (older data, a cast by a
 * version that did not keep the tally) it is rebuilt from the whole hash first: once, O(ballots).
 * Otherwise O(1): HGET the old value, HSET the new, HINCRBY −1/+1, only when it changed.
 */
const BALLOT_FN = `
local function ballot(key, field, value, tk, rk)
  local rev = redis.call('GET', rk) or '0'
  if redis.call('HGET', tk, '') ~= rev then
    redis.call('DEL', tk)
    local all = redis.call('HGETALL', key)
    local counts = {}
    for i = 2, #all, 2 do
      local v = all[i]
      if v ~= '' then counts[v] = (counts[v] or 0) + 1 end
    end
    redis.call('HSET', tk, '', rev)
    for v, n in pairs(counts) do redis.call('HSET', tk, v, n) end
  end
  local old = redis.call('HGET', key, field)
  if old == value then return end
  redis.call('HSET', key, field, value)
  if old then redis.call('HINCRBY', tk, old, -1) end
  redis.call('HINCRBY', tk, value, 1)
  redis.call('HSET', tk, '', redis.call('INCR', rk))
end
`;

/** A list range inside an atomic step: KEYS = guarded keys then the list; 0 when a guarded key changed since it was read. */
export const RANGE_IF_SCRIPT = `${TOKEN_FN}${SAME_FN}${VIEW_FN}
local n = #KEYS - 1
for i = 1, n do
  if not same(KEYS[i], ARGV[i]) then return 0 end
end
return view(KEYS[n + 1], ARGV[n + 1])
`;

/**
 * Compare-and-set. KEYS: the G guarded keys, then the other keys written. ARGV[1] = G, ARGV[2] = the
 * number of writes M, ARGV[3] = the number of reads A after the writes, then G tokens (as read; a long one as '#' .. its SHA1, see SAME_FN), then
 * five args per write: key index, op, ttl in ms (0 = none), a, b, then two per read: key index, kind
 * (as READ_SCRIPT's). Ops: S set a, D delete, P push item a and trim to b items, R the same on an
 * emptied list, H hset a (JSON [field, value, …]), Q the same on an emptied hash, X the same keeping
 * fields already set, I incr, E expire, B ballot (a: JSON [field, value, tally key index, rev key
 * index]; see BALLOT_FN). Returns 0 on a conflict, -i when the list at KEYS[i] still holds older data
 * (one string value) and must be converted first, else 1 (A = 0) or the A views.
 */
export const CAS_SCRIPT = `${TOKEN_FN}${SAME_FN}${VIEW_FN}${BALLOT_FN}
local g = tonumber(ARGV[1])
local m = tonumber(ARGV[2])
local reads = tonumber(ARGV[3])
for i = 1, g do
  if not same(KEYS[i], ARGV[3 + i]) then return 0 end
end
local base = 3 + g
for w = 0, m - 1 do
  local at = base + w * 5
  local op = ARGV[at + 2]
  if op == 'P' then
    local index = tonumber(ARGV[at + 1])
    local t = redis.call('TYPE', KEYS[index])['ok']
    if t ~= 'list' and t ~= 'none' then return -index end
  end
end
for w = 0, m - 1 do
  local at = base + w * 5
  local key = KEYS[tonumber(ARGV[at + 1])]
  local op = ARGV[at + 2]
  local ttl = tonumber(ARGV[at + 3])
  local a = ARGV[at + 4]
  if op == 'S' then
    if ttl > 0 then redis.call('SET', key, a, 'PX', ttl) else redis.call('SET', key, a) end
    ttl = 0
  elseif op == 'D' then
    redis.call('DEL', key)
  elseif op == 'P' or op == 'R' then
    if op == 'R' then redis.call('DEL', key) end
    redis.call('LPUSH', key, a)
    redis.call('LTRIM', key, 0, tonumber(ARGV[at + 5]) - 1)
  elseif op == 'H' or op == 'Q' then
    if op == 'Q' then redis.call('DEL', key) end
    local flat = cjson.decode(a)
    for from = 1, #flat, 1000 do
      redis.call('HSET', key, unpack(flat, from, math.min(from + 999, #flat)))
    end
  elseif op == 'X' then
    local flat = cjson.decode(a)
    for i = 1, #flat, 2 do redis.call('HSETNX', key, flat[i], flat[i + 1]) end
  elseif op == 'I' then
    redis.call('INCR', key)
  elseif op == 'B' then
    local spec = cjson.decode(a)
    ballot(key, spec[1], spec[2], KEYS[spec[3]], KEYS[spec[4]])
    if ttl > 0 then
      redis.call('PEXPIRE', KEYS[spec[3]], ttl)
      redis.call('PEXPIRE', KEYS[spec[4]], ttl)
    end
  end
  if ttl > 0 and op ~= 'D' then redis.call('PEXPIRE', key, ttl) end
end
if reads == 0 then return 1 end
local out = {}
local at = base + m * 5
for r = 1, reads do out[r] = view(KEYS[tonumber(ARGV[at + 2 * r - 1])], ARGV[at + 2 * r]) end
return out
`;

/** Turns an older one-value list (a string) into a Redis list, keeping its TTL. KEYS[1]; ARGV[1] its token; ARGV[2..] the items, newest first. */
export const MIGRATE_LIST_SCRIPT = `${TOKEN_FN}
if token(KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = redis.call('PTTL', KEYS[1])
redis.call('DEL', KEYS[1])
if #ARGV > 1 then redis.call('RPUSH', KEYS[1], unpack(ARGV, 2)) end
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1
`;

/** Read a spec's ARGV kind. */
function kindArg(spec: ReadSpec): string {
  if (spec.kind === 'value') return 'v';
  if (spec.kind === 'hash') return 'h';
  if (spec.kind === 'count') return 'c';
  return `r:${Math.trunc(spec.start)}:${Math.trunc(spec.stop)}`;
}

/** Private signal: a guarded key changed under an atomic step's later read; the step is re-run. */
class Conflict extends Error {}

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

/** Tokens longer than this are compared by their SHA1. */
const COMPARE_BY_DIGEST_OVER = 128;

function compareArg(token: string): string {
  return token.length > COMPARE_BY_DIGEST_OVER ? `#${createHash('sha1').update(token).digest('hex')}` : token;
}

/** Script arguments at least this long go as UTF-8 bytes (see textArg). */
const BYTES_FROM = 1024;

/**
 * A stored text as a script argument: a long one as a Buffer. @redis/client writes a Buffer
 * argument to the socket as it is; a string argument is first joined into the command's text
 * (a copy, two bytes per character when the text has any character past U+00FF) and then encoded
 * to UTF-8 again on the socket: a draft save's record and history entry (~10 KB) were copied three
 * times over, a fifth of the bot's allocations under load.
 */
function textArg(text: string): string | Buffer {
  return text.length >= BYTES_FROM ? Buffer.from(text, 'utf8') : text;
}

/** compareArg(`S${text}`) for a text written as `arg` (textArg): digests a Buffer without making the string again. */
function writtenCompare(text: string, arg: string | Buffer): string {
  if (typeof arg === 'string') return compareArg(`S${text}`);
  // 'S' + text is longer than COMPARE_BY_DIGEST_OVER here (BYTES_FROM is larger): always a digest.
  return `#${createHash('sha1').update('S').update(arg).digest('hex')}`;
}

/** What a guarded key held when this process last read or wrote it: its compare token and its value. */
interface KnownValue {
  compare: string;
  value: unknown;
  /** The envelope's expiry (ms since the epoch). */
  expires?: number;
}

/**
 * The last value seen at each guarded key, for atomic steps that skip the read: bounded, first in
 * first out. Only plain values (the codec's frozen objects) are kept; an expired one is not handed out.
 */
class KnownValues {
  readonly #entries = new Map<string, KnownValue>();
  constructor(readonly max: number) {}

  /** The key's known value (undefined when not known or expired). */
  one(key: string): KnownValue | undefined {
    const known = this.#entries.get(key);
    return known && (known.expires === undefined || known.expires > Date.now()) ? known : undefined;
  }

  /** Every key's known value, or undefined when one of them is not known. */
  all(keys: readonly string[]): KnownValue[] | undefined {
    const out: KnownValue[] = [];
    for (const key of keys) {
      const known = this.one(key);
      if (!known) return undefined;
      out.push(known);
    }
    return out;
  }

  /** After a read: keeps a live, frozen object value; forgets anything else. */
  remember(key: string, compare: string, decoded: { value: unknown; expires?: number }): void {
    const { value } = decoded;
    // (An Unreadable is never frozen.)
    if (typeof value === 'object' && value !== null && Object.isFrozen(value)) {
      this.set(key, { compare, value, ...(decoded.expires === undefined ? {} : { expires: decoded.expires }) });
    } else this.#entries.delete(key);
  }

  set(key: string, known: KnownValue): void {
    if (this.max <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, known);
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) this.#entries.delete(key);
  }
}

/** SHA1 of each Lua script, for EVALSHA. */
const scriptShas = new Map<string, string>();

type Client = RedisClientType;

export class RedisBackend implements Backend {
  readonly kind = 'redis' as const;
  readonly stats: StoreStats = { casRetries: 0, ops: 0, errors: 0 };
  readonly #client: Client;
  readonly #keyv: Keyv;
  readonly #codec: EnvelopeCodec;
  readonly #tuning: RedisTuning;
  readonly #queue = new KeyedQueue();
  /** What this process last read or wrote at guarded keys (see atomic). */
  readonly #known: KnownValues;
  readonly #label: string;
  readonly #namespaceLabel: string;
  #closed = false;

  private constructor(client: Client, keyv: Keyv, tuning: RedisTuning, label: string, namespaceLabel: string) {
    this.#client = client;
    this.#keyv = keyv;
    // Keyv's default (synchronous) serializer, with a plain-JSON fast path (src/store/codec.ts).
    this.#codec = createEnvelopeCodec(keyv as unknown as KeyvFunctions);
    this.#tuning = tuning;
    // A few thousand busy drafts and votes by default.
    this.#known = new KnownValues(tuning.knownKeys);
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

  /**
   * Runs a Lua script by its SHA1 (EVALSHA: the script's text is not sent with every command); when
   * Redis does not have it yet (first use, or after a restart emptied its script cache), EVAL sends
   * it once and Redis keeps it.
   */
  async #script(source: string, options: { keys: string[]; arguments: (string | Buffer)[] }): Promise<unknown> {
    let sha = scriptShas.get(source);
    if (sha === undefined) {
      sha = createHash('sha1').update(source).digest('hex');
      scriptShas.set(source, sha);
    }
    try {
      return await this.#client.evalSha(sha, options);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.#client.eval(source, options);
    }
  }

  /** Decodes a READ_SCRIPT token: undefined when missing, Unreadable when not ours. */
  async #decode(token: string): Promise<unknown> {
    return this.#decodeEnvelope(token).value;
  }

  /**
   * Decodes a READ_SCRIPT value token read at `key` and remembers it as the key's known value.
   * `compare`: what a compare-and-set compares with it (SAME_FN).
   */
  #readValue(key: string, view: unknown): { compare: string; value: unknown } {
    const token = String(view);
    const compare = compareArg(token);
    const decoded = this.#decodeEnvelope(token);
    this.#known.remember(key, compare, decoded);
    return { compare, value: decoded.value };
  }

  /** #decode, with the envelope's expiry (ms since the epoch) for a live value. */
  #decodeEnvelope(token: string): { value: unknown; expires?: number } {
    if (token === 'N') return { value: undefined };
    if (token.startsWith('T')) return { value: new Unreadable(`holds a Redis ${token.slice(1)}, not a value saltbot writes (foreign data?)`) };
    let data: unknown;
    try {
      data = this.#codec.decode(token.slice(1));
    } catch {
      return { value: new Unreadable('not JSON') };
    }
    if (typeof data !== 'object' || data === null || !('value' in data)) {
      return { value: new Unreadable('not a value written by saltbot (no Keyv envelope)') };
    }
    const { value, expires } = data as { value: unknown; expires?: unknown };
    if (typeof expires !== 'number') return { value };
    if (expires < Date.now()) return { value: undefined };
    return { value, expires };
  }

  #encode(value: unknown, ttlMs: number | undefined, remember = true): { text: string; expires?: number } {
    const expires = ttlMs ? Date.now() + ttlMs : undefined;
    return { text: this.#codec.encode({ value, expires }, remember), ...(expires === undefined ? {} : { expires }) };
  }

  /** `known[i]`: the compare token of what this process knows at a value spec's key (the reply is then 'K' while it holds). */
  async #readViews(specs: ReadSpec[], known?: readonly (string | undefined)[]): Promise<unknown[]> {
    const keys = specs.map((spec) => spec.key);
    const kinds = specs.map((spec, i) => (known?.[i] !== undefined ? `k${known[i]}` : kindArg(spec)));
    const reply = await this.#call('read', () => this.#script(READ_SCRIPT, { keys, arguments: kinds }));
    if (!Array.isArray(reply) || reply.length !== keys.length) throw new StoreUnavailableError('redis read: unexpected reply');
    return reply as unknown[];
  }

  /** Decodes one READ_SCRIPT entry. */
  async #decodeView(spec: ReadSpec, view: unknown): Promise<unknown> {
    if (spec.kind === 'value') return this.#decode(String(view));
    if (!Array.isArray(view) || view.length === 0) throw new StoreUnavailableError('redis read: unexpected reply');
    const tag = String(view[0]);
    if (tag === 'N') return spec.kind === 'range' ? [] : spec.kind === 'count' ? 0 : undefined;
    if (tag === 'C') return Number(view[1]);
    if (tag === 'T') return new Unreadable(`holds a Redis ${String(view[1])}, not a value saltbot writes (foreign data?)`);
    // A hash stays flat ([field, value, …]: no object built twice); the facade checks and builds it.
    if (tag === 'H') return (view as string[]).slice(1);
    const rest = (view as unknown[]).slice(1).map(String);
    if (tag === 'L') {
      return rest.map((item) => {
        try {
          return this.#codec.decode(item);
        } catch {
          return new Unreadable('a list item that is not JSON');
        }
      });
    }
    // 'S': older data, the whole list as one value.
    const value = await this.#decode(`S${rest[0] ?? ''}`);
    if (value === undefined || value instanceof Unreadable) return value ?? [];
    if (!Array.isArray(value)) return new Unreadable('not a list');
    const { start, stop } = spec as { start: number; stop: number };
    return value.slice(start, stop < 0 ? value.length + stop + 1 : stop + 1);
  }

  async read(keys: string[]): Promise<unknown[]> {
    return this.readAll(keys.map((key) => ({ kind: 'value', key })));
  }

  async readAll(specs: ReadSpec[]): Promise<unknown[]> {
    // A value this process read or wrote last is not sent again while it is still the one stored.
    const known = specs.map((spec) => (spec.kind === 'value' ? this.#known.one(spec.key) : undefined));
    const views = await this.#readViews(
      specs,
      known.map((k) => k?.compare),
    );
    return Promise.all(
      specs.map(async (spec, i) => {
        const k = known[i];
        if (k && views[i] === 'K') return k.value;
        if (spec.kind !== 'value') return this.#decodeView(spec, views[i]);
        return this.#readValue(spec.key, views[i]).value;
      }),
    );
  }

  async write(writes: Write[]): Promise<void> {
    for (const w of writes) {
      if ((w.op ?? 'set') !== 'set') throw new Error('redis write: only plain values outside atomic steps');
      this.#known.forget([w.key]);
      const value = (w as { value: unknown }).value;
      if (value === undefined) await this.#call('write', () => this.#keyv.delete(w.key));
      else await this.#call('write', () => this.#keyv.set(w.key, value, w.ttlMs));
    }
  }

  /** Converts an older one-value list at `key` into a Redis list (MIGRATE_LIST_SCRIPT); a value that is not a list is dropped. */
  async #migrateList(key: string): Promise<void> {
    const [view] = await this.#readViews([{ kind: 'value', key }]);
    const token = String(view);
    const value = token.startsWith('S') ? await this.#decode(token) : undefined;
    const items = Array.isArray(value) ? value.map((item) => this.#codec.encode(item)) : [];
    await this.#call('write', () => this.#script(MIGRATE_LIST_SCRIPT, { keys: [key], arguments: [token, ...items] }));
  }

  atomic<T>(keys: string[], fn: AtomicFn<T>, options: AtomicOptions = {}): Promise<T> {
    const extra = options.extra ?? [];
    const all = [...new Set([...keys, ...(options.also ?? [])])];
    const others = all.filter((key) => !keys.includes(key));
    const scriptKeys = [...keys, ...others];
    return this.#queue.run([...all, ...extra.map((s) => s.key)], async () => {
      // First try on what this process last read or wrote at the guarded keys (no read round trip);
      // the compare-and-set checks it like any read. Any doubt (a conflict, an error thrown on those
      // values) and the step runs again on values read from Redis.
      let optimistic = extra.length === 0;
      for (let attempt = 1; ; attempt++) {
        const known = optimistic ? this.#known.all(keys) : undefined;
        optimistic = false;
        let tokens: string[];
        let current: unknown[];
        if (known) {
          tokens = known.map((k) => k.compare);
          current = known.map((k) => k.value);
        } else {
          const specs: ReadSpec[] = [...keys.map((key) => ({ kind: 'value' as const, key })), ...extra];
          const views = await this.#readViews(specs);
          // What the compare-and-set compares: short tokens as they are, long ones by SHA1 (SAME_FN).
          tokens = [];
          current = [];
          for (let i = 0; i < specs.length; i++) {
            if (i >= keys.length) {
              current.push(await this.#decodeView(specs[i]!, views[i]));
              continue;
            }
            const { compare, value } = this.#readValue(keys[i]!, views[i]);
            tokens.push(compare);
            current.push(value);
          }
        }
        const snapshot: AtomicSnapshot = {
          range: async (key, start, stop) => {
            const spec: ReadSpec = { kind: 'range', key, start, stop };
            const reply = await this.#call('read', () => this.#script(RANGE_IF_SCRIPT, { keys: [...keys, key], arguments: [...tokens, kindArg(spec)] }));
            if (reply === 0) throw new Conflict();
            return this.#decodeView(spec, reply);
          },
        };
        let step: Awaited<ReturnType<AtomicFn<T>>>;
        try {
          step = await fn(current, snapshot);
        } catch (error) {
          if (known) {
            // Decided on values not yet checked (maybe another process changed them): decide again on fresh ones.
            this.#known.forget(keys);
            attempt--;
            continue;
          }
          if (!(error instanceof Conflict)) throw error;
          step = undefined as never;
        }
        if (step !== undefined) {
          const args: (string | Buffer)[] = [];
          /** What the guarded keys hold once the step is written (undefined: not known here). */
          const nowHeld = new Map<string, KnownValue | undefined>();
          for (const w of step.writes) {
            const index = scriptKeys.indexOf(w.key);
            if (index < 0) throw new Error(`atomic write to ${w.key} outside its keys`);
            const ttl = String(w.ttlMs && w.ttlMs > 0 ? Math.ceil(w.ttlMs) : 0);
            const at = String(index + 1);
            switch (w.op) {
              case undefined:
              case 'set':
                if (w.value === undefined) {
                  args.push(at, 'D', '0', '', '');
                  nowHeld.set(w.key, undefined);
                } else {
                  const guarded = index < keys.length;
                  // A guarded key's value is kept below as known (not also by its text in the codec).
                  const encoded = this.#encode(w.value, w.ttlMs, !guarded);
                  const text = textArg(encoded.text);
                  args.push(at, 'S', ttl, text, '');
                  // Kept only for values the codec froze (the plain-JSON path: a read would give the same data).
                  const keep = guarded && typeof w.value === 'object' && w.value !== null && Object.isFrozen(w.value);
                  nowHeld.set(w.key, keep ? { compare: writtenCompare(encoded.text, text), value: w.value, ...(encoded.expires === undefined ? {} : { expires: encoded.expires }) } : undefined);
                }
                break;
              case 'push':
                nowHeld.set(w.key, undefined);
                args.push(at, w.reset ? 'R' : 'P', ttl, textArg(this.#codec.encode(w.item)), String(Math.max(1, w.limit)));
                break;
              case 'hset':
                nowHeld.set(w.key, undefined);
                args.push(at, w.reset ? 'Q' : w.ifAbsent ? 'X' : 'H', ttl, JSON.stringify(Object.entries(w.fields).flat()), '');
                break;
              case 'incr':
                nowHeld.set(w.key, undefined);
                args.push(at, 'I', ttl, '', '');
                break;
              case 'expire':
                nowHeld.set(w.key, undefined);
                args.push(at, 'E', ttl, '', '');
                break;
              case 'ballot': {
                for (const key of keysOf(w)) nowHeld.set(key, undefined);
                const tally = scriptKeys.indexOf(w.tally) + 1;
                const rev = scriptKeys.indexOf(w.rev) + 1;
                if (tally === 0 || rev === 0) throw new Error(`atomic write to ${tally === 0 ? w.tally : w.rev} outside its keys`);
                args.push(at, 'B', ttl, JSON.stringify([w.field, w.value, tally, rev]), '');
                break;
              }
            }
          }
          const reads = step.after?.reads ?? [];
          for (const spec of reads) {
            const index = scriptKeys.indexOf(spec.key);
            if (index < 0) throw new Error(`atomic read of ${spec.key} outside its keys`);
            args.push(String(index + 1), kindArg(spec));
          }
          const header = [String(keys.length), String(step.writes.length), String(reads.length), ...tokens];
          const written = await this.#call('write', () => this.#script(CAS_SCRIPT, { keys: scriptKeys, arguments: [...header, ...args] }));
          if (typeof written === 'number' && written < 0) {
            // Older data: the list is still one value. Convert it, then run the step again (not a conflict).
            await this.#migrateList(scriptKeys[-written - 1]!);
            attempt--;
            continue;
          }
          if (written !== 0) {
            for (const key of keys) {
              if (!nowHeld.has(key)) continue;
              const value = nowHeld.get(key);
              if (value) this.#known.set(key, value);
              else this.#known.forget([key]);
            }
            if (reads.length && (!Array.isArray(written) || written.length !== reads.length)) throw new StoreUnavailableError('redis write: unexpected reply');
            const after = reads.length ? await Promise.all(reads.map((spec, i) => this.#decodeView(spec, (written as unknown[])[i]))) : undefined;
            return finish(step, after);
          }
        }
        this.#known.forget(keys);
        this.stats.casRetries++;
        // What this process knew was out of date: read and try again at once.
        if (known) continue;
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
    this.#known.forget([key]);
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

