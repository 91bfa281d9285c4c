/**
 * DSP building blocks for the preview renderer: a seeded PRNG, band-limited wavetables, RBJ biquad
 * filters and envelopes. Everything works on typed arrays in place and allocates nothing per sample.
 */

/** Mulberry32: a small, fast, seeded 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fills `out` with white noise in [-1, 1) from a seeded PRNG. */
export function fillNoise(out: Float32Array, random: () => number): void {
  for (let i = 0; i < out.length; i++) out[i] = random() * 2 - 1;
}

// ---------------------------------------------------------------------------------------------
// Band-limited wavetables

export type TableShape = 'saw' | 'square' | 'triangle' | 'sine';

/** Table length (power of two); every table has one guard sample (TABLE_SIZE + 1 values). */
export const TABLE_SIZE = 2048;
const SIN = new Float64Array(TABLE_SIZE);
for (let i = 0; i < TABLE_SIZE; i++) SIN[i] = Math.sin((2 * Math.PI * i) / TABLE_SIZE);

/** No partial is rendered above this frequency (and never above 0.45 × the sample rate). */
export const MAX_PARTIAL_HZ = 18000;

const tables = new Map<string, Float32Array>();

/**
 * One period of a waveform with harmonics 1..`harmonics` only (additive synthesis, exact sines),
 * scaled to a peak of about 1. Tables are cached by shape and harmonic count.
 */
export function wavetable(shape: TableShape, harmonics: number): Float32Array {
  const h = shape === 'sine' ? 1 : Math.max(1, Math.min(harmonics, TABLE_SIZE / 2 - 1));
  const key = `${shape}:${h}`;
  const cached = tables.get(key);
  if (cached) return cached;
  const acc = new Float64Array(TABLE_SIZE);
  const mask = TABLE_SIZE - 1;
  for (let k = 1; k <= h; k++) {
    let amp: number;
    let phaseOffset = 0;
    if (shape === 'saw') amp = 1 / k;
    else if (shape === 'sine') amp = k === 1 ? 1 : 0;
    else if (k % 2 === 0) amp = 0;
    else if (shape === 'square') amp = 1 / k;
    else {
      amp = 1 / (k * k); // triangle: cosine-phase odd harmonics, alternating sign
      phaseOffset = ((k - 1) / 2) % 2 === 0 ? 0 : TABLE_SIZE / 2;
    }
    if (amp === 0) continue;
    for (let i = 0; i < TABLE_SIZE; i++) acc[i]! += amp * SIN[(k * i + phaseOffset) & mask]!;
  }
  let peak = 0;
  for (let i = 0; i < TABLE_SIZE; i++) peak = Math.max(peak, Math.abs(acc[i]!));
  const table = new Float32Array(TABLE_SIZE + 1);
  const scale = peak > 0 ? 1 / peak : 1;
  for (let i = 0; i < TABLE_SIZE; i++) table[i] = acc[i]! * scale;
  table[TABLE_SIZE] = table[0]!;
  tables.set(key, table);
  return table;
}

/** The number of harmonics a note at `maxHz` (highest detuned voice) may carry without aliasing. */
export function harmonicsFor(maxHz: number, sampleRate: number): number {
  const limit = Math.min(MAX_PARTIAL_HZ, 0.45 * sampleRate);
  return Math.max(1, Math.floor(limit / maxHz));
}

/**
 * Adds `gain × table oscillator × env` into outL/outR (gains gl, gr) from `start` for env.length
 * samples; returns the phase after the last sample (0..1).
 */
export function addOscillator(
  table: Float32Array,
  hz: number,
  phase: number,
  sampleRate: number,
  env: Float32Array,
  length: number,
  outL: Float32Array,
  outR: Float32Array,
  start: number,
  gl: number,
  gr: number,
): number {
  const inc = (hz / sampleRate) * TABLE_SIZE;
  let p = phase * TABLE_SIZE;
  const end = Math.min(length, outL.length - start);
  for (let i = 0; i < end; i++) {
    const i0 = p | 0;
    const frac = p - i0;
    const a = table[i0]!;
    const v = (a + frac * (table[i0 + 1]! - a)) * env[i]!;
    outL[start + i]! += v * gl;
    outR[start + i]! += v * gr;
    p += inc;
    if (p >= TABLE_SIZE) p -= TABLE_SIZE;
  }
  return p / TABLE_SIZE;
}

