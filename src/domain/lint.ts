/**
 * Lint: checks a valid spec against the production facts of the domain (sidechain timing, the
 * five-layer stack's typical values, the LTV word meanings, bar order, the band map) and reports
 * contradictions and out-of-range numbers in plain words.
 *
 * Every rule only looks at data that is present: an optional field left out never produces a
 * finding. A finding carries a stable message key (`lint.<rule-id>`) and display-ready params so
 * the bot can localize it; `message` is the English template filled with those params.
 *
 * Severities: 'error' = the prompt contradicts itself (e.g. bars out of order); 'warning' = a
 * contradiction between words and numbers, or a number outside the range the domain gives;
 * 'info' = a stylistic choice worth knowing about.
 */
import type { Layer, Spec } from './spec.js';
import { MUDDY_RELEASE_MS, msPerBeat, releaseWindow } from './timing.js';
import {
  BRIGHTNESS_CENTROID_HZ,
  DENSITY_VOICES,
  EDGE_ATTACK_MS,
  type Brightness,
  type FilterType,
} from './vocabulary.js';

export type Severity = 'error' | 'warning' | 'info';

export type LintParams = Readonly<Record<string, string | number>>;

export interface LintFinding {
  /** Stable kebab-case rule id, e.g. "sidechain-release-window". */
  readonly rule: string;
  readonly severity: Severity;
  /** `lint.<rule>`: the key a localized message template is looked up by. */
  readonly messageKey: string;
  /** Values the message shows, already formatted for display. */
  readonly params: LintParams;
  /** Field the finding is about, e.g. "layers[1].synth.voices"; absent for the whole spec. */
  readonly path?: string;
  /** English message: the rule's template filled with `params`. */
  readonly message: string;
}

/** What a rule's check reports; the rule adds id, severity, key and message. */
export interface LintHit {
  readonly path?: string;
  readonly params: LintParams;
}

export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  /** One line for help text: what the rule checks and its threshold. */
  readonly description: string;
  /** English message template with `{param}` placeholders. */
  readonly template: string;
  check(spec: Spec): LintHit[];
}

// ---------------------------------------------------------------------------------------------
// Thresholds (from the domain notes)

/** Duck depth per kick, dB. */
export const DUCK_DB = { min: 6, max: 9 } as const;
/** Sidechain attack, ms. */
export const SIDECHAIN_ATTACK_MS = { min: 1, max: 5 } as const;
/** Sidechain ratio N in N:1. */
export const SIDECHAIN_RATIO = { min: 4, max: 8 } as const;
/** The aggressive "EDM" pump starts here; a shorter release is outside every documented pump. */
export const MIN_PUMP_RELEASE_MS = 100;
/** Supersaw core: unison voices, total detune (cents), maximum resonance (%). */
export const CORE_VOICES = { min: 7, max: 8 } as const;
export const CORE_DETUNE_CENTS = { min: 15, max: 35 } as const;
export const CORE_MAX_RESONANCE_PCT = 8;
/** Levels relative to the core, dB. */
export const FOUNDATION_LEVEL_DB = { min: -9, max: -6 } as const;
export const HARMONY_LEVEL_DB = { min: -15, max: -10 } as const;
/** The air layer lives above this. */
export const AIR_MIN_HZ = 8000;
/** Two layers with at least this log-frequency intersection-over-union claim the same band. */
export const SAME_BAND_IOU = 0.85;
/** A low-pass this many times above a dark/warm word's centroid band leaves the layer too bright. */
export const LP_TOO_OPEN_FACTOR = 4;
/** A band-pass centre may sit this factor (one octave) outside the word's centroid band. */
export const BP_TOLERANCE_FACTOR = 2;

// ---------------------------------------------------------------------------------------------
// Display formatting

/** A number for display: at most two decimals, no trailing zeros (7, 7.5, 468.75). */
function num(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded);
}

/** A signed dB level for display: "-12", "+3", "0". */
function db(value: number): string {
  const s = num(value);
  return value > 0 ? `+${s}` : s;
}

function hzRange(low: number, high: number): string {
  return `${num(low)}-${num(high)}`;
}

