/**
 * Property-based fuzzing of the router: generated sequences of raw Discord interactions against
 * one bot per run (see ./harness.ts for the checks made on every interaction), 10,400 generated
 * interactions in all, in every shipped locale and some unshipped ones.
 *
 * Deterministic: the base seed is fixed; FUZZ_SEED=<n> explores other sequences and FUZZ_SCALE=<x>
 * multiplies the run counts (FUZZ_STATS=1 prints what was covered). A failure prints fast-check's
 * seed and path plus the failing interaction, its payload and the reply; rerun with the same
 * FUZZ_SEED to reproduce it, adding FUZZ_SHRINK=1 to shrink the sequence to a minimal one.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyShape, importBodyArb, stepArb, type Shape, type Step, type StepWeights } from './arbitraries.js';
import { SCALE, SEED, Session, VALID_IMPORTS, counter, runs, settle, watchRejections } from './harness.js';

let rejections: ReturnType<typeof watchRejections>;
/** Generated interactions routed (the sessions' scripted set-up not counted). */
let generated = 0;
beforeAll(() => {
  rejections = watchRejections();
});
afterAll(() => rejections.stop());

/** Runs `numRuns` generated sequences of `length` interactions, each against a fresh bot. */
async function fuzz(weights: StepWeights, opts: { numRuns: number; length: number; editRatePerMinute?: number; seedOffset: number }): Promise<void> {
  const sequence = fc.array(stepArb(weights), { minLength: opts.length, maxLength: opts.length });
  await fc.assert(
    fc.asyncProperty(sequence, async (steps: Step[]) => {
      const session = await Session.create(opts.editRatePerMinute !== undefined ? { editRatePerMinute: opts.editRatePerMinute } : {});
      try {
        for (const step of steps) {
          await session.step(step);
          generated++;
        }
      } finally {
        await session.close();
      }
      await settle();
      if (rejections.seen.length) throw new Error(`unhandled rejection: ${String(rejections.seen[0])}`);
    }),
    { seed: SEED + opts.seedOffset, numRuns: runs(opts.numRuns), endOnFailure: process.env.FUZZ_SHRINK !== '1' },
  );
}

const guildOnly = fc.constant<Shape>('guild');

describe('GIVEN a bot with drafts, a saved preset and open votes', () => {
  it('WHEN mixed sequences of slash commands, autocompletes, buttons, selects and modal submits arrive THEN every answer is valid, bounded, mention-free and rejected ones change nothing', async () => {
    await fuzz({ slash: 4, autocomplete: 2, component: 4, modal: 4, raw: 1, bodies: importBodyArb(VALID_IMPORTS), importWeight: 1 }, { numRuns: 60, length: 40, seedOffset: 1 });
  });

  it('WHEN members open the edit forms and submit them with out-of-range, non-numeric, huge, unicode and mention-laden values, missing or extra fields THEN only valid values are saved', async () => {
    await fuzz({ slash: 2, component: 3, modal: 6, shapes: guildOnly, forgedWeight: 0 }, { numRuns: 60, length: 40, seedOffset: 2 });
  });

  it('WHEN components arrive with forged, outdated, overlong, other-guild and malformed custom_ids and wrong component types THEN each gets a friendly answer', async () => {
    await fuzz({ slash: 1, component: 8, modal: 3, forgedWeight: 3 }, { numRuns: 50, length: 40, seedOffset: 3 });
  });

  it('WHEN payloads come from DMs, without member, user, channel or locale, or with unknown interaction types THEN the bot answers without crashing', async () => {
    await fuzz(
      { slash: 3, autocomplete: 2, component: 3, modal: 3, raw: 3, shapes: fc.constantFrom<Shape>('guild', 'dm', 'noMember', 'memberNoUser', 'userTopLevel', 'noChannel', 'noLocale') },
      { numRuns: 40, length: 30, seedOffset: 4 },
    );
  });

  it('WHEN /salt import gets valid, broken, oversized, deeply nested and injected JSON (pasted or attached) THEN invalid input changes nothing', async () => {
    await fuzz({ slash: 1, bodies: importBodyArb(VALID_IMPORTS), importWeight: 12, component: 1, shapes: anyShape }, { numRuns: 40, length: 30, seedOffset: 5 });
  });

  it('WHEN members are rate-limited while saving forms and votes pass their deadline THEN answers stay friendly and nothing is lost or half-written', async () => {
    await fuzz({ slash: 2, component: 3, modal: 6, shapes: guildOnly, forgedWeight: 0 }, { numRuns: 30, length: 40, editRatePerMinute: 3, seedOffset: 6 });
  });

  it('THEN the suite threw at least 10,000 generated interactions at the router, and some were saved', () => {
    if (process.env.FUZZ_STATS) console.log(JSON.stringify({ generated, ...counter }, null, 1));
    if (SCALE < 1) return;
    expect(generated).toBeGreaterThanOrEqual(10_000);
    expect(counter.errors).toBeGreaterThan(100);
    expect(counter.modalsOpened).toBeGreaterThan(100);
    expect(counter.saved).toBeGreaterThan(20);
    expect(counter.foreignVotes).toBeGreaterThan(20);
    expect(rejections.seen).toEqual([]);
  });
});
