/**
 * The audio preview: a short loop of the draft's lead stack over a four-on-the-floor kick, playing
 * a motif in the draft's key (or the user's notes), one note per beat. Pure and deterministic:
 * the same spec and options give the same samples (noise and voice phases come from a seeded PRNG).
 *
 * Signal flow per layer: for every note, each unison voice (band-limited wavetable, detuned across
 * the spread, panned across the stereo width) × the layer's ADSR → the layer's filter (cascaded
 * biquads; optional quarter-note shimmer on the cutoff) → level (dB vs the core) → sidechain gain
 * (keyed to every kick) → the mix. The loop is seamless: release tails past the end wrap to the start.
 */
import { msPerBeat } from '../domain/timing.js';
import type { Spec } from '../domain/spec.js';
import { addOscillator, Biquad, fillAdsr, harmonicsFor, prng, wavetable, type BiquadKind, type TableShape } from './dsp.js';
import { defaultMotif, midiToHz, noteName, parseNotes } from './notes.js';
import { resolveLayers, type Inferred, type LayerParams } from './params.js';

export const DEFAULT_BARS = 4;
export const MAX_BARS = 8;
export const DEFAULT_SAMPLE_RATE = 44100;
/** Releases longer than this are cut here (the preview is a short loop). */
export const MAX_RENDER_RELEASE_MS = 2000;
/** Share of the beat a note is held before its release starts. */
export const GATE_FRACTION = 0.9;
/** Peak level of the normalized mix (-1 dBFS). */
export const PEAK_LEVEL = 10 ** (-1 / 20);

export interface PreviewOptions {
  /** Loop length in bars (4/4), 1-8; default 4. */
  readonly bars?: number;
  /** Notes to play, one per beat, repeated: scientific pitch names, e.g. "A4 C5 E5 D5". */
  readonly notes?: string;
  readonly sampleRate?: number;
  /** Render only this layer (by id). */
  readonly soloLayer?: string;
  /** Leave out the kick (the sidechain still ducks on its beats). */
  readonly noKick?: boolean;
}

export interface PreviewAudio {
  readonly left: Float32Array;
  readonly right: Float32Array;
  readonly sampleRate: number;
  readonly bpm: number;
  readonly bars: number;
  readonly durationS: number;
  /** The notes played, one per beat of the phrase (before repetition), e.g. ["A4", "C5", …]. */
  readonly notes: readonly string[];
  /** Ids of the layers rendered. */
  readonly layers: readonly string[];
  /** Synth values the spec leaves out and the renderer inferred from the LTV words and roles. */
  readonly inferred: readonly Inferred[];
}

export type PreviewProblem = 'bars' | 'solo-layer' | 'sample-rate';

/** Options a preview cannot be rendered with (bad notes throw InvalidNotesError instead). */
export class PreviewOptionError extends Error {
  readonly reason: PreviewProblem;
  constructor(reason: PreviewProblem, message: string) {
    super(message);
    this.name = 'PreviewOptionError';
    this.reason = reason;
  }
}

/** One played note: start and held time in seconds, MIDI note of the melody. */
export interface NoteEvent {
  readonly startS: number;
  readonly gateS: number;
  readonly midi: number;
}

export interface StackOptions {
  readonly events: readonly NoteEvent[];
  readonly lengthS: number;
  readonly sampleRate: number;
  readonly bpm: number;
  /** Layer ids to render (default all). */
  readonly only?: readonly string[];
  readonly kick: boolean;
  readonly sidechain: boolean;
  /** Fold the tail past lengthS onto the start (a seamless loop). */
  readonly wrap: boolean;
  readonly normalize: boolean;
  readonly seed?: number;
}

