/**
 * Keyv's envelope encoding, fast. Byte-for-byte the same text as @keyv/serialize's
 * defaultSerialize/defaultDeserialize (strings starting with ':' are escaped with one more ':';
 * ':base64:' strings are Buffers), so Keyv reads what the Lua scripts write and the other way
 * round. Keyv's serializer walks every value in JavaScript and its deserializer runs a reviver
 * on every string; for saltbot's values (plain JSON: drafts, 25-entry histories of full specs)
 * that was most of an edit's CPU. The fast path is plain JSON; the exact Keyv functions run
 * whenever the text may hold a string that starts with ':' (a cheap, conservative check).
 */

export interface EnvelopeCodec {
  encode(data: unknown): string;
  decode(text: string): unknown;
}

/** Keyv's own (slow, exact) functions: `keyv.serialize` / `keyv.deserialize` of a default Keyv. */
export interface KeyvFunctions {
  serialize(data: unknown): string;
  deserialize(text: string): unknown;
}
/** A JSON string value (or key) that starts with ':' shows up as `":` after `[`, `,`, `:` or at the start. */
const MAYBE_COLON_STRING = /(?:^|[[,:{])\s*":/;

export function createEnvelopeCodec(keyv: KeyvFunctions): EnvelopeCodec {
  const exact = (data: unknown): string => {
    const text: unknown = keyv.serialize(data);
    if (typeof text !== 'string') throw new Error('Keyv serializer did not return a string');
    return text;
  };
  return {
    encode(data) {
      if (!isPlain(data)) return exact(data);
      const text = JSON.stringify(data);
      if (text === undefined || MAYBE_COLON_STRING.test(text)) return exact(data);
      return text;
    },
    decode(text) {
      if (MAYBE_COLON_STRING.test(text)) return keyv.deserialize(text);
      return JSON.parse(text) as unknown;
    },
  };
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
