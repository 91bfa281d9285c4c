/**
 * Patch sheets: for each layer, the settings a producer dials into Serum or Sylenth1, in that
 * synth's own terms, plus the kick sidechain compressor. Values come from the layer's synthesis
 * numbers; when a number is missing it is inferred from the LTV words (brightness → cutoff,
 * density → voices and detune, edge → attack, movement → LFO, role → level) and marked inferred.
 */
import { formatBand, formatHz, formatNumber, formatSigned, pumpCharacter, sidechainedLayers } from './render.js';
import type { Layer, Spec } from './spec.js';
import { formatMs, releaseWindow } from './timing.js';
import type { Brightness, Density, Edge, Role } from './vocabulary.js';

export const SYNTHS = ['serum', 'sylenth1'] as const;
export type SynthName = (typeof SYNTHS)[number];

export const SYNTH_TITLES: Readonly<Record<SynthName, string>> = { serum: 'Serum', sylenth1: 'Sylenth1' };

/** Marks an inferred value in the rendered sheet. */
export const INFERRED_MARK = '~';

/** One setting: "cutoff 6.5 kHz". */
export interface PatchItem {
  readonly text: string;
  /** True when no number in the draft gave it (read from the LTV words or the role). */
  readonly inferred: boolean;
}

/** One row of a layer's patch: a section of the synth ("OSC A", "FILTER", "ENV 1") and its settings. */
export interface PatchLine {
  readonly section: string;
  readonly items: readonly PatchItem[];
}

export interface LayerPatch {
  readonly id: string;
  readonly role: Role;
  readonly lines: readonly PatchLine[];
}

export interface PatchSheet {
  readonly synth: SynthName;
  readonly title: string;
  readonly bpm: number;
  readonly key: string;
  readonly layers: readonly LayerPatch[];
  readonly sidechain: readonly PatchLine[];
  /** Notes on scales and mappings (e.g. Sylenth1's detune knob). */
  readonly notes: readonly string[];
}

// ------------------------------------------------------------------------------------------------
// The vocabulary → numbers mapping used for inferred values (domain notes: LTV ranges)
// ------------------------------------------------------------------------------------------------

/** A cutoff inside each brightness word's centroid range (a 24 dB low-pass a little above the centroid). */
export const CUTOFF_FOR_BRIGHTNESS: Readonly<Record<Brightness, number>> = { dark: 1500, warm: 3000, neutral: 5000, bright: 7000, brilliant: 12000 };
/** Unison voices per density word (odd counts keep the image centred). */
export const VOICES_FOR_DENSITY: Readonly<Record<Density, number>> = { sparse: 1, moderate: 3, dense: 5, massive: 7 };
/** Total unison detune per density word, cents (the domain's 15-35 cents for a supersaw). */
export const DETUNE_FOR_DENSITY: Readonly<Record<Density, number>> = { sparse: 0, moderate: 15, dense: 20, massive: 25 };
/** Amplitude attack per edge word, ms (inside each word's range). */
export const ATTACK_FOR_EDGE: Readonly<Record<Edge, number>> = { percussive: 0.5, sharp: 1, medium: 10, soft: 30 };
/** Release per edge word, ms. */
export const RELEASE_FOR_EDGE: Readonly<Record<Edge, number>> = { percussive: 50, sharp: 250, medium: 250, soft: 400 };
/** Level relative to the core per role, dB (foundation 6-9 dB below, harmony 10-15 dB lower). */
export const LEVEL_FOR_ROLE: Readonly<Record<Role, number>> = { foundation: -7, core: 0, transient: -6, harmony: -12, air: -15, custom: -6 };

/**
 * Sylenth1's detune knob runs 0-10 with no unit. saltbot maps 10 cents of total unison spread to
 * 1.0 on the knob (25 cents → 2.5, 100 cents → 10): a starting point to fine-tune by ear.
 */
export function sylenthDetune(cents: number): number {
  return Math.min(10, cents / 10);
}

/** Sylenth1 shows resonance, sustain and stereo on 0-10 knobs: percent / 10. */
function tenths(pct: number): string {
  return (Math.round(pct) / 10).toFixed(1);
}

// ------------------------------------------------------------------------------------------------
// The layer's resolved values (stated or inferred)
// ------------------------------------------------------------------------------------------------

interface Value<T> {
  readonly value: T;
  readonly inferred: boolean;
}

