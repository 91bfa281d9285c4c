import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSpec } from '../../src/domain/parse.js';
import { PROMPT_MAX_CHARS, renderPrompt } from '../../src/domain/render.js';
import { COMPACT_MIN_BUDGET, renderCompact } from '../../src/domain/compact.js';
import type { Spec } from '../../src/domain/spec.js';
import { specInputArb } from '../fixtures/arbitrary.js';

function parsed(input: unknown): Spec {
  const result = parseSpec(input);
  if (!result.ok) throw new Error(`arbitrary produced an invalid spec: ${JSON.stringify(result.problems)}`);
  return result.value;
}

describe('any valid spec (property)', () => {
  it('GIVEN any valid spec WHEN it makes a JSON round trip THEN it parses to the same spec', () => {
    fc.assert(
      fc.property(specInputArb, (input) => {
        const spec = parsed(input);
        expect(parsed(JSON.parse(JSON.stringify(spec)))).toEqual(spec);
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN any valid spec WHEN rendered with any options THEN it never throws, fits 4000 characters and prints no undefined/NaN', () => {
    fc.assert(
      fc.property(specInputArb, fc.boolean(), fc.boolean(), (input, cot, anchor) => {
        const spec = parsed(input);
        for (const text of [renderPrompt(spec), renderPrompt(spec, { chainOfThought: cot, referenceAnchor: anchor })]) {
          expect(text.length).toBeLessThanOrEqual(PROMPT_MAX_CHARS);
          expect(text).not.toMatch(/undefined|NaN|\[object/);
          expect(text).toContain(`BPM: ${spec.track.bpm}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN any valid spec WHEN compacted for budgets 0..2000 THEN the output never exceeds its budget', () => {
    fc.assert(
      fc.property(specInputArb, fc.integer({ min: 0, max: 2000 }), (input, budget) => {
        const spec = parsed(input);
        const text = renderCompact(spec, budget);
        expect(text.length).toBeLessThanOrEqual(budget);
        if (budget >= COMPACT_MIN_BUDGET) {
          expect(text).toContain(`${spec.track.bpm} BPM`);
          expect(text).toContain(spec.track.key);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN one valid spec WHEN compacted for every budget 0..2000 THEN no output exceeds its budget', () => {
    const spec = parsed(fc.sample(specInputArb, { numRuns: 1, seed: 42 })[0]);
    for (let budget = 0; budget <= 2000; budget++) expect(renderCompact(spec, budget).length).toBeLessThanOrEqual(budget);
  });
});