export function renderPreview(spec: Spec, options: PreviewOptions = {}): PreviewAudio {
  const bars = options.bars ?? DEFAULT_BARS;
  if (!Number.isInteger(bars) || bars < 1 || bars > MAX_BARS) {
    throw new PreviewOptionError('bars', `bars must be a whole number from 1 to ${MAX_BARS}`);
  }
  const sampleRate = options.sampleRate ?? DEFAULT_SAMPLE_RATE;
  if (!Number.isInteger(sampleRate) || sampleRate < 8000 || sampleRate > 192000) {
    throw new PreviewOptionError('sample-rate', 'sampleRate must be a whole number from 8000 to 192000');
  }
  if (options.soloLayer !== undefined && !spec.layers.some((l) => l.id === options.soloLayer)) {
    throw new PreviewOptionError('solo-layer', `no layer "${options.soloLayer}" (layers: ${spec.layers.map((l) => l.id).join(', ')})`);
  }
  const melody = options.notes !== undefined ? parseNotes(options.notes) : defaultMotif(spec.track.key);
  const flats = /b/.test(spec.track.key.split(' ')[0] ?? '');
  const bpm = spec.track.bpm;
  const beatS = msPerBeat(bpm) / 1000;
  const beats = bars * 4;
  const events: NoteEvent[] = [];
  for (let b = 0; b < beats; b++) events.push({ startS: b * beatS, gateS: beatS * GATE_FRACTION, midi: melody[b % melody.length]! });
  const only = options.soloLayer !== undefined ? [options.soloLayer] : undefined;
  const { left, right, inferred } = renderStack(spec, {
    events,
    lengthS: beats * beatS,
    sampleRate,
    bpm,
    ...(only ? { only } : {}),
    kick: options.noKick !== true,
    sidechain: true,
    wrap: true,
    normalize: true,
  });
  return {
    left,
    right,
    sampleRate,
    bpm,
    bars,
    durationS: left.length / sampleRate,
    notes: melody.map((m) => noteName(m, flats)),
    layers: only ?? spec.layers.map((l) => l.id),
    inferred,
  };
}

/** Renders chosen layers of a spec for given note events (the engine behind renderPreview and measuring). */
export function renderStack(spec: Spec, options: StackOptions): { left: Float32Array; right: Float32Array; inferred: Inferred[] } {
  const sr = options.sampleRate;
  const length = Math.round(options.lengthS * sr);
  const { layers: all, inferred } = resolveLayers(spec);
  const layers = options.only ? all.filter((l) => options.only!.includes(l.id)) : all;
  const maxRelease = Math.min(MAX_RENDER_RELEASE_MS, Math.max(0, ...layers.map((l) => l.releaseMs)));
  const maxGate = Math.max(0, ...options.events.map((e) => e.gateS));
  const tail = options.wrap ? Math.ceil(((maxRelease + 300) / 1000) * sr) : 0;
  const total = length + tail;
  const left = new Float32Array(total);
  const right = new Float32Array(total);
  const [layerL, layerR] = layerScratch(total);
  const scratch = { env: new Float32Array(Math.ceil((maxGate + maxRelease / 1000) * sr) + 2) };
  const beatS = msPerBeat(options.bpm) / 1000;
  const gain = options.sidechain && spec.sidechain ? sidechainGain(spec.sidechain, beatS, sr, total) : undefined;
  const random = prng(options.seed ?? 0x5a17b07);

  for (const p of layers) {
    layerL.fill(0);
    layerR.fill(0);
    renderLayerNotes(p, options.events, sr, layerL, layerR, scratch, random);
    applyFilter(p, layerL, layerR, sr, beatS);
    const level = 10 ** (p.levelDb / 20) * LAYER_HEADROOM;
    if (p.sidechained && gain) {
      for (let i = 0; i < total; i++) {
        const g = level * gain[i]!;
        left[i]! += layerL[i]! * g;
        right[i]! += layerR[i]! * g;
      }
    } else {
      for (let i = 0; i < total; i++) {
        left[i]! += layerL[i]! * level;
        right[i]! += layerR[i]! * level;
      }
    }
  }
  if (options.kick) addKicks(left, right, beatS, sr, length, options.wrap);

  let outL = left;
  let outR = right;
  if (options.wrap) {
    for (let i = length; i < total; i++) {
      left[i % length]! += left[i]!;
      right[i % length]! += right[i]!;
    }
    outL = left.subarray(0, length);
    outR = right.subarray(0, length);
  }
  if (options.normalize) normalize(outL, outR);
  return { left: outL, right: outR, inferred };
}