// ---------------------------------------------------------------------------------------------
// Biquad filters (RBJ Audio EQ Cookbook), transposed direct form II

export type BiquadKind = 'lowpass' | 'highpass' | 'bandpass' | 'notch';

export class Biquad {
  b0 = 1;
  b1 = 0;
  b2 = 0;
  a1 = 0;
  a2 = 0;
  private z1 = 0;
  private z2 = 0;

  constructor(
    readonly kind: BiquadKind,
    readonly sampleRate: number,
  ) {}

  set(hz: number, q: number): void {
    const f = Math.min(Math.max(hz, 10), this.sampleRate * 0.49);
    const w0 = (2 * Math.PI * f) / this.sampleRate;
    const cos = Math.cos(w0);
    const alpha = Math.sin(w0) / (2 * q);
    const a0 = 1 + alpha;
    let b0: number;
    let b1: number;
    let b2: number;
    switch (this.kind) {
      case 'lowpass':
        b0 = (1 - cos) / 2;
        b1 = 1 - cos;
        b2 = b0;
        break;
      case 'highpass':
        b0 = (1 + cos) / 2;
        b1 = -(1 + cos);
        b2 = b0;
        break;
      case 'bandpass': // constant 0 dB peak gain
        b0 = alpha;
        b1 = 0;
        b2 = -alpha;
        break;
      case 'notch':
        b0 = 1;
        b1 = -2 * cos;
        b2 = 1;
        break;
    }
    this.b0 = b0 / a0;
    this.b1 = b1 / a0;
    this.b2 = b2 / a0;
    this.a1 = (-2 * cos) / a0;
    this.a2 = (1 - alpha) / a0;
  }

  /** Filters buf[from, to) in place. */
  process(buf: Float32Array, from = 0, to = buf.length): void {
    const { b0, b1, b2, a1, a2 } = this;
    let z1 = this.z1;
    let z2 = this.z2;
    for (let i = from; i < to; i++) {
      const x = buf[i]!;
      const y = b0 * x + z1;
      z1 = b1 * x - a1 * y + z2;
      z2 = b2 * x - a2 * y;
      buf[i] = y;
    }
    this.z1 = z1;
    this.z2 = z2;
  }
}

// ---------------------------------------------------------------------------------------------
// Envelopes

/** ln(1000): exponential segments reach -60 dB of their distance to the target at their time. */
const LN_1000 = Math.log(1000);

export interface Adsr {
  readonly attackMs: number;
  /** Time to fall from the peak to within -60 dB of the sustain level. */
  readonly decayMs: number;
  readonly sustain: number;
  /** Time to fall from the level at note-off to -60 dB. */
  readonly releaseMs: number;
}

/** Samples an ADSR for one note (gate = `gateSamples`) into env[0, length); returns length. */
export function fillAdsr(env: Float32Array, adsr: Adsr, gateSamples: number, sampleRate: number): number {
  const length = Math.min(env.length, gateSamples + Math.ceil((adsr.releaseMs / 1000) * sampleRate));
  const attack = Math.max(1, Math.round((adsr.attackMs / 1000) * sampleRate));
  const decayCoef = adsr.decayMs > 0 ? Math.exp(-LN_1000 / ((adsr.decayMs / 1000) * sampleRate)) : 0;
  const releaseCoef = adsr.releaseMs > 0 ? Math.exp(-LN_1000 / ((adsr.releaseMs / 1000) * sampleRate)) : 0;
  const s = adsr.sustain;
  let level = 0;
  let excess = 1 - s; // distance above sustain during decay
  for (let i = 0; i < length; i++) {
    if (i < gateSamples) {
      if (i < attack) level = (i + 1) / attack;
      else {
        excess *= decayCoef;
        level = s + excess;
      }
    } else {
      level *= releaseCoef;
    }
    env[i] = level;
  }
  return length;
}