const stated = <T>(value: T): Value<T> => ({ value, inferred: false });
const guessed = <T>(value: T): Value<T> => ({ value, inferred: true });
const pick = <T>(v: T | undefined, fallback: T): Value<T> => (v !== undefined ? stated(v) : guessed(fallback));

function defaultWave(layer: Layer): string {
  if (layer.role === 'air') return 'noise';
  if (layer.role === 'transient') return 'triangle';
  return 'saw';
}

function resonanceFor(layer: Layer): number {
  const words = layer.ltv.texture.join(' ').toLowerCase();
  if (/silky|smooth|soft|warm|woolly/.test(words)) return 5;
  if (/glassy|metallic|hollow|nasal|resonant/.test(words)) return 15;
  return 10;
}

/** An LFO rate named in the layer's words: "quarter-note shimmer" → 1/4, "eighth-note" → 1/8. */
function namedRate(layer: Layer): string | undefined {
  const text = `${layer.ltv.movement.qualifier ?? ''} ${layer.synth?.notes ?? ''}`.toLowerCase();
  const m = /\b1\/(1|2|4|8|16|32)\b/.exec(text);
  if (m) return `1/${m[1]}`;
  const words: [RegExp, string][] = [[/\bquarter/, '1/4'], [/\beighth/, '1/8'], [/\bsixteenth/, '1/16'], [/\bhalf/, '1/2'], [/\bwhole|\bbar\b/, '1/1']];
  return words.find(([re]) => re.test(text))?.[1];
}

interface Resolved {
  wave: Value<string>;
  noise: boolean;
  oscillator: boolean;
  voices?: Value<number>;
  detune?: Value<number>;
  octave?: number;
  interval?: number;
  filterType: Value<string>;
  cutoff: Value<number>;
  resonance: Value<number>;
  attack: Value<number>;
  decay?: Value<number>;
  sustain: Value<number>;
  release: Value<number>;
  level: Value<number>;
  width?: number;
  lfo?: { rate: Value<string>; why: string };
  notes?: string;
}

function resolve(layer: Layer): Resolved {
  const s = layer.synth ?? {};
  const { ltv } = layer;
  const wave = pick<string>(s.waveform, defaultWave(layer));
  const noise = wave.value === 'noise' || wave.value === 'noise+saw';
  const oscillator = wave.value !== 'noise';
  const percussive = ltv.edge === 'percussive' || layer.role === 'transient';
  const sustain = pick(s.envelope?.sustainPct, percussive ? 0 : 100);
  const r: Resolved = {
    wave,
    noise,
    oscillator,
    filterType: pick<string>(s.filter?.type, layer.role === 'air' ? 'bp' : 'lp24'),
    cutoff: pick(s.filter?.cutoffHz, CUTOFF_FOR_BRIGHTNESS[ltv.brightness]),
    resonance: pick(s.filter?.resonancePct, resonanceFor(layer)),
    attack: pick(s.envelope?.attackMs, ATTACK_FOR_EDGE[ltv.edge]),
    sustain,
    release: pick(s.envelope?.releaseMs, RELEASE_FOR_EDGE[ltv.edge]),
    level: pick(s.levelDb, LEVEL_FOR_ROLE[layer.role]),
  };
  if (!oscillator) {
    // Noise alone: only numbers the draft states (unison has no meaning for noise otherwise).
    if (s.voices !== undefined) r.voices = stated(s.voices);
    if (s.detuneCents !== undefined) r.detune = stated(s.detuneCents);
  } else {
    r.voices = pick(s.voices, VOICES_FOR_DENSITY[ltv.density]);
    r.detune = s.detuneCents !== undefined ? stated(s.detuneCents) : guessed(r.voices.value > 1 ? Math.max(15, DETUNE_FOR_DENSITY[ltv.density]) : 0);
  }
  if (s.octave !== undefined) r.octave = s.octave;
  if (s.intervalSemitones !== undefined) r.interval = s.intervalSemitones;
  if (s.envelope?.decayMs !== undefined) r.decay = stated(s.envelope.decayMs);
  else if (sustain.value < 100) r.decay = guessed(percussive ? 100 : 300);
  if (s.stereoWidthPct !== undefined) r.width = s.stereoWidthPct;
  const kind = ltv.movement.kind;
  if (kind === 'evolving' || kind === 'aggressive') {
    const named = namedRate(layer);
    const fallback = kind === 'aggressive' ? '1/16' : layer.role === 'air' ? '1/4' : '1/1';
    r.lfo = { rate: named ? stated(named) : guessed(fallback), why: kind === 'aggressive' ? 'hard filter movement' : /shimmer/i.test(`${ltv.movement.qualifier ?? ''} ${s.notes ?? ''}`) || layer.role === 'air' ? 'shimmer' : 'slow drift' };
  }
  if (s.notes) r.notes = s.notes;
  return r;
}