let SCRATCH: [Float32Array, Float32Array] | undefined;
/** Per-layer working buffers, reused across renders (rendering is synchronous, so never shared). */
function layerScratch(length: number): [Float32Array, Float32Array] {
  if (!SCRATCH || SCRATCH[0].length < length) SCRATCH = [new Float32Array(length), new Float32Array(length)];
  return [SCRATCH[0].subarray(0, length), SCRATCH[1].subarray(0, length)];
}

/** Mix level of a 0 dB layer before normalization (leaves room for a five-layer stack). */
const LAYER_HEADROOM = 0.35;

function tableShape(waveform: LayerParams['waveform']): TableShape | undefined {
  switch (waveform) {
    case 'saw':
    case 'supersaw':
    case 'noise+saw':
      return 'saw';
    case 'square':
    case 'pulse':
      return 'square';
    case 'triangle':
      return 'triangle';
    case 'sine':
      return 'sine';
    case 'noise':
      return undefined;
  }
}

function renderLayerNotes(
  p: LayerParams,
  events: readonly NoteEvent[],
  sr: number,
  outL: Float32Array,
  outR: Float32Array,
  scratch: { env: Float32Array },
  random: () => number,
): void {
  const shape = tableShape(p.waveform);
  const noisy = p.waveform === 'noise' || p.waveform === 'noise+saw';
  const voices = shape ? p.voices : 0;
  const width = p.stereoWidthPct / 100;
  const adsr = {
    attackMs: p.attackMs,
    decayMs: p.decayMs,
    sustain: p.sustainPct / 100,
    releaseMs: Math.min(p.releaseMs, MAX_RENDER_RELEASE_MS),
  };
  const sawGain = p.waveform === 'noise+saw' ? 0.35 : 1;
  const voiceGain = voices > 0 ? sawGain / Math.sqrt(voices) : 0;
  const env = scratch.env;
  for (const event of events) {
    const start = Math.round(event.startS * sr);
    if (start >= outL.length) continue;
    const len = fillAdsr(env, adsr, Math.round(event.gateS * sr), sr);
    const midi = event.midi + 12 * p.octave + p.intervalSemitones;
    const hz = midiToHz(midi);
    if (shape) {
      const spread = voices > 1 ? p.detuneCents : 0;
      const table = wavetable(shape, harmonicsFor(hz * 2 ** (spread / 2 / 1200), sr));
      for (let v = 0; v < voices; v++) {
        const pos = voices > 1 ? v / (voices - 1) - 0.5 : 0; // -0.5 … +0.5
        const voiceHz = hz * 2 ** ((pos * spread) / 1200);
        const pan = pos * 2 * width; // -width … +width
        const angle = ((pan + 1) * Math.PI) / 4;
        const phase = voices > 1 ? random() : 0;
        addOscillator(table, voiceHz, phase, sr, env, len, outL, outR, start, voiceGain * Math.cos(angle) * Math.SQRT2, voiceGain * Math.sin(angle) * Math.SQRT2);
      }
    }
    if (noisy) {
      // Two noise streams; the stereo width blends them from identical (mono) to independent.
      // Read from a seeded noise table at random offsets (no per-sample PRNG call).
      const end = Math.min(len, outL.length - start);
      const mono = 1 - width;
      const noise = noiseTable();
      const mask = noise.length - 1;
      const oa = (random() * noise.length) | 0;
      const ob = (random() * noise.length) | 0;
      for (let i = 0; i < end; i++) {
        const a = noise[(oa + i) & mask]!;
        const b = noise[(ob + i) & mask]!;
        const e = env[i]! * 0.8;
        outL[start + i]! += a * e;
        outR[start + i]! += (mono * a + width * b) * e;
      }
    }
  }
}

