import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseSpec, parseSpecEdit } from '../../src/domain/parse.js';
import type { Spec } from '../../src/domain/spec.js';
import { specInputArb } from '../fixtures/arbitrary.js';

const SECTIONS = ['track', 'spectral', 'attack', 'sidechain', 'timing', 'arrangement', 'extras'] as const;

function valid(input: unknown): Spec {
  const result = parseSpec(input);
  if (!result.ok) throw new Error(`arbitrary produced an invalid spec: ${JSON.stringify(result.problems)}`);
  return result.value;
}

/** A replacement for one section: another valid spec's, a broken copy, junk, or nothing. */
const replacement = (other: Record<string, unknown>, section: string) =>
  fc.oneof(
    fc.constant(other[section]),
    fc.constant(undefined),
    fc.constant('delete' as const),
    fc.anything(),
    fc.record({ bpm: fc.oneof(fc.integer({ min: -10, max: 400 }), fc.string()), key: fc.string() }),
    fc.constant({ ...(other[section] as object), extra: 1 }),
    fc.constant({ ...(other[section] as object), bpm: -0, duckDb: -0 }),
  );

describe('parseSpecEdit (only changed parts validated)', () => {
  it('GIVEN any valid spec and any change to one of its sections WHEN validated as an edit THEN the result equals a full parse (value or problems)', () => {
    fc.assert(
      fc.property(
        fc
          .tuple(specInputArb, specInputArb, fc.constantFrom(...SECTIONS))
          .chain(([baseInput, otherInput, section]) => {
            const other = JSON.parse(JSON.stringify(valid(otherInput))) as Record<string, unknown>;
            return replacement(other, section).map((value) => ({ base: valid(baseInput), section, value }));
          }),
        ({ base, section, value }) => {
          const candidate: Record<string, unknown> = { ...base };
          if (value === 'delete') delete candidate[section];
          else candidate[section] = value;
          const edit = parseSpecEdit(base, candidate);
          const full = parseSpec(candidate);
          expect(edit.ok).toBe(full.ok);
          if (edit.ok && full.ok) {
            expect(JSON.stringify(edit.value)).toBe(JSON.stringify(full.value));
            expect(edit.value).toStrictEqual(full.value);
          }
          if (!edit.ok && !full.ok) expect(edit.problems).toEqual(full.problems);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('GIVEN a candidate whose layers changed WHEN validated as an edit THEN duplicate layer ids are still refused', () => {
    fc.assert(
      fc.property(specInputArb, (input) => {
        const base = valid(input);
        const candidate = { ...base, layers: [...base.layers, { ...base.layers[0]! }] };
        const edit = parseSpecEdit(base, candidate);
        expect(edit.ok).toBe(false);
        expect(edit).toEqual(parseSpec(candidate));
      }),
      { numRuns: 50 },
    );
  });

  it('GIVEN an unchanged candidate WHEN validated as an edit THEN the base section objects are reused, and the result is frozen', () => {
    const base = valid(fc.sample(specInputArb, { numRuns: 1, seed: 7 })[0]);
    const result = parseSpecEdit(base, { ...base, track: { ...base.track, bpm: base.track.bpm === 200 ? 199 : base.track.bpm + 1 } });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.value.layers).toBe(base.layers);
    expect(result.value.track).not.toBe(base.track);
    expect(Object.isFrozen(result.value.track)).toBe(true);
  });
});
