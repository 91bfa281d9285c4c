/**
 * What the renderer plays for each layer: the layer's synth settings, with every missing number
 * inferred from its role and LTV words. Each inferred value is listed so the preview can say so.
 *
 * Inference (used only when the synth field is absent):
 * - waveform: by role (foundation saw, core supersaw, transient triangle, harmony supersaw,
 *   air noise, custom saw); "wavetable", "fm" and "sample" cannot be reproduced and play as saw
 *   (fm as sine); this substitution is listed too.
 * - voices: density word (sparse 1, moderate 3, dense 5, massive 7); a supersaw has at least 3.
 * - detune: 25 cents total when there is more than one voice.
 * - octave: foundation -1, transient +1, others 0; interval: harmony +7 (a fifth), others 0.
 * - filter: brightness word → LP24 cutoff (dark 800 Hz, warm 2.5 kHz, neutral 4.5 kHz,
 *   bright 6.5 kHz, brilliant 12 kHz); the air role gets a band-pass at 11 kHz. Resonance 0 %.
 * - attack: edge word (percussive 0.5 ms, sharp 2 ms, medium 10 ms, soft 30 ms); decay 100 ms and
 *   sustain 0 % for the transient role, else decay 200 ms and sustain 100 %; release 250 ms
 *   (transient 50 ms).
 * - level vs the core: foundation -7, core 0, transient -6, harmony -12, air -15, custom -6 dB.
 * - stereo width: 80 % for a massive or dense unison, 50 % for other unisons, 100 % for air,
 *   else 0 % (mono, centred).
 */
import { sidechainedLayers } from '../domain/render.js';
import type { Layer, Spec } from '../domain/spec.js';
import type { Brightness, Edge, FilterType, Role } from '../domain/vocabulary.js';

export type PlayedWaveform = 'saw' | 'supersaw' | 'square' | 'pulse' | 'triangle' | 'sine' | 'noise' | 'noise+saw';

export interface Inferred {
  readonly layer: string;
  /** The synth field, e.g. "synth.voices". */
  readonly field: string;
  readonly value: string | number;
  /** Why: e.g. 'density "massive"', 'role "foundation"', 'waveform "fm" is played as sine'. */
  readonly from: string;
}

export type LfoKind = 'none' | 'shimmer' | 'aggressive';

export interface LayerParams {
  readonly id: string;
  readonly role: Role;
  readonly waveform: PlayedWaveform;
  readonly voices: number;
  readonly detuneCents: number;
  readonly octave: number;
  readonly intervalSemitones: number;
  readonly filter: { readonly type: FilterType; readonly cutoffHz: number; readonly resonancePct: number } | undefined;
  readonly attackMs: number;
  readonly decayMs: number;
  readonly sustainPct: number;
  readonly releaseMs: number;
  readonly levelDb: number;
  readonly stereoWidthPct: number;
  readonly sidechained: boolean;
  /** Cutoff modulation: quarter-note shimmer (evolving) or a sixteenth-note LFO (aggressive). */
  readonly lfo: LfoKind;
}

export const BRIGHTNESS_CUTOFF_HZ: Readonly<Record<Brightness, number>> = {
  dark: 800,
  warm: 2500,
  neutral: 4500,
  bright: 6500,
  brilliant: 12000,
};
export const EDGE_ATTACK_DEFAULT_MS: Readonly<Record<Edge, number>> = { percussive: 0.5, sharp: 2, medium: 10, soft: 30 };
const DENSITY_VOICE_DEFAULT = { sparse: 1, moderate: 3, dense: 5, massive: 7 } as const;
const ROLE_WAVEFORM: Readonly<Record<Role, PlayedWaveform>> = {
  foundation: 'saw',
  core: 'supersaw',
  transient: 'triangle',
  harmony: 'supersaw',
  air: 'noise',
  custom: 'saw',
};
const ROLE_LEVEL_DB: Readonly<Record<Role, number>> = { foundation: -7, core: 0, transient: -6, harmony: -12, air: -15, custom: -6 };
const ROLE_OCTAVE: Readonly<Record<Role, number>> = { foundation: -1, core: 0, transient: 1, harmony: 0, air: 0, custom: 0 };

/** True when the words ask for a quarter-note filter shimmer. */
function wantsShimmer(layer: Layer): boolean {
  const qualifier = layer.ltv.movement.qualifier ?? '';
  const notes = layer.synth?.notes ?? '';
  if (layer.ltv.movement.kind === 'evolving' && /shimmer|1\/4|quarter/i.test(qualifier)) return true;
  return /shimmer/i.test(notes) || /(lfo|cutoff).*(1\/4|quarter)/i.test(notes);
}