// ------------------------------------------------------------------------------------------------
// Serum and Sylenth1 terms
// ------------------------------------------------------------------------------------------------

const item = (text: string, inferred = false): PatchItem => ({ text, inferred });
const valued = <T>(v: Value<T>, show: (x: T) => string): PatchItem => item(show(v.value), v.inferred);
const ms = (x: number): string => `${formatMs(x)} ms`;
const pct = (x: number): string => `${formatNumber(x, 1)} %`;

const SERUM_TABLE: Readonly<Record<string, string>> = {
  saw: 'Basic Shapes (saw)',
  supersaw: 'Basic Shapes (saw)',
  'noise+saw': 'Basic Shapes (saw)',
  square: 'Basic Shapes (square)',
  pulse: 'Basic Shapes (square, narrowed with the warp knob)',
  triangle: 'Basic Shapes (triangle)',
  sine: 'Basic Shapes (sine)',
  wavetable: 'a wavetable of your choice',
  fm: 'Basic Shapes (sine), FM from OSC B',
  sample: 'the sample, imported as a wavetable',
};

const SERUM_FILTER: Readonly<Record<string, string>> = {
  lp24: 'MG Low 24',
  lp12: 'MG Low 12',
  hp24: 'High 24',
  hp12: 'High 12',
  bp: 'Band 12',
  notch: 'Notch 12',
};

const SYLENTH_WAVE: Readonly<Record<string, string>> = {
  saw: 'Saw',
  supersaw: 'Saw',
  'noise+saw': 'Saw',
  square: 'Pulse',
  pulse: 'Pulse',
  triangle: 'Triangle',
  sine: 'Sine',
  noise: 'Noise',
  wavetable: 'Saw (Sylenth1 has no wavetables)',
  fm: 'Sine (Sylenth1 has no FM)',
  sample: 'Saw (Sylenth1 plays no samples)',
};

const SYLENTH_FILTER: Readonly<Record<string, string>> = {
  lp24: 'Lowpass 24 dB',
  lp12: 'Lowpass 12 dB',
  hp24: 'Highpass 24 dB',
  hp12: 'Highpass 12 dB',
  bp: 'Bandpass',
  notch: 'Bandreject',
};

function pitchItems(r: Resolved, octaveLabel: string, semiLabel: string): PatchItem[] {
  const out: PatchItem[] = [];
  if (r.octave !== undefined) out.push(item(`${octaveLabel} ${formatSigned(r.octave)}`));
  if (r.interval !== undefined) out.push(item(`${semiLabel} ${formatSigned(r.interval)}`));
  return out;
}