/** The centroid band of a brightness word, language-neutral: "< 1 kHz", "1-3 kHz", "> 8 kHz". */
function centroidRange(word: Brightness): string {
  const { lowHz, highHz } = BRIGHTNESS_CENTROID_HZ[word];
  const k = (hz: number) => num(hz / 1000);
  if (lowHz <= 0) return `< ${k(highHz)} kHz`;
  if (highHz >= 20000) return `> ${k(lowHz)} kHz`;
  return `${k(lowHz)}-${k(highHz)} kHz`;
}

function voiceRange(range: { min: number; max: number }): string {
  return Number.isFinite(range.max) ? `${range.min}-${range.max}` : `${range.min}+`;
}

function attackRange(range: { min: number; max: number }): string {
  if (!Number.isFinite(range.max)) return `> ${range.min} ms`;
  if (range.min <= 0) return `< ${range.max} ms`;
  return `${range.min}-${range.max} ms`;
}

const FILTER_LABEL: Readonly<Record<FilterType, string>> = {
  lp12: 'LP12',
  lp24: 'LP24',
  hp12: 'HP12',
  hp24: 'HP24',
  bp: 'BP',
  notch: 'notch',
};

const layerPath = (index: number, rest: string) => `layers[${index}].${rest}`;

/** Yields each layer with its index, filtered by role. */
function layersWithRole(spec: Spec, role: Layer['role']): Array<[Layer, number]> {
  return spec.layers.flatMap((layer, index): Array<[Layer, number]> => (layer.role === role ? [[layer, index]] : []));
}

function outside(value: number, range: { min: number; max: number }): boolean {
  return value < range.min || value > range.max;
}

// ---------------------------------------------------------------------------------------------
// Sidechain release

/**
 * The release window in whole ms, rounded outward (328.125-375 → 328-375 at 128 BPM), so that the
 * bounds the message shows are exactly the bounds the rule applies.
 */
export function displayReleaseWindow(bpm: number): { minMs: number; maxMs: number } {
  const w = releaseWindow(bpm);
  return { minMs: Math.floor(w.minMs), maxMs: Math.ceil(w.maxMs) };
}

/**
 * "Over ~400 ms at 128 BPM the lead is still ducked at the next kick": the notes give the figure
 * for 128 BPM, and the effect is about the distance to the next kick, so the threshold scales
 * with the beat (400 ms = 85.3 % of a quarter note; 423 ms at 121 BPM, 294 ms at 174 BPM).
 */
export function muddyReleaseMs(bpm: number): number {
  return Math.round((MUDDY_RELEASE_MS * msPerBeat(bpm)) / msPerBeat(128));
}

function releaseParams(spec: Spec, releaseMs: number): Record<string, string> {
  const w = displayReleaseWindow(spec.track.bpm);
  return {
    releaseMs: num(releaseMs),
    bpm: String(spec.track.bpm),
    windowMin: String(w.minMs),
    windowMax: String(w.maxMs),
  };
}

// ---------------------------------------------------------------------------------------------
// Brightness vs filter

type BrightnessVerdict = 'too-dark' | 'too-bright' | undefined;

/**
 * Whether a layer's filter contradicts its brightness word, whose meaning is a band of spectral
 * centroid [low, high) (BRIGHTNESS_CENTROID_HZ). A filter shapes a rich source (saw, noise) so:
 * - Low-pass: almost no energy is left above the cutoff, so a cutoff below the band's low edge
 *   is too dark for the word. For dark and warm, a cutoff more than 4x the band's top (above
 *   4 kHz for dark, 12 kHz for warm) leaves the filter so open it barely darkens: too bright.
 *   (Neutral and brighter words are not checked upwards: an open LP is what they want.)
 * - High-pass: the energy left is above the cutoff, so a cutoff at or above the band's top is
 *   too bright for the word. A low high-pass says nothing about brightness.
 * - Band-pass: the centroid sits near the centre frequency (the cutoff field); it contradicts
 *   the word when it lies more than an octave outside the band (below low/2 or above 2x high).
 * - Notch: removes a narrow slice only; never a contradiction.
 */