/** Resolves every layer of a spec to the values the renderer plays, plus what was inferred. */
export function resolveLayers(spec: Spec): { layers: LayerParams[]; inferred: Inferred[] } {
  const inferred: Inferred[] = [];
  const ducked = spec.sidechain ? new Set(sidechainedLayers(spec).map((l) => l.id)) : new Set<string>();
  const layers = spec.layers.map((layer): LayerParams => {
    const s = layer.synth ?? {};
    const note = (field: string, value: string | number, from: string) => inferred.push({ layer: layer.id, field, value, from });
    const pick = <T extends string | number>(field: string, given: T | undefined, fallback: T, from: string): T => {
      if (given !== undefined) return given;
      note(field, fallback, from);
      return fallback;
    };

    let waveform: PlayedWaveform;
    if (s.waveform === undefined) waveform = pick('synth.waveform', undefined, ROLE_WAVEFORM[layer.role], `role "${layer.role}"`);
    else if (s.waveform === 'wavetable' || s.waveform === 'sample') {
      waveform = 'saw';
      note('synth.waveform', 'saw', `waveform "${s.waveform}" is played as saw`);
    } else if (s.waveform === 'fm') {
      waveform = 'sine';
      note('synth.waveform', 'sine', 'waveform "fm" is played as sine');
    } else waveform = s.waveform;

    let voices = pick('synth.voices', s.voices, DENSITY_VOICE_DEFAULT[layer.ltv.density], `density "${layer.ltv.density}"`);
    if (waveform === 'noise') voices = 1;
    if (waveform === 'supersaw' && voices < 3 && s.voices === undefined) voices = 3;
    const detuneCents = voices > 1 ? pick('synth.detuneCents', s.detuneCents, 25, `${voices} voices`) : (s.detuneCents ?? 0);
    // An octave or interval of 0 is the plain reading, not worth listing as inferred.
    const octave = s.octave ?? (ROLE_OCTAVE[layer.role] !== 0 ? (note('synth.octave', ROLE_OCTAVE[layer.role], `role "${layer.role}"`), ROLE_OCTAVE[layer.role]) : 0);
    const intervalSemitones = s.intervalSemitones ?? (layer.role === 'harmony' ? (note('synth.intervalSemitones', 7, 'role "harmony"'), 7) : 0);

    let filter: LayerParams['filter'];
    if (s.filter) filter = { type: s.filter.type, cutoffHz: s.filter.cutoffHz, resonancePct: s.filter.resonancePct ?? 0 };
    else if (layer.role === 'air') {
      filter = { type: 'bp', cutoffHz: 11000, resonancePct: 0 };
      note('synth.filter', 'BP 11000 Hz', 'role "air"');
    } else if (waveform === 'sine' || waveform === 'triangle') {
      filter = undefined; // nothing to darken
    } else {
      const cutoffHz = BRIGHTNESS_CUTOFF_HZ[layer.ltv.brightness];
      filter = { type: 'lp24', cutoffHz, resonancePct: 0 };
      note('synth.filter', `LP24 ${cutoffHz} Hz`, `brightness "${layer.ltv.brightness}"`);
    }

    const env = s.envelope ?? {};
    const transient = layer.role === 'transient';
    const attackMs = pick('synth.envelope.attackMs', env.attackMs, EDGE_ATTACK_DEFAULT_MS[layer.ltv.edge], `edge "${layer.ltv.edge}"`);
    const decayMs = env.decayMs ?? (transient ? (note('synth.envelope.decayMs', 100, 'role "transient"'), 100) : 200);
    const sustainPct = env.sustainPct ?? (transient ? (note('synth.envelope.sustainPct', 0, 'role "transient"'), 0) : 100);
    const releaseMs = pick('synth.envelope.releaseMs', env.releaseMs, transient ? 50 : 250, `role "${layer.role}"`);
    const levelDb = pick('synth.levelDb', s.levelDb, ROLE_LEVEL_DB[layer.role], `role "${layer.role}"`);
    const widthDefault = layer.role === 'air' ? 100 : voices > 1 ? (layer.ltv.density === 'massive' || layer.ltv.density === 'dense' ? 80 : 50) : 0;
    const stereoWidthPct = pick('synth.stereoWidthPct', s.stereoWidthPct, widthDefault, voices > 1 ? `${voices} voices` : `role "${layer.role}"`);
    const lfo: LfoKind = wantsShimmer(layer) ? 'shimmer' : layer.ltv.movement.kind === 'aggressive' ? 'aggressive' : 'none';

    return {
      id: layer.id,
      role: layer.role,
      waveform,
      voices,
      detuneCents,
      octave,
      intervalSemitones,
      filter,
      attackMs,
      decayMs,
      sustainPct,
      releaseMs,
      levelDb,
      stereoWidthPct,
      sidechained: ducked.has(layer.id),
      lfo,
    };
  });
  return { layers, inferred };
}
