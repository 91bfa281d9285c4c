import { describe, expect, it } from 'vitest';
import { ALL_KEY_NAMES, keyName, keyOf, normalizeKey, parseKey } from '../../src/domain/key.js';

describe('canonical key names', () => {
  it('GIVEN the key list WHEN counted THEN there are 24 distinct keys, 12 major then 12 minor', () => {
    expect(ALL_KEY_NAMES).toHaveLength(24);
    expect(new Set(ALL_KEY_NAMES).size).toBe(24);
    expect(ALL_KEY_NAMES.slice(0, 12).every((k) => k.endsWith(' major'))).toBe(true);
    expect(ALL_KEY_NAMES.slice(12).every((k) => k.endsWith(' minor'))).toBe(true);
  });

  it.each(ALL_KEY_NAMES)('GIVEN the canonical name "%s" WHEN normalized THEN it comes back unchanged', (name) => {
    expect(normalizeKey(name)).toBe(name);
    expect(keyName(keyOf(name))).toBe(name);
  });

  it('GIVEN every pitch class and quality WHEN named and parsed back THEN the key is the same', () => {
    for (const quality of ['major', 'minor'] as const) {
      for (let pitchClass = 0; pitchClass < 12; pitchClass++) {
        expect(parseKey(keyName({ pitchClass, quality }))).toEqual({ pitchClass, quality });
      }
    }
  });

  it('GIVEN the usual key signatures WHEN named THEN sharps and flats follow the circle of fifths', () => {
    expect(ALL_KEY_NAMES).toEqual([
      'C major', 'Db major', 'D major', 'Eb major', 'E major', 'F major', 'F# major', 'G major', 'Ab major', 'A major', 'Bb major', 'B major',
      'C minor', 'C# minor', 'D minor', 'Eb minor', 'E minor', 'F minor', 'F# minor', 'G minor', 'G# minor', 'A minor', 'Bb minor', 'B minor',
    ]);
  });
});

describe('normalizeKey', () => {
  it.each([
    ['F#m', 'F# minor'],
    ['Gb minor', 'F# minor'],
    ['A min', 'A minor'],
    ['a minor', 'A minor'],
    ['Am', 'A minor'],
    ['Bbmaj', 'Bb major'],
    ['F sharp minor', 'F# minor'],
    ['G-flat minor', 'F# minor'],
    ['C♯ minor', 'C# minor'],
    ['B♭m', 'Bb minor'],
    ['A♭ major', 'Ab major'],
    ['e flat', 'Eb major'],
    ['D', 'D major'],
    ['Db minor', 'C# minor'],
    ['A#m', 'Bb minor'],
    ['Abm', 'G# minor'],
    ['Cb major', 'B major'],
    ['E#', 'F major'],
    ['  a   minor  ', 'A minor'],
  ])('GIVEN "%s" WHEN normalized THEN it is "%s"', (input, expected) => {
    expect(normalizeKey(input)).toBe(expected);
  });

  it.each([
    ['8A', 'A minor'],
    ['8B', 'C major'],
    ['8a', 'A minor'],
    ['4A', 'F minor'],
    ['11A', 'F# minor'],
    ['1A', 'G# minor'],
    ['12B', 'E major'],
  ])('GIVEN Camelot "%s" WHEN normalized THEN it is "%s"', (input, expected) => {
    expect(normalizeKey(input)).toBe(expected);
  });

  it('GIVEN the Camelot wheel WHEN every code is read THEN nA is the relative minor of nB and all 24 keys appear once', () => {
    const seen = new Set<string>();
    for (let n = 1; n <= 12; n++) {
      const minor = parseKey(`${n}A`)!;
      const major = parseKey(`${n}B`)!;
      expect(minor.quality).toBe('minor');
      expect(major.quality).toBe('major');
      // the relative minor is three semitones below its major
      expect((major.pitchClass - minor.pitchClass + 12) % 12).toBe(3);
      seen.add(keyName(minor)).add(keyName(major));
      if (n < 12) {
        // one step round the wheel is a fifth up
        expect((parseKey(`${n + 1}B`)!.pitchClass - major.pitchClass + 12) % 12).toBe(7);
      }
    }
    expect(seen.size).toBe(24);
  });

  it.each(['', '   ', 'H', 'H minor', 'foo', 'X#m', 'C##', 'Cbb', 'A minor minor', 'C minor major', '0A', '13A', '8C', 'Ａ minor', 'a'.repeat(30)])(
    'GIVEN junk "%s" WHEN normalized THEN it is rejected',
    (input) => {
      expect(normalizeKey(input)).toBeUndefined();
      expect(parseKey(input)).toBeUndefined();
    },
  );

  it('GIVEN a non-key WHEN keyOf is asked THEN it throws naming the input', () => {
    expect(() => keyOf('H minor')).toThrow(/H minor/);
  });
});
