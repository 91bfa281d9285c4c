/**
 * Keyv's envelope encoding, fast. Byte-for-byte the same text as @keyv/serialize's
 * defaultSerialize/defaultDeserialize (strings starting with ':' are escaped with one more ':';
 * ':base64:' strings are Buffers), so Keyv reads what the Lua scripts write and the other way
 * round. Keyv's serializer walks every value in JavaScript and its deserializer runs a reviver
 * on every string; for saltbot's values (plain JSON: drafts, 25-entry histories of full specs)
 * that was most of an edit's CPU. The fast path is plain JSON; the exact Keyv functions run
 * whenever the text may hold a string that starts with ':' (a cheap, conservative check).
 */

import { hash, randomUUID } from 'node:crypto';
import { deepFreeze, isTrustedSpec } from '../domain/trusted.js';

export interface EnvelopeCodec {
  /** `remember` (default true): keep the decoded value for a later read of this text. */
  encode(data: unknown, remember?: boolean): string;
  decode(text: string): unknown;
}

/** Keyv's own (slow, exact) functions: `keyv.serialize` / `keyv.deserialize` of a default Keyv. */
export interface KeyvFunctions {
  serialize(data: unknown): string;
  deserialize(text: string): unknown;
}
/** A JSON string value (or key) that starts with ':' shows up as `":` after `[`, `,`, `:` or at the start. */
const MAYBE_COLON_STRING = /(?:^|[[,:{])\s*":/;

export interface EnvelopeCodecOptions {
  /**
   * Characters of stored text whose decoded values are kept (the oldest go first); 0 turns
   * the cache off. Decoded values are deeply frozen and shared: the same text always gives the same
   * object, so the facade validates it once (schemas.ts) and a history entry read back after this
   * process wrote it costs a lookup, not a JSON parse and a schema walk (drafts and votes the Redis
   * backend keeps as known values instead: see redis.ts).
   */
  cacheChars?: number;
}

/**
 * 8 M characters of text: the recent versions of a few hundred busy drafts (a stale form reads the
 * history entries since its base: these must still be here). The cache keeps the decoded values, not
 * the long texts (keyed by digest: see keyOf).
 */
export const DEFAULT_CODEC_CACHE_CHARS = 8_000_000;
/** Texts shorter than this are parsed every time (cheap; not worth an entry). */
const MIN_CACHED_TEXT = 256;

/**
 * MAYBE_COLON_STRING for JSON.stringify's output, which has no whitespace between tokens: four
 * plain substring searches (fast native scans) instead of a regular expression tried at every
 * position of a 4 KB text.
 */
function mayHoldColonString(compactJson: string): boolean {
  return compactJson.startsWith('":') || compactJson.includes(':":') || compactJson.includes(',":') || compactJson.includes('[":') || compactJson.includes('{":');
}

export function createEnvelopeCodec(keyv: KeyvFunctions, options: EnvelopeCodecOptions = {}): EnvelopeCodec {
  const exact = (data: unknown): string => {
    const text: unknown = keyv.serialize(data);
    if (typeof text !== 'string') throw new Error('Keyv serializer did not return a string');
    return text;
  };
  const cache = new TextCache(options.cacheChars ?? DEFAULT_CODEC_CACHE_CHARS);
  return {
    encode(data, remember = true) {
      if (!isPlain(data)) return exact(data);
      const text = stringifyPlain(data);
      if (text === undefined || text.colon) return exact(data);
      // What is written now is what a later read returns: remember it decoded (frozen: the caller
      // hands it over as written), unless the caller keeps it itself (the Redis backend's known
      // values: a read of those costs no text at all).
      if (typeof data === 'object' && data !== null) {
        deepFreeze(data);
        if (remember) cache.set(text.json, data);
      }
      return text.json;
    },
    decode(text) {
      const hit = cache.get(text);
      if (hit !== undefined) return hit;
      const value = MAYBE_COLON_STRING.test(text) ? keyv.deserialize(text) : (JSON.parse(text) as unknown);
      if (typeof value === 'object' && value !== null) cache.set(text, deepFreeze(value));
      return value;
    },
  };
}

/** Decoded values by their exact text, first in first out, bounded by total text length. */
class TextCache {
  /** Key (the text, or the SHA-256 of a long one) → [decoded value, the text's length]. */
  readonly #entries = new Map<string, [unknown, number]>();
  #chars = 0;
  constructor(readonly maxChars: number) {}

  get(text: string): unknown {
    if (text.length < MIN_CACHED_TEXT || this.maxChars <= 0) return undefined;
    // No reordering on a hit: the oldest written goes first (a draft's record is rewritten on every
    // save anyway, and history entries are read only in the few saves after theirs).
    return this.#entries.get(keyOf(text))?.[0];
  }

  set(text: string, value: unknown): void {
    if (text.length < MIN_CACHED_TEXT || text.length > this.maxChars / 4) return;
    const key = keyOf(text);
    const had = this.#entries.get(key);
    if (had) this.#entries.delete(key);
    else this.#chars += text.length;
    this.#entries.set(key, [value, text.length]);
    if (this.#chars <= this.maxChars) return;
    for (const [oldest, [, length]] of this.#entries) {
      this.#entries.delete(oldest);
      this.#chars -= length;
      if (this.#chars <= this.maxChars) break;
    }
  }
}

/** Texts at least this long are keyed by their SHA-256, not kept whole. */
const DIGEST_KEY_FROM = 1024;

/**
 * The cache's key for a text: a long one by its digest (44 characters), so the cache holds the
 * decoded values, not also their 4–8 KB texts (the texts die young, with the reply or command that
 * carried them, instead of filling the old generation). A short one is its own key.
 */
function keyOf(text: string): string {
  return text.length < DIGEST_KEY_FROM ? text : hash('sha256', text, 'base64');
}

/** How deep stringifyPlain looks for trusted specs (an envelope's record's spec is at depth 2). */
const SPEC_DEPTH = 3;

/** A trusted spec's JSON text, and whether it may hold a string starting with ':'. */
interface SpecText {
  json: string;
  colon: boolean;
}

/**
 * The text of the last spec written: a save writes its spec twice, in the record and then, at once,
 * in its history entry. Only that one: a spec's 4–8 KB text kept for as long as the spec lived (a
 * WeakMap) made up a sixth of the heap, and even a Map of the last 32 texts got most of them promoted
 * to the old generation (a sampling heap profile of 20,000 edits: 84 MB of spec texts survived the
 * young generation with the Map, none with this one slot; 153 → 68 MB in all).
 */
let lastSpec: object | undefined;
let lastText: SpecText | undefined;

function specText(spec: object): SpecText {
  if (spec === lastSpec && lastText) return lastText;
  const json = JSON.stringify(spec);
  lastSpec = spec;
  lastText = { json, colon: mayHoldColonString(json) };
  return lastText;
}

/** Stands for a trusted spec in the text JSON.stringify makes; random, so no stored text holds it by chance. */
const PLACEHOLDER = `saltbot-spec-${randomUUID()}`;
const PLACEHOLDER_JSON = JSON.stringify(PLACEHOLDER);

/**
 * `v` with every trusted spec (down to SPEC_DEPTH) replaced by PLACEHOLDER, copying only the objects
 * on the way to one; `specs` gets them in the order JSON.stringify writes them (depth first, key order).
 */
function withPlaceholders(v: unknown, depth: number, specs: SpecText[]): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (isTrustedSpec(v)) {
    specs.push(specText(v));
    return PLACEHOLDER;
  }
  if (depth >= SPEC_DEPTH) return v;
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const item = withPlaceholders(v[i], depth + 1, specs);
      if (item !== v[i]) (copy ??= v.slice())[i] = item;
    }
    return copy ?? v;
  }
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(v)) {
    const value = (v as Record<string, unknown>)[key];
    const item = withPlaceholders(value, depth + 1, specs);
    if (item !== value) (copy ??= { ...(v as Record<string, unknown>) })[key] = item;
  }
  return copy ?? v;
}