function serumLayer(layer: Layer): LayerPatch {
  const r = resolve(layer);
  const lines: PatchLine[] = [];
  if (r.oscillator) {
    const osc: PatchItem[] = [valued(r.wave, (w) => SERUM_TABLE[w] ?? 'Basic Shapes (saw)')];
    osc.push(...pitchItems(r, 'OCT', 'SEMI'));
    if (r.voices) osc.push(valued(r.voices, (v) => `unison ${v} voice${v === 1 ? '' : 's'}`));
    if (r.detune && (r.voices?.value ?? 1) > 1) osc.push(valued(r.detune, (d) => `detune ${formatNumber(d, 1)} cents total spread`));
    else if (r.detune && !r.detune.inferred) osc.push(item(`detune ${formatNumber(r.detune.value, 1)} cents`));
    if (r.width !== undefined) osc.push(item(`unison width ${pct(r.width)}`));
    lines.push({ section: 'OSC A', items: osc });
  } else if (r.width !== undefined) {
    lines.push({ section: 'OSC A', items: [item('off'), item(`width ${pct(r.width)}`)] });
  }
  if (r.noise) {
    const noiseItems = [item('on'), item('white noise')];
    if (!r.oscillator) {
      noiseItems.push(...pitchItems(r, 'OCT', 'SEMI'));
      if (r.voices) noiseItems.push(item(`${r.voices.value} voice${r.voices.value === 1 ? '' : 's'} (stack noise copies for them)`));
      if (r.detune) noiseItems.push(item(`detune ${formatNumber(r.detune.value, 1)} cents`));
    }
    lines.push({ section: 'NOISE', items: noiseItems });
  }
  lines.push({
    section: 'FILTER',
    items: [
      valued(r.filterType, (t) => SERUM_FILTER[t] ?? t),
      valued(r.cutoff, (c) => `cutoff ${formatHz(c)}`),
      valued(r.resonance, (x) => `res ${pct(x)}`),
    ],
  });
  const env: PatchItem[] = [valued(r.attack, (a) => `A ${ms(a)}`)];
  if (r.decay) env.push(valued(r.decay, (d) => `D ${ms(d)}`));
  env.push(valued(r.sustain, (s) => `S ${pct(s)} (${s > 0 ? `${formatNumber(20 * Math.log10(s / 100), 1)} dB` : '-inf dB'})`));
  env.push(valued(r.release, (x) => `R ${ms(x)}`));
  lines.push({ section: 'ENV 1', items: env });
  if (r.lfo) {
    lines.push({
      section: 'LFO 1',
      items: [item('→ filter cutoff'), valued(r.lfo.rate, (x) => `BPM sync ${x}`), item('depth 30 %', true), item(r.lfo.why)],
    });
  }
  lines.push({ section: 'LEVEL', items: [valued(r.level, (l) => `${formatSigned(l, 1)} dB relative to the core`)] });
  lines.push(...commonLines(layer, r));
  return { id: layer.id, role: layer.role, lines };
}

function sylenthLayer(layer: Layer): LayerPatch {
  const r = resolve(layer);
  const lines: PatchLine[] = [];
  const oscItems = (wave: PatchItem): PatchItem[] => {
    const out = [wave, ...pitchItems(r, 'octave', 'note')];
    if (r.voices) {
      out.push(valued(r.voices, (v) => (v > 8 ? `voices 8 (the maximum; the draft asks for ${v})` : `voices ${v}`)));
    }
    if (r.detune && ((r.voices?.value ?? 1) > 1 || !r.detune.inferred)) {
      out.push(valued(r.detune, (d) => `detune ${sylenthDetune(d).toFixed(1)} (${formatNumber(d, 1)} cents)`));
    }
    if (r.width !== undefined) out.push(item(`stereo ${tenths(r.width)} (${pct(r.width)})`));
    return out;
  };
  if (r.oscillator) lines.push({ section: 'OSC A1', items: oscItems(valued(r.wave, (w) => `wave ${SYLENTH_WAVE[w] ?? 'Saw'}`)) });
  if (r.noise) {
    const noiseItems = [item('wave Noise'), ...(r.oscillator ? [] : pitchItems(r, 'octave', 'note'))];
    if (!r.oscillator && r.voices) noiseItems.push(item(`voices ${Math.min(8, r.voices.value)}${r.voices.value > 8 ? ` (the maximum; the draft asks for ${r.voices.value})` : ''}`));
    if (!r.oscillator && r.detune) noiseItems.push(item(`detune ${sylenthDetune(r.detune.value).toFixed(1)} (${formatNumber(r.detune.value, 1)} cents)`));
    if (!r.oscillator && r.width !== undefined) noiseItems.push(item(`stereo ${tenths(r.width)} (${pct(r.width)})`));
    lines.push({ section: r.oscillator ? 'OSC A2' : 'OSC A1', items: noiseItems });
  }
  lines.push({
    section: 'FILTER A',
    items: [
      valued(r.filterType, (t) => SYLENTH_FILTER[t] ?? t),
      valued(r.cutoff, (c) => `cutoff ${formatHz(c)}`),
      valued(r.resonance, (x) => `resonance ${tenths(x)} (${pct(x)})`),
    ],
  });
  const env: PatchItem[] = [valued(r.attack, (a) => `attack ${ms(a)}`)];
  if (r.decay) env.push(valued(r.decay, (d) => `decay ${ms(d)}`));
  env.push(valued(r.sustain, (s) => `sustain ${tenths(s)} (${pct(s)})`));
  env.push(valued(r.release, (x) => `release ${ms(x)}`));
  lines.push({ section: 'AMP ENV A', items: env });
  if (r.lfo) {
    lines.push({ section: 'LFO 1', items: [item('→ Cutoff A'), valued(r.lfo.rate, (x) => `sync ${x}`), item('amount 3.0', true), item(r.lfo.why)] });
  }
  lines.push({ section: 'MIX', items: [valued(r.level, (l) => `${formatSigned(l, 1)} dB relative to the core`)] });
  lines.push(...commonLines(layer, r));
  return { id: layer.id, role: layer.role, lines };
}

