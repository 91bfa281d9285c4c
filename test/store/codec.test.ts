import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelopeCodec } from '../../src/store/codec.js';
import { parseSpec } from '../../src/domain/parse.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';

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

describe.each([
  ['texts under 1,024 characters (the text is the key)', 400],
  ['longer texts (keyed by their SHA-256)', 3000],
])('store codec (decoded values by text): %s', (_, notes) => {
  const keyv = { serialize: defaultSerialize, deserialize: defaultDeserialize };
  const record = (n: number) => ({ value: { name: `draft ${n}`, notes: 'x'.repeat(notes), layers: [{ id: 'core', level: n }] }, expires: 1 });

  it('GIVEN two texts of the same length that differ by one character in the middle WHEN decoded THEN two objects, each with its own content', () => {
    const codec = createEnvelopeCodec(keyv);
    const text = defaultSerialize(record(1));
    const middle = text.indexOf('x') + Math.floor(notes / 2);
    const other = `${text.slice(0, middle)}y${text.slice(middle + 1)}`;
    const a = codec.decode(text) as ReturnType<typeof record>;
    const b = codec.decode(other) as ReturnType<typeof record>;
    expect(b).not.toBe(a);
    expect(a.value.notes).not.toContain('y');
    expect(b.value.notes).toContain('y');
    expect(codec.decode(text)).toBe(a);
  });

  it('GIVEN a value this process wrote WHEN its text is read back THEN the same frozen object comes back, without a parse', () => {
    const codec = createEnvelopeCodec(keyv);
    const written = record(1);
    const text = codec.encode(written);
    const read = codec.decode(text);
    expect(read).toBe(written);
    expect(Object.isFrozen(read)).toBe(true);
    expect(Object.isFrozen((read as ReturnType<typeof record>).value.layers[0])).toBe(true);
  });

  it('GIVEN the same text read twice (another process wrote it) WHEN decoded THEN one frozen object, equal to what Keyv reads', () => {
    const codec = createEnvelopeCodec(keyv);
    const text = defaultSerialize(record(2));
    const a = codec.decode(text);
    const b = codec.decode(`${text.slice(0, 10)}${text.slice(10)}`); // an equal text in another string
    expect(b).toBe(a);
    expect(a).toEqual(defaultDeserialize(text));
    expect(() => {
      (a as { value: { name: string } }).value.name = 'changed';
    }).toThrow(TypeError);
  });

  it('GIVEN a changed text WHEN decoded THEN a new object with the new content', () => {
    const codec = createEnvelopeCodec(keyv);
    const a = codec.decode(defaultSerialize(record(3)));
    const b = codec.decode(defaultSerialize(record(4)));
    expect(b).not.toBe(a);
    expect((b as ReturnType<typeof record>).value.layers[0]!.level).toBe(4);
  });

  it('GIVEN a cache with room for four values WHEN a fifth is decoded THEN the first one in is parsed again, the others are kept; cacheChars 0 keeps nothing', () => {
    const size = defaultSerialize(record(5)).length;
    const codec = createEnvelopeCodec(keyv, { cacheChars: size * 4 });
    const texts = [5, 6, 7, 8, 9].map((n) => defaultSerialize(record(n)));
    const first = texts.map((t) => codec.decode(t)); // 5 values into room for 4: the first went
    expect(codec.decode(texts[4]!)).toBe(first[4]);
    expect(codec.decode(texts[1]!)).toBe(first[1]);
    expect(codec.decode(texts[0]!)).not.toBe(first[0]);
    const off = createEnvelopeCodec(keyv, { cacheChars: 0 });
    expect(off.decode(texts[0]!)).not.toBe(off.decode(texts[0]!));
  });

});

describe('store codec (decoded values by text): short texts', () => {
  it('GIVEN a short text WHEN decoded twice THEN it is simply parsed each time (not worth an entry)', () => {
    const codec = createEnvelopeCodec({ serialize: defaultSerialize, deserialize: defaultDeserialize });
    const text = defaultSerialize({ value: 'en-US' });
    expect(codec.decode(text)).toEqual({ value: 'en-US' });
    expect(codec.decode(text)).not.toBe(codec.decode(text));
  });
});

describe('store codec (colon strings in compact JSON)', () => {
  const codec = createEnvelopeCodec({ serialize: defaultSerialize, deserialize: defaultDeserialize });
  it('GIVEN colon strings in every position (first, after a key, in a list, as a key) WHEN encoded THEN exactly Keyv’s text', () => {
    for (const v of [':a', { k: ':a' }, [1, ':a'], [':a'], { ':k': 1 }, { a: { b: [{ c: '::' }] } }, { 'x,': 1, y: 'plain' }]) {
      expect(codec.encode({ value: v, expires: 1 })).toBe(defaultSerialize({ value: v, expires: 1 }));
      expect(codec.encode(v)).toBe(defaultSerialize(v));
    }
  });
});

describe('store codec (trusted specs written once as text)', () => {
  const codec = createEnvelopeCodec({ serialize: defaultSerialize, deserialize: defaultDeserialize }, { cacheChars: 0 });
  const specWith = (style: string) => {
    const input = JSON.parse(JSON.stringify(getBuiltinPreset('calling')!.spec)) as { track: { style: string } };
    input.track.style = style;
    const parsed = parseSpec(input);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    return parsed.value;
  };

  it('GIVEN a record and its history entry holding one trusted spec WHEN each is encoded twice THEN every text is exactly what Keyv writes', () => {
    const spec = specWith('Melodic progressive house — cold, euphoric «live» \u2028 "quoted"');
    const record = { value: { spec, version: 4, contributors: { '1': { name: 'Ana', parts: ['track'] } }, note: undefined }, expires: 123 };
    const entry = { version: 4, at: 1, actor: { id: '1', name: 'Ana' }, summary: 'track', spec };
    for (let i = 0; i < 2; i++) {
      expect(codec.encode(record)).toBe(defaultSerialize(record));
      expect(codec.encode(entry)).toBe(defaultSerialize(entry));
    }
  });

  it('GIVEN trusted specs anywhere in the first levels (in lists, side by side, repeated, next to look-alike plain objects) WHEN encoded THEN exactly Keyv’s text', () => {
    const a = specWith('first «one»');
    const b = specWith('second, with "quotes"');
    const plainCopy = JSON.parse(JSON.stringify(a)) as object;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(a), fc.constant(b), fc.constant(plainCopy), fc.string(), fc.integer()), { maxLength: 4 }),
        fc.string(),
        (items, name) => {
          for (const v of [{ value: { spec: a, items, name, more: { spec: b, items } }, expires: 7 }, { items, spec: b }, [a, items, b]]) {
            expect(codec.encode(v)).toBe(defaultSerialize(v));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GIVEN a trusted spec with a text starting with ":" WHEN encoded THEN Keyv’s escaping is kept and it decodes back to the same text', () => {
    const spec = specWith(':colon first');
    const envelope = { value: { spec }, expires: 1 };
    const text = codec.encode(envelope);
    expect(text).toBe(defaultSerialize(envelope));
    expect((codec.decode(text) as typeof envelope).value.spec.track.style).toBe(':colon first');
  });
});