/**
 * JSON.stringify for a value isPlain accepted (the same text), with each trusted spec's text made once
 * and reused: a draft save writes the record and its history entry, which hold the same spec. The
 * rest is one native JSON.stringify, the specs' texts spliced in where their placeholders are.
 * `colon`: the text may hold a string (or key) starting with ':' (then Keyv's own encoding is used).
 */
function stringifyPlain(value: unknown): { json: string; colon: boolean } | undefined {
  const specs: SpecText[] = [];
  const json = JSON.stringify(withPlaceholders(value, 0, specs)) as string | undefined;
  if (json === undefined) return undefined;
  let colon = mayHoldColonString(json);
  if (specs.length === 0) return { json, colon };
  const pieces = json.split(PLACEHOLDER_JSON);
  if (pieces.length !== specs.length + 1) {
    // Cannot happen by chance (the placeholder is random); still, never splice in the wrong place.
    const plain = JSON.stringify(value);
    return { json: plain, colon: mayHoldColonString(plain) };
  }
  let out = pieces[0]!;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!;
    if (spec.colon) colon = true;
    out += spec.json + pieces[i + 1]!;
  }
  return { json: out, colon };
}

/** Values JSON.stringify and Keyv's serializer write the same way apart from ':' strings. */
function isPlain(value: unknown, depth = 0): boolean {
  if (value === null || value === undefined) return depth > 0 || value === null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) || depth > 0;
    case 'object': {
      // A spec that passed the schema holds nothing but JSON data.
      if (isTrustedSpec(value)) return true;
      if (Buffer.isBuffer(value) || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      if (Array.isArray(value)) {
        for (const v of value) if (v === undefined || typeof v === 'function' || !isPlain(v, depth + 1)) return false;
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return false;
      for (const k in value) {
        if (!Object.hasOwn(value, k)) return false;
        const v = (value as Record<string, unknown>)[k];
        if (v === undefined) continue;
        if (typeof v === 'function' || !isPlain(v, depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}