export function brightnessVerdict(word: Brightness, type: FilterType, cutoffHz: number): BrightnessVerdict {
  const band = BRIGHTNESS_CENTROID_HZ[word];
  switch (type) {
    case 'lp12':
    case 'lp24':
      if (cutoffHz < band.lowHz) return 'too-dark';
      if ((word === 'dark' || word === 'warm') && cutoffHz > band.highHz * LP_TOO_OPEN_FACTOR) return 'too-bright';
      return undefined;
    case 'hp12':
    case 'hp24':
      return cutoffHz >= band.highHz ? 'too-bright' : undefined;
    case 'bp':
      if (cutoffHz < band.lowHz / BP_TOLERANCE_FACTOR) return 'too-dark';
      if (cutoffHz > band.highHz * BP_TOLERANCE_FACTOR) return 'too-bright';
      return undefined;
    case 'notch':
      return undefined;
  }
}

function brightnessHits(spec: Spec, want: BrightnessVerdict): LintHit[] {
  const hits: LintHit[] = [];
  spec.layers.forEach((layer, index) => {
    const filter = layer.synth?.filter;
    if (!filter) return;
    if (brightnessVerdict(layer.ltv.brightness, filter.type, filter.cutoffHz) !== want) return;
    hits.push({
      path: layerPath(index, 'synth.filter.cutoffHz'),
      params: {
        layer: layer.id,
        brightness: layer.ltv.brightness,
        centroid: centroidRange(layer.ltv.brightness),
        filter: FILTER_LABEL[filter.type],
        cutoffHz: num(filter.cutoffHz),
      },
    });
  });
  return hits;
}

// ---------------------------------------------------------------------------------------------
// Band overlap

/**
 * How much two bands are "the same band": intersection over union on a log-frequency axis
 * (octaves), 0 = disjoint, 1 = identical. Log axis because pitch and masking are perceived in
 * octaves: 200-8000 Hz and 300-6000 Hz share 0.81 of their union (not the same band), a pluck at
 * 1-5 kHz inside a 200-8000 Hz core only 0.44.
 */
export function bandIoU(a: { lowHz: number; highHz: number }, b: { lowHz: number; highHz: number }): number {
  const lo = Math.max(a.lowHz, b.lowHz);
  const hi = Math.min(a.highHz, b.highHz);
  if (hi <= lo) return 0;
  const union = Math.log2(Math.max(a.highHz, b.highHz) / Math.min(a.lowHz, b.lowHz));
  return Math.log2(hi / lo) / union;
}

// ---------------------------------------------------------------------------------------------
// Timing

const TIMING_ORDER = [
  { key: 'buildStartBar', label: 'build start' },
  { key: 'sweepApexBar', label: 'sweep apex' },
  { key: 'dropBar', label: 'drop' },
  { key: 'breakBar', label: 'break' },
  { key: 'secondDropBar', label: 'second drop' },
] as const;

// ---------------------------------------------------------------------------------------------
// The rules, in report order

const ROLES_SIDECHAINED = new Set<Layer['role']>(['foundation', 'core', 'transient', 'harmony', 'air']);