/** Band and notes, the same in every synth. */
function commonLines(layer: Layer, r: Resolved): PatchLine[] {
  const out: PatchLine[] = [];
  if (layer.band) out.push({ section: 'BAND', items: [item(`${formatBand(layer.band)} (EQ the rest away)`)] });
  if (r.notes) out.push({ section: 'NOTES', items: [item(r.notes)] });
  return out;
}

function sidechainLines(spec: Spec, synth: SynthName): PatchLine[] {
  const sc = spec.sidechain;
  const breathing = spec.layers.some((l) => l.ltv.movement.kind === 'breathing');
  const where =
    synth === 'serum'
      ? "a compressor on the lead bus keyed by the kick (Serum's own compressor has no sidechain input)"
      : 'a compressor on the lead bus keyed by the kick (Sylenth1 has no compressor)';
  if (!sc && !breathing) return [{ section: 'SIDECHAIN', items: [item('none in the draft')] }];
  const bpm = spec.track.bpm;
  const window = releaseWindow(bpm);
  const duck = sc ? stated(sc.duckDb) : guessed(6);
  const release = sc ? stated(sc.releaseMs) : guessed(Math.round((window.minMs + window.maxMs) / 2));
  const lines: PatchLine[] = [
    { section: 'SIDECHAIN', items: [item(where)] },
    {
      section: 'COMPRESSOR',
      items: [
        valued(pick(sc?.attackMs, 2), (a) => `attack ${ms(a)}`),
        valued(release, (x) => `release ${ms(x)}`),
        valued(pick(sc?.ratio, 4), (x) => `ratio ${formatNumber(x, 1)}:1`),
        valued(duck, (d) => `threshold for ${formatNumber(d, 1)} dB of ducking per kick`),
      ],
    },
    {
      section: 'TIMING',
      items: [
        item(`release window ${formatNumber(window.minMs, 0)}-${formatNumber(window.maxMs, 0)} ms at ${bpm} BPM`),
        item(`${pumpCharacter(release.value, bpm).word} pump`),
      ],
    },
  ];
  const ducked = sidechainedLayers(spec);
  if (ducked.length) lines.push({ section: 'DUCKS', items: [item(ducked.map((l) => l.id).join(', '))] });
  return lines;
}

/** The patch sheet of a spec for one synth. */
export function patchSheet(spec: Spec, synth: SynthName): PatchSheet {
  const notes =
    synth === 'sylenth1'
      ? ['Detune: Sylenth1\'s 0-10 knob, set at cents / 10 (25 cents → 2.5; 10 = 100 cents), a starting point to tune by ear.', 'Resonance, sustain and stereo: 0-10 knobs, percent / 10.']
      : ['Sustain: Serum shows it in dB (100 % = 0 dB).'];
  return {
    synth,
    title: SYNTH_TITLES[synth],
    bpm: spec.track.bpm,
    key: spec.track.key,
    layers: spec.layers.map((l) => (synth === 'serum' ? serumLayer(l) : sylenthLayer(l))),
    sidechain: sidechainLines(spec, synth),
    notes,
  };
}

/** An item as shown: inferred values carry the ~ mark. */
export function itemText(i: PatchItem): string {
  return i.inferred ? `${INFERRED_MARK}${i.text}` : i.text;
}

export function lineText(line: PatchLine): string {
  return `${line.section}: ${line.items.map(itemText).join(' · ')}`;
}

/** The sheet as plain text (CLI, .txt attachment). */
export function renderPatchSheet(sheet: PatchSheet): string {
  const out = [
    `${sheet.title.toUpperCase()} PATCH SHEET · ${sheet.bpm} BPM · ${sheet.key}`,
    `${INFERRED_MARK} = inferred from the LTV words (the draft gives no number for it)`,
  ];
  for (const layer of sheet.layers) {
    out.push('', `${layer.id} (${layer.role})`, ...layer.lines.map((l) => `  ${lineText(l)}`));
  }
  out.push('', 'kick sidechain', ...sheet.sidechain.map((l) => `  ${lineText(l)}`));
  out.push('', ...sheet.notes.map((n) => `Note: ${n}`));
  return out.join('\n');
}