let NOISE: Float32Array | undefined;
/** 2^17 samples (3 s at 44.1 kHz) of seeded white noise in [-1, 1). */
function noiseTable(): Float32Array {
  if (!NOISE) {
    NOISE = new Float32Array(1 << 17);
    const random = prng(0x0a1e);
    for (let i = 0; i < NOISE.length; i++) NOISE[i] = random() * 2 - 1;
  }
  return NOISE;
}

/** Resonance (0-100 %) → Q of the resonant stage: 0 % = Butterworth, 100 % ≈ Q 13 (a strong peak). */
export function resonanceQ(baseQ: number, resonancePct: number): number {
  return baseQ * 2 ** ((resonancePct / 100) * 3.3);
}

interface Stage {
  readonly kind: BiquadKind;
  readonly q: number;
}

/** LP24/HP24 = two biquads with the Butterworth Qs (0.54, 1.31), resonance on the second. */
export function filterStages(type: NonNullable<LayerParams['filter']>['type'], resonancePct: number): Stage[] {
  switch (type) {
    case 'lp12':
      return [{ kind: 'lowpass', q: resonanceQ(Math.SQRT1_2, resonancePct) }];
    case 'lp24':
      return [{ kind: 'lowpass', q: 0.5412 }, { kind: 'lowpass', q: resonanceQ(1.3066, resonancePct) }];
    case 'hp12':
      return [{ kind: 'highpass', q: resonanceQ(Math.SQRT1_2, resonancePct) }];
    case 'hp24':
      return [{ kind: 'highpass', q: 0.5412 }, { kind: 'highpass', q: resonanceQ(1.3066, resonancePct) }];
    case 'bp': // Q 1.41 ≈ one octave wide
      return [{ kind: 'bandpass', q: resonanceQ(1.41, resonancePct) }];
    case 'notch':
      return [{ kind: 'notch', q: resonanceQ(1.41, resonancePct) }];
  }
}

/** LFO on the cutoff: the shimmer moves it ±half an octave once per beat; aggressive ±1 octave four times. */
const LFO = { shimmer: { perBeat: 1, octaves: 0.5 }, aggressive: { perBeat: 4, octaves: 1 } } as const;
const LFO_BLOCK = 32;

function applyFilter(p: LayerParams, l: Float32Array, r: Float32Array, sr: number, beatS: number): void {
  if (!p.filter) return;
  const stages = filterStages(p.filter.type, p.filter.resonancePct);
  // One chain of biquads per channel. Plain loops, no closures: with the LFO the cutoff moves every
  // 32 samples, and a closure or array per block was ~7 MB of garbage a render (young-generation
  // collections whose helper threads run at normal priority, beside the event loop).
  const left = stages.map((s) => new Biquad(s.kind, sr));
  const right = stages.map((s) => new Biquad(s.kind, sr));
  const cutoff = p.filter.cutoffHz;
  if (p.lfo === 'none') {
    for (let i = 0; i < stages.length; i++) {
      left[i]!.set(cutoff, stages[i]!.q);
      left[i]!.process(l);
      right[i]!.set(cutoff, stages[i]!.q);
      right[i]!.process(r);
    }
    return;
  }
  const lfo = LFO[p.lfo];
  const rate = lfo.perBeat / beatS;
  for (let from = 0; from < l.length; from += LFO_BLOCK) {
    const to = Math.min(l.length, from + LFO_BLOCK);
    const t = (from + LFO_BLOCK / 2) / sr;
    const hz = cutoff * 2 ** (lfo.octaves * Math.sin(2 * Math.PI * rate * t));
    for (let i = 0; i < stages.length; i++) {
      left[i]!.set(hz, stages[i]!.q);
      left[i]!.process(l, from, to);
    }
    for (let i = 0; i < stages.length; i++) {
      right[i]!.set(hz, stages[i]!.q);
      right[i]!.process(r, from, to);
    }
  }
}

