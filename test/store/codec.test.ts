import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelopeCodec } from '../../src/store/codec.js';

const codec = createEnvelopeCodec({ serialize: defaultSerialize, deserialize: defaultDeserialize });
const encodeEnvelope = codec.encode;
const decodeEnvelope = codec.decode;

/** JSON-like values with plenty of strings that start with ':' (Keyv escapes those). */
const colonString = fc.oneof(fc.string(), fc.string().map((s) => `:${s}`), fc.string().map((s) => `::${s}`), fc.constant(':base64:'));
const value = fc.letrec((tie) => ({
  leaf: fc.oneof(colonString, fc.integer(), fc.double({ noNaN: false }), fc.boolean(), fc.constant(null)),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 5 }),
    fc.dictionary(colonString, fc.oneof(tie('node'), fc.constant(undefined)), { maxKeys: 5 }),
  ),
})).node;

describe('store codec (Keyv envelope, fast path)', () => {
  it('GIVEN any JSON-like value WHEN encoded THEN the text is exactly what Keyv writes', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(encodeEnvelope({ value: v, expires: 1 })).toBe(defaultSerialize({ value: v, expires: 1 }));
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN any text Keyv wrote WHEN decoded THEN the value is what Keyv reads', () => {
    fc.assert(
      fc.property(value, (v) => {
        const text = defaultSerialize({ value: v });
        expect(decodeEnvelope(text)).toEqual(defaultDeserialize(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN pretty-printed JSON with a colon string WHEN decoded THEN it is unescaped as Keyv does', () => {
    const text = '{ "value": [ "::x", ":y", "z" ] }';
    expect(decodeEnvelope(text)).toEqual({ value: [':x', 'y', 'z'] });
  });

  it('GIVEN a Buffer or a function in an array WHEN encoded THEN Keyv’s own encoding is used', () => {
    const buf = { value: { data: Buffer.from('hi') } };
    expect(encodeEnvelope(buf)).toBe(defaultSerialize(buf));
    const fn = { value: [1, () => 2, 3] };
    expect(encodeEnvelope(fn)).toBe(defaultSerialize(fn));
  });
});