export const LINT_RULES: readonly LintRule[] = [
  // --- Timing (T) ---
  {
    id: 'timing-order',
    severity: 'error',
    description:
      'Bar markers must run build start < sweep apex <= drop < break < second drop (checked between each pair of markers that are set).',
    template:
      'The {first} is at bar {firstBar} and the {second} at bar {secondBar}: they are out of order. The order is build start, sweep apex, drop, break, second drop (only the sweep apex may share the drop bar).',
    check(spec) {
      // Checking each set marker against the next set one is enough: the order is transitive.
      const present = TIMING_ORDER.flatMap((m, order) => {
        const bar = spec.timing[m.key];
        return bar === undefined ? [] : [{ ...m, order, bar }];
      });
      const hits: LintHit[] = [];
      for (let i = 1; i < present.length; i++) {
        const a = present[i - 1]!;
        const b = present[i]!;
        const mayShare = a.key === 'sweepApexBar' && b.key === 'dropBar';
        if (a.bar > b.bar || (a.bar === b.bar && !mayShare)) {
          hits.push({
            path: `timing.${b.key}`,
            params: { first: a.label, firstBar: String(a.bar), second: b.label, secondBar: String(b.bar) },
          });
        }
      }
      return hits;
    },
  },

  // --- Sidechain (L) ---
  {
    id: 'sidechain-release-too-short',
    severity: 'warning',
    description: `Sidechain release under ${MIN_PUMP_RELEASE_MS} ms, shorter than even the aggressive pump (100-250 ms).`,
    template:
      'Sidechain release {releaseMs} ms is shorter than {minPumpMs} ms, faster than even an aggressive pump (100-250 ms). At {bpm} BPM the usual window is {windowMin}-{windowMax} ms.',
    check(spec) {
      const sc = spec.sidechain;
      if (!sc || sc.releaseMs >= MIN_PUMP_RELEASE_MS) return [];
      return [{ path: 'sidechain.releaseMs', params: { ...releaseParams(spec, sc.releaseMs), minPumpMs: String(MIN_PUMP_RELEASE_MS) } }];
    },
  },
  {
    id: 'sidechain-release-aggressive',
    severity: 'info',
    description:
      'Sidechain release from 100 ms up to the start of the 70-80 % quarter-note window: an aggressive pump, fine when deliberate.',
    template:
      'Sidechain release {releaseMs} ms ends before the {windowMin}-{windowMax} ms window (70-80 % of a quarter note at {bpm} BPM): that is an aggressive pump rather than a moderate one. Keep it if the pump is deliberate.',
    check(spec) {
      const sc = spec.sidechain;
      if (!sc || sc.releaseMs < MIN_PUMP_RELEASE_MS) return [];
      if (sc.releaseMs >= displayReleaseWindow(spec.track.bpm).minMs) return [];
      return [{ path: 'sidechain.releaseMs', params: releaseParams(spec, sc.releaseMs) }];
    },
  },
  {
    id: 'sidechain-release-window',
    severity: 'warning',
    description:
      'Sidechain release past the end of the 70-80 % quarter-note window (375 ms at 128 BPM) but not yet muddy.',
    template:
      'Sidechain release {releaseMs} ms ends after the {windowMin}-{windowMax} ms window (70-80 % of a quarter note at {bpm} BPM), so the lead is not fully back before the next kick.',
    check(spec) {
      const sc = spec.sidechain;
      if (!sc) return [];
      const w = displayReleaseWindow(spec.track.bpm);
      if (sc.releaseMs <= w.maxMs || sc.releaseMs > muddyReleaseMs(spec.track.bpm)) return [];
      return [{ path: 'sidechain.releaseMs', params: releaseParams(spec, sc.releaseMs) }];
    },
  },
  {
    id: 'sidechain-release-muddy',
    severity: 'warning',
    description:
      'Sidechain release over 400 ms at 128 BPM (85 % of a quarter note at any tempo): the lead is still ducked when the next kick lands.',
    template:
      'Sidechain release {releaseMs} ms is over {muddyMs} ms at {bpm} BPM: the lead is still ducked when the next kick lands, which sounds muddy. Aim for {windowMin}-{windowMax} ms.',
    check(spec) {
      const sc = spec.sidechain;
      if (!sc) return [];
      const muddy = muddyReleaseMs(spec.track.bpm);
      if (sc.releaseMs <= muddy) return [];
      return [{ path: 'sidechain.releaseMs', params: { ...releaseParams(spec, sc.releaseMs), muddyMs: String(muddy) } }];
    },
  },
  {
    id: 'sidechain-duck-depth',
    severity: 'warning',
    description: `Ducking per kick outside ${DUCK_DB.min}-${DUCK_DB.max} dB.`,
    template: 'Sidechain ducking of {duckDb} dB is outside the usual {min}-{max} dB per kick.',
    check(spec) {
      const sc = spec.sidechain;
      if (!sc || !outside(sc.duckDb, DUCK_DB)) return [];
      return [{ path: 'sidechain.duckDb', params: { duckDb: num(sc.duckDb), min: String(DUCK_DB.min), max: String(DUCK_DB.max) } }];
    },
  },
  {
    id: 'sidechain-attack',
    severity: 'warning',
    description: `Sidechain attack outside ${SIDECHAIN_ATTACK_MS.min}-${SIDECHAIN_ATTACK_MS.max} ms.`,
    template: 'Sidechain attack {attackMs} ms is outside the usual {min}-{max} ms.',
    check(spec) {
      const a = spec.sidechain?.attackMs;
      if (a === undefined || !outside(a, SIDECHAIN_ATTACK_MS)) return [];
      return [
        { path: 'sidechain.attackMs', params: { attackMs: num(a), min: String(SIDECHAIN_ATTACK_MS.min), max: String(SIDECHAIN_ATTACK_MS.max) } },
      ];
    },
  },
  {
    id: 'sidechain-ratio',
    severity: 'warning',
    description: `Sidechain ratio outside ${SIDECHAIN_RATIO.min}:1-${SIDECHAIN_RATIO.max}:1.`,
    template: 'Sidechain ratio {ratio}:1 is outside the usual {min}:1 to {max}:1.',
    check(spec) {
      const r = spec.sidechain?.ratio;
      if (r === undefined || !outside(r, SIDECHAIN_RATIO)) return [];
      return [{ path: 'sidechain.ratio', params: { ratio: num(r), min: String(SIDECHAIN_RATIO.min), max: String(SIDECHAIN_RATIO.max) } }];
    },
  },
  {
    id: 'layer-not-sidechained',
    severity: 'warning',
    description: 'A sidechain is set but a lead layer (any role but custom) says it is not sidechained.',
    template:
      'Layer {layer} is marked as not sidechained, but the sidechain applies to every lead layer; it will not pump with the others.',
    check(spec) {
      if (!spec.sidechain) return [];
      return spec.layers.flatMap((layer, index) =>
        ROLES_SIDECHAINED.has(layer.role) && layer.synth?.sidechained === false
          ? [{ path: layerPath(index, 'synth.sidechained'), params: { layer: layer.id } }]
          : [],
      );
    },
  },

  // --- Layer roles ---
  {
    id: 'no-core-layer',
    severity: 'info',
    description: 'No layer has the core role (the supersaw that carries the melody).',
    template: 'No layer has the core role: nothing is named as the supersaw that carries the melody.',
    check(spec) {
      return spec.layers.some((l) => l.role === 'core') ? [] : [{ params: {} }];
    },
  },
  {
    id: 'core-voices',
    severity: 'warning',
    description: `Core layer with unison voices outside ${CORE_VOICES.min}-${CORE_VOICES.max}.`,
    template: 'Core layer {layer} has {voices} unison voices; a supersaw core uses {min}-{max}.',
    check(spec) {
      return layersWithRole(spec, 'core').flatMap(([layer, index]) => {
        const v = layer.synth?.voices;
        if (v === undefined || !outside(v, CORE_VOICES)) return [];
        return [
          { path: layerPath(index, 'synth.voices'), params: { layer: layer.id, voices: String(v), min: String(CORE_VOICES.min), max: String(CORE_VOICES.max) } },
        ];
      });
    },
  },
  {
    id: 'core-detune',
    severity: 'warning',
    description: `Core layer with total detune outside ${CORE_DETUNE_CENTS.min}-${CORE_DETUNE_CENTS.max} cents.`,
    template: 'Core layer {layer} is detuned {detuneCents} cents in total; a supersaw core uses {min}-{max} cents.',
    check(spec) {
      return layersWithRole(spec, 'core').flatMap(([layer, index]) => {
        const d = layer.synth?.detuneCents;
        if (d === undefined || !outside(d, CORE_DETUNE_CENTS)) return [];
        return [
          {
            path: layerPath(index, 'synth.detuneCents'),
            params: { layer: layer.id, detuneCents: num(d), min: String(CORE_DETUNE_CENTS.min), max: String(CORE_DETUNE_CENTS.max) },
          },
        ];
      });
    },
  },
  {
    id: 'core-resonance',
    severity: 'warning',
    description: `Core layer with filter resonance over ${CORE_MAX_RESONANCE_PCT} %.`,
    template: 'Core layer {layer} has {resonancePct} % filter resonance; a supersaw core stays at {max} % or less.',
    check(spec) {
      return layersWithRole(spec, 'core').flatMap(([layer, index]) => {
        const r = layer.synth?.filter?.resonancePct;
        if (r === undefined || r <= CORE_MAX_RESONANCE_PCT) return [];
        return [
          {
            path: layerPath(index, 'synth.filter.resonancePct'),
            params: { layer: layer.id, resonancePct: num(r), max: String(CORE_MAX_RESONANCE_PCT) },
          },
        ];
      });
    },
  },
  {
    id: 'foundation-octave',
    severity: 'warning',
    description: 'Foundation layer with an octave offset other than -1 (one octave below the melody).',
    template: 'Foundation layer {layer} sits at octave {octave}; the foundation plays one octave below the melody (-1).',
    check(spec) {
      return layersWithRole(spec, 'foundation').flatMap(([layer, index]) => {
        const o = layer.synth?.octave;
        if (o === undefined || o === -1) return [];
        return [{ path: layerPath(index, 'synth.octave'), params: { layer: layer.id, octave: db(o) } }];
      });
    },
  },
  {
    id: 'foundation-level',
    severity: 'warning',
    description: `Foundation layer level outside ${FOUNDATION_LEVEL_DB.min} to ${FOUNDATION_LEVEL_DB.max} dB relative to the core.`,
    template: 'Foundation layer {layer} is at {levelDb} dB; the foundation sits {minBelow}-{maxBelow} dB below the core.',
    check(spec) {
      return layersWithRole(spec, 'foundation').flatMap(([layer, index]) => {
        const l = layer.synth?.levelDb;
        if (l === undefined || !outside(l, FOUNDATION_LEVEL_DB)) return [];
        return [
          {
            path: layerPath(index, 'synth.levelDb'),
            params: { layer: layer.id, levelDb: db(l), minBelow: String(-FOUNDATION_LEVEL_DB.max), maxBelow: String(-FOUNDATION_LEVEL_DB.min) },
          },
        ];
      });
    },
  },
  {
    id: 'harmony-level',
    severity: 'warning',
    description: `Harmony layer level outside ${HARMONY_LEVEL_DB.min} to ${HARMONY_LEVEL_DB.max} dB relative to the core.`,
    template: 'Harmony layer {layer} is at {levelDb} dB; a parallel harmony sits {minBelow}-{maxBelow} dB below the core.',
    check(spec) {
      return layersWithRole(spec, 'harmony').flatMap(([layer, index]) => {
        const l = layer.synth?.levelDb;
        if (l === undefined || !outside(l, HARMONY_LEVEL_DB)) return [];
        return [
          {
            path: layerPath(index, 'synth.levelDb'),
            params: { layer: layer.id, levelDb: db(l), minBelow: String(-HARMONY_LEVEL_DB.max), maxBelow: String(-HARMONY_LEVEL_DB.min) },
          },
        ];
      });
    },
  },
  {
    id: 'transient-sustain',
    severity: 'warning',
    description: 'Transient (pluck) layer with sustain above 0 %.',
    template: 'Transient layer {layer} has {sustainPct} % sustain; a pluck transient has no sustain, only a short decay.',
    check(spec) {
      return layersWithRole(spec, 'transient').flatMap(([layer, index]) => {
        const s = layer.synth?.envelope?.sustainPct;
        if (s === undefined || s <= 0) return [];
        return [{ path: layerPath(index, 'synth.envelope.sustainPct'), params: { layer: layer.id, sustainPct: num(s) } }];
      });
    },
  },
  {
    id: 'air-band-low',
    severity: 'warning',
    description: `Air layer whose band starts below ${AIR_MIN_HZ} Hz.`,
    template: 'Air layer {layer} has a band starting at {lowHz} Hz; air lives above {minHz} Hz.',
    check(spec) {
      return layersWithRole(spec, 'air').flatMap(([layer, index]) => {
        const low = layer.band?.lowHz;
        if (low === undefined || low >= AIR_MIN_HZ) return [];
        return [{ path: layerPath(index, 'band.lowHz'), params: { layer: layer.id, lowHz: num(low), minHz: String(AIR_MIN_HZ) } }];
      });
    },
  },
  {
    id: 'air-filter-low',
    severity: 'warning',
    description: `Air layer whose filter cutoff (or band-pass centre) is below ${AIR_MIN_HZ} Hz (notch filters ignored).`,
    template: 'Air layer {layer} has its {filter} filter at {cutoffHz} Hz; air lives above {minHz} Hz.',
    check(spec) {
      return layersWithRole(spec, 'air').flatMap(([layer, index]) => {
        const f = layer.synth?.filter;
        if (!f || f.type === 'notch' || f.cutoffHz >= AIR_MIN_HZ) return [];
        return [
          {
            path: layerPath(index, 'synth.filter.cutoffHz'),
            params: { layer: layer.id, filter: FILTER_LABEL[f.type], cutoffHz: num(f.cutoffHz), minHz: String(AIR_MIN_HZ) },
          },
        ];
      });
    },
  },

  // --- LTV words vs numbers ---
  {
    id: 'edge-attack',
    severity: 'warning',
    description: 'Edge word contradicting the envelope attack (percussive < 2 ms, sharp < 5 ms, medium 5-20 ms, soft > 20 ms).',
    template: 'Layer {layer} has a {edge} edge (attack {edgeRange}) but an envelope attack of {attackMs} ms.',
    check(spec) {
      return spec.layers.flatMap((layer, index) => {
        const a = layer.synth?.envelope?.attackMs;
        if (a === undefined) return [];
        const range = EDGE_ATTACK_MS[layer.ltv.edge];
        // `max` is exclusive; `min` inclusive.
        if (a >= range.min && a < range.max) return [];
        return [
          {
            path: layerPath(index, 'synth.envelope.attackMs'),
            params: { layer: layer.id, edge: layer.ltv.edge, edgeRange: attackRange(range), attackMs: num(a) },
          },
        ];
      });
    },
  },
  {
    id: 'density-voices',
    severity: 'warning',
    description:
      'Density word contradicting the unison voice count: more voices than the word allows always; fewer only for massive (the other words may get their density from reverb instead).',
    template: 'Layer {layer} is {density} ({densityVoices} voices) but has {voices} unison voices.',
    check(spec) {
      return spec.layers.flatMap((layer, index) => {
        const v = layer.synth?.voices;
        if (v === undefined) return [];
        const range = DENSITY_VOICES[layer.ltv.density];
        // Moderate and dense are "N voices *or* reverb", so fewer voices plus reverb still fit;
        // massive is "7-8+ voices, wide" with no reverb alternative, so fewer voices contradict it.
        const tooMany = v > range.max;
        const tooFew = layer.ltv.density === 'massive' && v < range.min;
        if (!tooMany && !tooFew) return [];
        return [
          {
            path: layerPath(index, 'synth.voices'),
            params: { layer: layer.id, density: layer.ltv.density, densityVoices: voiceRange(range), voices: String(v) },
          },
        ];
      });
    },
  },
  {
    id: 'brightness-filter-too-dark',
    severity: 'warning',
    description:
      'Filter leaves the layer darker than its brightness word (LP cutoff below the word\'s centroid band; BP centre over an octave below it).',
    template:
      'Layer {layer} is {brightness} (spectral centroid {centroid}), but its {filter} filter at {cutoffHz} Hz makes it darker than that.',
    check: (spec) => brightnessHits(spec, 'too-dark'),
  },
  {
    id: 'brightness-filter-too-bright',
    severity: 'warning',
    description:
      'Filter leaves the layer brighter than its brightness word (dark/warm LP more than 4x above the band; HP at or above the band top; BP centre over an octave above it).',
    template:
      'Layer {layer} is {brightness} (spectral centroid {centroid}), but its {filter} filter at {cutoffHz} Hz leaves it brighter than that.',
    check: (spec) => brightnessHits(spec, 'too-bright'),
  },

  // --- Spectral (S) ---
  {
    id: 'layer-below-sub-reserve',
    severity: 'warning',
    description: 'A layer band starting below the range reserved for kick and bass (spectral.subReservedBelowHz, 200 Hz by default).',
    template: 'Layer {layer} reaches down to {lowHz} Hz, into the range below {reservedHz} Hz that is reserved for kick and bass.',
    check(spec) {
      const reserved = spec.spectral.subReservedBelowHz;
      return spec.layers.flatMap((layer, index) => {
        const low = layer.band?.lowHz;
        if (low === undefined || low >= reserved) return [];
        return [{ path: layerPath(index, 'band.lowHz'), params: { layer: layer.id, lowHz: num(low), reservedHz: num(reserved) } }];
      });
    },
  },
  {
    id: 'lead-range-below-sub-reserve',
    severity: 'warning',
    description: 'The lead range starting below the range reserved for kick and bass.',
    template: 'The lead range starts at {lowHz} Hz, inside the range below {reservedHz} Hz that is reserved for kick and bass.',
    check(spec) {
      const reserved = spec.spectral.subReservedBelowHz;
      const low = spec.spectral.leadRange?.lowHz;
      if (low === undefined || low >= reserved) return [];
      return [{ path: 'spectral.leadRange.lowHz', params: { lowHz: num(low), reservedHz: num(reserved) } }];
    },
  },
  {
    id: 'same-band',
    severity: 'warning',
    description: `Two layers claiming the same band: log-frequency intersection over union of ${Math.round(SAME_BAND_IOU * 100)} % or more.`,
    template:
      'Layers {layerA} ({bandA} Hz) and {layerB} ({bandB} Hz) claim the same band ({overlapPct} % overlap); give each layer its own range.',
    check(spec) {
      const hits: LintHit[] = [];
      spec.layers.forEach((b, j) => {
        if (!b.band) return;
        for (let i = 0; i < j; i++) {
          const a = spec.layers[i]!;
          if (!a.band) continue;
          const iou = bandIoU(a.band, b.band);
          if (iou < SAME_BAND_IOU) continue;
          hits.push({
            path: layerPath(j, 'band'),
            params: {
              layerA: a.id,
              bandA: hzRange(a.band.lowHz, a.band.highHz),
              layerB: b.id,
              bandB: hzRange(b.band.lowHz, b.band.highHz),
              overlapPct: String(Math.floor(iou * 100)),
            },
          });
        }
      });
      return hits;
    },
  },

  // --- Extras ---
  {
    id: 'reference-anchor-without-references',
    severity: 'warning',
    description: 'Reference anchoring is on but the track names no reference to anchor to.',
    template: 'Reference anchoring is on, but the track names no reference track to match; add one or turn the anchor off.',
    check(spec) {
      return spec.extras.referenceAnchor && spec.track.references.length === 0
        ? [{ path: 'extras.referenceAnchor', params: {} }]
        : [];
    },
  },
];