/**
 * The sidechain as a gain envelope, one value per sample. Every beat a kick starts a duck: the
 * gain reduction rises linearly (in dB) to duckDb over attackMs, then falls exponentially in dB,
 * reaching 1 dB at releaseMs after the peak (release = "back within 1 dB"), and on toward 0 dB.
 * Overlapping ducks take the deeper reduction.
 */
export function sidechainGain(
  sc: { readonly duckDb: number; readonly attackMs?: number | undefined; readonly releaseMs: number },
  beatS: number,
  sr: number,
  length: number,
): Float32Array {
  const gain = new Float32Array(length);
  const duck = sc.duckDb;
  const attackS = Math.max(0, sc.attackMs ?? 2) / 1000;
  const releaseS = sc.releaseMs / 1000;
  const tau = duck > 1 ? releaseS / Math.log(duck) : 0;
  const lookBack = Math.ceil((attackS + releaseS * 4) / beatS) + 1;
  const reductionAt = (dt: number): number => {
    if (dt < 0) return 0;
    if (dt < attackS) return (duck * dt) / attackS;
    const t = dt - attackS;
    if (tau > 0) return duck * Math.exp(-t / tau);
    return t < releaseS ? duck * (1 - t / releaseS) : 0;
  };
  // The curve repeats every beat: tabulate one beat (with the earlier kicks' tails) at sample
  // resolution, then read it by each sample's position in its beat.
  const beatSamples = beatS * sr;
  const period = new Float64Array(Math.ceil(beatSamples) + 2);
  for (let i = 0; i < period.length; i++) {
    const t = i / sr;
    let red = 0;
    for (let j = 0; j <= lookBack; j++) {
      const r = reductionAt(t + j * beatS);
      if (r > red) red = r;
    }
    period[i] = 10 ** (-red / 20);
  }
  for (let i = 0; i < length; i++) {
    const pos = i - Math.floor(i / beatSamples) * beatSamples;
    const i0 = pos | 0;
    const a = period[i0]!;
    gain[i] = a + (pos - i0) * (period[i0 + 1]! - a);
  }
  return gain;
}

/** The kick: a sine sweeping 150 → 45 Hz with a 250 ms decay, plus a 4 ms noise click. */
function kickSample(sr: number): Float32Array {
  const n = Math.round(0.35 * sr);
  const out = new Float32Array(n);
  const random = prng(0xc0ffee);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const hz = 45 + 105 * Math.exp(-t / 0.035);
    phase += (2 * Math.PI * hz) / sr;
    const body = Math.sin(phase) * Math.exp(-t / 0.12) * Math.min(1, t / 0.0005);
    const click = (random() * 2 - 1) * Math.exp(-t / 0.0012) * 0.35;
    out[i] = (body + click) * 0.9;
  }
  return out;
}

function addKicks(left: Float32Array, right: Float32Array, beatS: number, sr: number, length: number, wrap: boolean): void {
  const kick = kickSample(sr);
  const beats = Math.round(length / (beatS * sr));
  for (let b = 0; b < beats; b++) {
    const start = Math.round(b * beatS * sr);
    const end = Math.min(kick.length, (wrap ? left.length : length) - start);
    for (let i = 0; i < end; i++) {
      left[start + i]! += kick[i]!;
      right[start + i]! += kick[i]!;
    }
  }
}

function normalize(l: Float32Array, r: Float32Array): void {
  let peak = 0;
  for (let i = 0; i < l.length; i++) {
    const a = Math.abs(l[i]!);
    const b = Math.abs(r[i]!);
    if (a > peak) peak = a;
    if (b > peak) peak = b;
  }
  if (peak === 0) return;
  const g = PEAK_LEVEL / peak;
  for (let i = 0; i < l.length; i++) {
    l[i]! *= g;
    r[i]! *= g;
  }
}
