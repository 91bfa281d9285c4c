/**
 * The sidechain gain model the chart draws: gain in dB over time for a kick on every beat.
 *
 * Per kick at time k (ms):
 * - before k: 0 dB (this kick has no effect yet);
 * - attack, k … k + attackMs: straight down in dB from 0 to -duckDb (an absent attack is 0 ms: the
 *   duck is instant);
 * - release, over releaseMs after the attack: back up to 0 dB along an exponential (RC-like)
 *   curve normalized to land exactly on 0 dB at the end of the release, so the release time is the
 *   time to full recovery, which is what the 70-80 %-of-a-beat rule is about:
 *   g(u) = -duck · (e^(-K·u) - e^(-K)) / (1 - e^(-K)), u = elapsed / releaseMs, K = 4;
 * - after the release: 0 dB.
 * The gain at any time is the deepest of all kicks' gains, so a release longer than a beat is
 * still ducked when the next kick lands (kicks of the previous bar are included), and the next
 * attack starts from there.
 */
import type { Sidechain } from '../domain/spec.js';
import { BEATS_PER_BAR, msPerBeat } from '../domain/timing.js';

/** Steepness of the exponential release (higher = faster initial recovery). */
export const RELEASE_CURVE_K = 4;

function kickGainDb(elapsedMs: number, sidechain: Sidechain): number {
  if (elapsedMs < 0) return 0;
  const duck = sidechain.duckDb;
  const attack = sidechain.attackMs ?? 0;
  if (elapsedMs < attack) return -duck * (elapsedMs / attack);
  const u = (elapsedMs - attack) / sidechain.releaseMs;
  if (u >= 1) return 0;
  const k = RELEASE_CURVE_K;
  return (-duck * (Math.exp(-k * u) - Math.exp(-k))) / (1 - Math.exp(-k));
}

/** Kick times (ms) that can still affect a bar starting at 0: the bar's beats plus earlier ones. */
export function kickTimes(bpm: number, sidechain: Sidechain): number[] {
  const beat = msPerBeat(bpm);
  const reach = (sidechain.attackMs ?? 0) + sidechain.releaseMs;
  const before = Math.ceil(reach / beat);
  const times: number[] = [];
  for (let i = -before; i < BEATS_PER_BAR; i++) times.push(i * beat);
  return times;
}

/** Gain in dB (≤ 0) at time t ms into a bar with a kick on every beat. */
export function sidechainGainDb(tMs: number, bpm: number, sidechain: Sidechain): number {
  let gain = 0;
  for (const k of kickTimes(bpm, sidechain)) gain = Math.min(gain, kickGainDb(tMs - k, sidechain));
  return gain;
}

/**
 * Samples the curve over one bar: a point every `stepMs`, plus the exact attack corners and the
 * ends, in time order. Deterministic for a given spec.
 */
export function sidechainCurve(bpm: number, sidechain: Sidechain, stepMs = 2): Array<{ tMs: number; db: number }> {
  const bar = msPerBeat(bpm) * BEATS_PER_BAR;
  const times = new Set<number>();
  for (let t = 0; t < bar; t += stepMs) times.add(t);
  times.add(bar);
  const attack = sidechain.attackMs ?? 0;
  for (let i = 0; i < BEATS_PER_BAR; i++) {
    const k = i * msPerBeat(bpm);
    times.add(k);
    // just before the kick (the previous level) and the bottom of the attack
    if (k > 0) times.add(k - 0.001);
    if (k + attack <= bar) times.add(k + attack);
  }
  return [...times].sort((x, y) => x - y).map((tMs) => ({ tMs, db: sidechainGainDb(tMs, bpm, sidechain) }));
}