/** English message templates by message key, with `{param}` placeholders (source for locale files). */
export const LINT_MESSAGES_EN: Record<string, string> = Object.fromEntries(
  LINT_RULES.map((rule) => [`lint.${rule.id}`, rule.template]),
);

/** Fills `{name}` placeholders from params; an unknown placeholder is left as written. */
export function formatLintMessage(template: string, params: LintParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** Orders paths naturally ("layers[2]" before "layers[10]"); no path sorts first. */
function comparePaths(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    if (i % 2 === 1) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Lints a spec: every finding of every rule, in rule order, then by path. */
export function lintSpec(spec: Spec): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const rule of LINT_RULES) {
    const hits = rule.check(spec).map((hit, order) => ({ hit, order }));
    // Stable: equal paths keep the order the rule reported them in.
    hits.sort((x, y) => comparePaths(x.hit.path, y.hit.path) || x.order - y.order);
    for (const { hit } of hits) {
      const finding: LintFinding = {
        rule: rule.id,
        severity: rule.severity,
        messageKey: `lint.${rule.id}`,
        params: hit.params,
        ...(hit.path === undefined ? {} : { path: hit.path }),
        message: formatLintMessage(rule.template, hit.params),
      };
      findings.push(finding);
    }
  }
  return findings;
}

/** True when a spec has no warnings or errors (info findings allowed). */
export function lintsClean(findings: readonly LintFinding[]): boolean {
  return findings.every((f) => f.severity === 'info');
}
