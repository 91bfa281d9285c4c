/**
 * The renderer: a validated spec becomes the SALT + LTV prompt text a producer pastes into a music
 * model (or an LLM that plans the track). Pure and deterministic; the prompt is always English.
 *
 * Layout (a section is left out when its data is absent):
 *   TRACK PARAMETERS, [REASONING FIRST], [REFERENCE ANCHOR], SALT FRAMEWORK (Spectral, Attack,
 *   Layer, Timing), LAYER TIMBRAL VOCABULARY (one block per layer), ARRANGEMENT INSTRUCTION.
 */
import type { Band, Layer, Reference, Sidechain, Spec, Synth } from './spec.js';
import {
  AGGRESSIVE_RELEASE_MS,
  MUDDY_RELEASE_MS,
  barTimestamp,
  formatMs,
  msPerBeat,
  releaseWindow,
} from './timing.js';

/** Discord's limit for one text block; the full prompt of any valid spec fits in it. */
export const PROMPT_MAX_CHARS = 4000;

export interface RenderOptions {
  /** Add the chain-of-thought preamble (overrides `spec.extras.chainOfThought`). */
  chainOfThought?: boolean;
  /** Add the reference anchor when the spec names references (overrides `spec.extras.referenceAnchor`). */
  referenceAnchor?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Small formatting helpers (exported: other modules format numbers the same way)
// ---------------------------------------------------------------------------------------------

/** A number with at most `maxDecimals` decimals, trailing zeros dropped, never "-0": 25, 2.5, 0.33. */
export function formatNumber(value: number, maxDecimals = 2): string {
  const factor = 10 ** maxDecimals;
  const rounded = Math.round(value * factor) / factor;
  if (Object.is(rounded, -0) || rounded === 0) return '0';
  return String(Number(rounded.toFixed(maxDecimals)));
}

/** A signed number: "+3", "-7", "0". */
export function formatSigned(value: number, maxDecimals = 2): string {
  const text = formatNumber(value, maxDecimals);
  return value > 0 && text !== '0' ? `+${text}` : text;
}

/** A frequency the way producers say it: 200 Hz, 2.5 kHz, 6 kHz, 16 kHz. */
export function formatHz(hz: number): string {
  if (Math.abs(hz) < 1000) return `${formatNumber(hz, 0)} Hz`;
  return `${formatNumber(hz / 1000, 3)} kHz`;
}

/** A band with the unit written once when both ends share it: 80-500 Hz, 8-16 kHz, 200 Hz-8 kHz. */
export function formatBand(band: Band): string {
  const low = formatHz(band.lowHz);
  const high = formatHz(band.highHz);
  const lowUnit = low.endsWith(' kHz') ? ' kHz' : ' Hz';
  const highUnit = high.endsWith(' kHz') ? ' kHz' : ' Hz';
  if (lowUnit === highUnit) return `${low.slice(0, -lowUnit.length)}-${high}`;
  return `${low}-${high}`;
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Ends user text with a full stop unless it already ends with sentence punctuation. */
function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function quoteTitle(ref: Reference): string {
  return `"${ref.title}" by ${ref.artist}`;
}

// ---------------------------------------------------------------------------------------------
// Derived facts (exported for the compact renderer and others)
// ---------------------------------------------------------------------------------------------

export type PumpWord = 'aggressive' | 'tight' | 'moderate' | 'slow' | 'muddy';

export interface PumpCharacter {
  readonly word: PumpWord;
  /** What the pump does to the lead, in a few plain words. */
  readonly effect: string;
}

/**
 * The pump character of a sidechain release at a tempo, judged against the release window of
 * timing.ts (70-80 % of a quarter note): under 200 ms aggressive; below the window tight; inside
 * it moderate; past it slow; past the muddy threshold (400 ms at 128 BPM, scaled) muddy.
 */
export function pumpCharacter(releaseMs: number, bpm: number): PumpCharacter {
  const window = releaseWindow(bpm);
  const muddyMs = (MUDDY_RELEASE_MS / msPerBeat(128)) * msPerBeat(bpm);
  if (releaseMs < AGGRESSIVE_RELEASE_MS) return { word: 'aggressive', effect: 'a hard, audible duck on every kick' };
  if (releaseMs < window.minMs) return { word: 'tight', effect: 'the lead snaps back well before the next kick' };
  if (releaseMs <= window.maxMs) return { word: 'moderate', effect: 'the lead recovers fully just before the next kick' };
  if (releaseMs <= muddyMs) return { word: 'slow', effect: 'the lead is only just back when the next kick lands' };
  return { word: 'muddy', effect: 'the lead is still ducked when the next kick lands' };
}

/**
 * Layers the kick ducks: those marked `sidechained: true`; when none is marked, every layer not
 * explicitly marked `false`.
 */
export function sidechainedLayers(spec: Spec): Layer[] {
  const marked = spec.layers.filter((l) => l.synth?.sidechained === true);
  if (marked.length > 0) return marked;
  return spec.layers.filter((l) => l.synth?.sidechained !== false);
}

/** The layer that carries the melody: the first core layer, else harmony, else the first layer. */
export function melodyCarrier(spec: Spec): Layer {
  return (
    spec.layers.find((l) => l.role === 'core') ??
    spec.layers.find((l) => l.role === 'harmony') ??
    spec.layers[0]!
  );
}

export interface BuildRange {
  readonly startBar: number;
  /** Last bar of the build; undefined when the drop is unknown or too close to the start. */
  readonly endBar?: number;
}

/**
 * The build's bar range. As in the worked example (build bars 1-15, drop bar 17), the build ends
 * two bars before the drop: the bar right before the drop is the lift into it.
 */
/**
 * The build's bars: from its start to two bars before the drop (the article's "build bars 1-15,
 * drop bar 17"), or to the filter-sweep apex when the apex comes later but still before the drop
 * (a 16-bar build whose sweep peaks in bar 16).
 */
export function buildRange(spec: Spec): BuildRange | undefined {
  const start = spec.timing.buildStartBar;
  if (start === undefined) return undefined;
  const { dropBar: drop, sweepApexBar: apex } = spec.timing;
  if (drop === undefined) return { startBar: start };
  const end = Math.max(drop - 2, apex !== undefined && apex < drop ? apex : -Infinity);
  return end >= start ? { startBar: start, endBar: end } : { startBar: start };
}

/** "saw", or "supersaw" for a saw with more than one unison voice. */
export function waveformWord(synth: Synth | undefined): string | undefined {
  if (!synth?.waveform) return undefined;
  if (synth.waveform === 'saw' && (synth.voices ?? 1) > 1) return 'supersaw';
  return synth.waveform;
}

const INTERVAL_NAMES: Readonly<Record<number, string>> = {
  3: 'minor third',
  4: 'major third',
  5: 'perfect fourth',
  7: 'perfect fifth',
  12: 'octave',
};

const OCTAVE_WORDS = ['', 'one', 'two', 'three'] as const;

/** "one octave below", "two octaves above". */
export function octaveWords(octave: number): string {
  const n = Math.abs(octave);
  return `${OCTAVE_WORDS[n] ?? String(n)} octave${n === 1 ? '' : 's'} ${octave < 0 ? 'below' : 'above'}`;
}

/** Milliseconds for a synth line: whole from 100 ms up, else up to two decimals (0.5, 1, 80). */
function formatEnvMs(ms: number): string {
  return ms >= 100 ? formatNumber(ms, 0) : formatMs(ms);
}

/** A percentage: whole from 10 % up, else one decimal. */
function formatPct(pct: number): string {
  return formatNumber(pct, pct >= 10 ? 0 : 1);
}

function filterText(synth: Synth): string | undefined {
  const f = synth.filter;
  if (!f) return undefined;
  const type = f.type === 'notch' ? 'notch' : f.type.toUpperCase();
  const res = f.resonancePct !== undefined ? ` res ${formatPct(f.resonancePct)} %` : '';
  return `${type} ${formatHz(f.cutoffHz)}${res}`;
}

/**
 * The compact synthesis line of a layer, or undefined when it has no synth numbers:
 * "saw x7, 25 cents detune, LP24 6 kHz res 5 %, attack 1 ms, sustain 100 %, level -7 dB, octave -1, sidechained".
 */
export function synthesisLine(synth: Synth | undefined): string | undefined {
  if (!synth) return undefined;
  const parts: string[] = [];
  if (synth.waveform !== undefined && synth.voices !== undefined && synth.voices > 1) parts.push(`${synth.waveform} x${synth.voices}`);
  else if (synth.waveform !== undefined) parts.push(synth.waveform);
  else if (synth.voices !== undefined) parts.push(`${synth.voices} voice${synth.voices === 1 ? '' : 's'}`);
  if (synth.detuneCents !== undefined) {
    parts.push(synth.detuneCents === 0 ? 'no detune' : `${formatNumber(synth.detuneCents, 1)} cents detune`);
  }
  const filter = filterText(synth);
  if (filter) parts.push(filter);
  const env = synth.envelope;
  if (env) {
    if (env.attackMs !== undefined) parts.push(`attack ${formatEnvMs(env.attackMs)} ms`);
    if (env.decayMs !== undefined) parts.push(`decay ${formatEnvMs(env.decayMs)} ms`);
    if (env.sustainPct !== undefined) parts.push(`sustain ${formatPct(env.sustainPct)} %`);
    if (env.releaseMs !== undefined) parts.push(`release ${formatEnvMs(env.releaseMs)} ms`);
  }
  if (synth.levelDb !== undefined) parts.push(`level ${formatSigned(synth.levelDb, 1)} dB`);
  if (synth.octave !== undefined && synth.octave !== 0) parts.push(`octave ${formatSigned(synth.octave)}`);
  if (synth.intervalSemitones !== undefined && synth.intervalSemitones !== 0) {
    const name = INTERVAL_NAMES[Math.abs(synth.intervalSemitones)];
    const direction = synth.intervalSemitones > 0 ? 'above' : 'below';
    parts.push(name ? `a ${name} ${direction}` : `${formatSigned(synth.intervalSemitones)} semitones`);
  }
  if (synth.stereoWidthPct !== undefined) {
    parts.push(synth.stereoWidthPct === 0 ? 'mono' : `width ${formatPct(synth.stereoWidthPct)} %`);
  }
  if (synth.sidechained === true) parts.push('sidechained');
  if (synth.sidechained === false) parts.push('no sidechain');
  if (synth.notes) parts.push(synth.notes);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

// ---------------------------------------------------------------------------------------------
// Sections
// ---------------------------------------------------------------------------------------------

/**
 * Parts that give way, in this order, when even the condensed layout exceeds PROMPT_MAX_CHARS.
 * Only extreme specs (many layers with every text near its limit) ever reach this.
 */
export const SHED_ORDER = [
  'synth notes',
  'spectral and sidechain notes',
  'extra references',
  'timing notes',
  'reasoning preamble',
  'reference anchor',
  'synthesis lines',
  'band list',
  'movement qualifiers',
] as const;
export type Shed = (typeof SHED_ORDER)[number];

interface Layout {
  /** Terser phrasing: one-line LTV blocks, short preamble. */
  readonly condensed: boolean;
  readonly shed: ReadonlySet<Shed>;
}

/** The layer's header: its id, plus the role when the id does not already say it. */
function layerName(layer: Layer): string {
  return layer.role === 'custom' || layer.id.includes(layer.role) ? layer.id : `${layer.id} (${layer.role})`;
}

function trackParameters(spec: Spec, layout: Layout): string {
  const lines = ['TRACK PARAMETERS:', `BPM: ${spec.track.bpm}`, `Key: ${spec.track.key}`, `Style: ${spec.track.style}`];
  const refs = layout.shed.has('extra references') ? spec.track.references.slice(0, 1) : spec.track.references;
  if (refs.length > 0) lines.push(`References: ${refs.map(quoteTitle).join('; ')}`);
  return lines.join('\n');
}

function chainOfThought(spec: Spec, layout: Layout): string {
  const bpm = spec.track.bpm;
  const beat = formatMs(msPerBeat(bpm));
  const count = spec.layers.length;
  const build = buildRange(spec);
  const drop = spec.timing.dropBar;
  const buildPart = build
    ? build.endBar !== undefined
      ? `the build (bars ${build.startBar}-${build.endBar})`
      : `the build (from bar ${build.startBar})`
    : 'the build';
  const dropPart = drop !== undefined ? `the drop (bar ${drop})` : 'the drop';
  const carrier = melodyCarrier(spec).id;
  const release = spec.sidechain ? `; the ${formatMs(spec.sidechain.releaseMs)} ms release must fit between kicks` : '';
  const layersPhrase = count === 1 ? `the ${spec.layers[0]!.id} layer occupy` : `each of the ${count} layers occupy`;
  if (layout.condensed) {
    return [
      'REASONING FIRST:',
      `Before generating, decide: 1. the band of each layer, and where two could mask; 2. the subdivisions the sidechain ducks on (kick every ${beat} ms at ${bpm} BPM${release}); 3. how ${buildPart} differs in energy from ${dropPart}; 4. which layer carries the melody on a festival PA with weak highs (${carrier}). Then generate from the architecture below.`,
    ].join('\n');
  }
  return [
    'REASONING FIRST:',
    'Before generating, answer these four questions for yourself and let the answers shape the audio:',
    `1. Which frequency band does ${layersPhrase}, and where could two of them mask each other?`,
    `2. On which subdivisions does the sidechain compress? At ${bpm} BPM the kick lands on every quarter note, ${beat} ms apart${release}.`,
    `3. How does the energy curve of ${buildPart} differ from ${dropPart}?`,
    `4. On a festival PA with weak highs, which layer still carries the melody? Make sure ${carrier} states every note in the midrange.`,
    'Then generate the track from the architecture below.',
  ].join('\n');
}

function referenceAnchor(spec: Spec): string | undefined {
  const ref = spec.track.references[0];
  if (!ref) return undefined;
  const traits: string[] = [];
  const carrier = melodyCarrier(spec);
  const voices = carrier.synth?.voices;
  const wave = waveformWord(carrier.synth) ?? 'lead';
  traits.push(`${carrier.ltv.density} ${voices !== undefined && voices > 1 ? `${voices}-voice ` : ''}${wave} density`);
  if (spec.sidechain) {
    const pump = pumpCharacter(spec.sidechain.releaseMs, spec.track.bpm);
    traits.push(`the same ${pump.word} pump (${formatNumber(spec.sidechain.duckDb, 1)} dB, ${formatMs(spec.sidechain.releaseMs)} ms release)`);
  }
  const air = spec.layers.find((l) => l.role === 'air');
  if (air?.band) traits.push(`the same air above ${formatHz(air.band.lowHz)}`);
  else if (air) traits.push(`the same ${air.ltv.brightness} air`);
  const foundation = spec.layers.find((l) => l !== carrier && l.role === 'foundation' && l.synth?.octave);
  if (foundation) {
    traits.push(`the same bass-to-lead octave separation (${foundation.id} ${octaveWords(foundation.synth!.octave!)} the lead)`);
  }
  return [
    'REFERENCE ANCHOR:',
    `Match the drop architecture of ${quoteTitle(ref)}: ${traits.join(', ')}.`,
    `Original melody: a new track in ${spec.track.key} at ${spec.track.bpm} BPM that borrows the architecture, never the notes.`,
  ].join('\n');
}

function spectralLine(spec: Spec, layout: Layout): string {
  const parts = [`Spectral: below ${formatHz(spec.spectral.subReservedBelowHz)} stays clean for kick and bass.`];
  if (spec.spectral.leadRange) parts.push(`The lead spans ${formatBand(spec.spectral.leadRange)}.`);
  const banded = layout.shed.has('band list') ? [] : spec.layers.filter((l) => l.band);
  if (banded.length > 0) parts.push(`Bands: ${banded.map((l) => `${l.id} ${formatBand(l.band!)}`).join(', ')}.`);
  if (spec.spectral.notes && !layout.shed.has('spectral and sidechain notes')) parts.push(sentence(spec.spectral.notes));
  return parts.join(' ');
}

function sidechainLine(spec: Spec, sc: Sidechain, layout: Layout): string {
  const ducked = sidechainedLayers(spec);
  const free = spec.layers.filter((l) => !ducked.includes(l));
  let who: string;
  if (ducked.length === 0) who = 'The kick drives a sidechain';
  else if (free.length === 0) who = 'Every lead layer is sidechained to the kick';
  else if (free.length < ducked.length) who = `Every lead layer except ${joinAnd(free.map((l) => l.id))} is sidechained to the kick`;
  else who = `${joinAnd(ducked.map((l) => l.id))} ${ducked.length === 1 ? 'is' : 'are'} sidechained to the kick, the rest stay unducked`;
  const settings = [`${formatNumber(sc.duckDb, 1)} dB of ducking`];
  if (sc.attackMs !== undefined) settings.push(`attack ${formatMs(sc.attackMs)} ms`);
  settings.push(`release ${formatMs(sc.releaseMs)} ms`);
  if (sc.ratio !== undefined) settings.push(`ratio ${formatNumber(sc.ratio, 1)}:1`);
  const bpm = spec.track.bpm;
  const window = releaseWindow(bpm);
  const pump = pumpCharacter(sc.releaseMs, bpm);
  const parts = [
    `Layer: ${who}: ${settings.join(', ')}.`,
    `${capitalize(pump.word)} pump: ${pump.effect} (release window ${formatNumber(window.minMs, 0)}-${formatNumber(window.maxMs, 0)} ms at ${bpm} BPM).`,
  ];
  if (sc.notes && !layout.shed.has('spectral and sidechain notes')) parts.push(capitalize(sentence(sc.notes)));
  return parts.join(' ');
}

function timingLine(spec: Spec, layout: Layout): string {
  const bpm = spec.track.bpm;
  const t = spec.timing;
  const notes = !layout.shed.has('timing notes');
  const parts = [`Timing: ${bpm} BPM.`];
  const at = (bar: number): string => `bar ${bar} (${barTimestamp(bar, bpm)})`;
  const withNote = (head: string, note: string | undefined): string => (note && notes ? `${head}: ${sentence(note)}` : `${head}.`);

  const events: Array<{ bar: number; order: number; text: string }> = [];
  const build = buildRange(spec);
  if (build) {
    const head =
      build.endBar !== undefined
        ? `Build bars ${build.startBar}-${build.endBar} (${barTimestamp(build.startBar, bpm)}-${barTimestamp(build.endBar + 1, bpm)})`
        : `Build from ${at(build.startBar)}`;
    events.push({ bar: build.startBar, order: 0, text: withNote(head, t.buildNote) });
  } else if (t.buildNote && notes) {
    parts.push(`Build: ${sentence(t.buildNote)}`);
  }
  if (t.sweepApexBar !== undefined) events.push({ bar: t.sweepApexBar, order: 1, text: `Filter sweep apex at ${at(t.sweepApexBar)}.` });
  if (t.dropBar !== undefined) events.push({ bar: t.dropBar, order: 2, text: withNote(`Drop at ${at(t.dropBar)}`, t.dropNote) });
  if (t.breakBar !== undefined) events.push({ bar: t.breakBar, order: 3, text: withNote(`Break at ${at(t.breakBar)}`, t.breakNote) });
  if (t.secondDropBar !== undefined) events.push({ bar: t.secondDropBar, order: 4, text: `Second drop at ${at(t.secondDropBar)}.` });
  events.sort((a, b) => a.bar - b.bar || a.order - b.order);
  parts.push(...events.map((e) => e.text));
  if (notes && t.dropBar === undefined && t.dropNote) parts.push(`Drop: ${sentence(t.dropNote)}`);
  if (notes && t.breakBar === undefined && t.breakNote) parts.push(`Break: ${sentence(t.breakNote)}`);
  return parts.join(' ');
}

function saltFramework(spec: Spec, layout: Layout): string {
  const lines = ['SALT FRAMEWORK:', spectralLine(spec, layout)];
  if (spec.attack) lines.push(`Attack: ${sentence(spec.attack.description)}`);
  if (spec.sidechain) lines.push(sidechainLine(spec, spec.sidechain, layout));
  lines.push(timingLine(spec, layout));
  return lines.join('\n');
}

function ltvBlock(layer: Layer, layout: Layout): string {
  const { ltv } = layer;
  const qualifier = ltv.movement.qualifier && !layout.shed.has('movement qualifiers') ? ltv.movement.qualifier : undefined;
  const movement = qualifier ? `${ltv.movement.kind} (${qualifier})` : ltv.movement.kind;
  const synthSource = layout.shed.has('synth notes') && layer.synth ? { ...layer.synth, notes: undefined } : layer.synth;
  const synth = layout.shed.has('synthesis lines') ? undefined : synthesisLine(synthSource);
  if (layout.condensed) {
    const line = `${layerName(layer)}: ${ltv.texture.join(', ')} / ${ltv.brightness} / ${movement} / ${ltv.density} / ${ltv.edge}`;
    return synth ? `${line}\n  synthesis: ${synth}` : line;
  }
  const lines = [
    `${layerName(layer)}:`,
    `texture: ${ltv.texture.join(', ')}`,
    `brightness: ${ltv.brightness}`,
    `movement: ${movement}`,
    `density: ${ltv.density}`,
    `edge: ${ltv.edge}`,
  ];
  if (synth) lines.push(`synthesis: ${synth}`);
  return lines.join('\n');
}

function layerVocabulary(spec: Spec, layout: Layout): string {
  if (layout.condensed) {
    return ['LAYER TIMBRAL VOCABULARY (texture / brightness / movement / density / edge):', ...spec.layers.map((l) => ltvBlock(l, layout))].join('\n');
  }
  return ['LAYER TIMBRAL VOCABULARY:', spec.layers.map((l) => ltvBlock(l, layout)).join('\n\n')].join('\n');
}

function renderWith(spec: Spec, cot: boolean, anchor: boolean, layout: Layout): string {
  const sections: string[] = [trackParameters(spec, layout)];
  if (cot && !layout.shed.has('reasoning preamble')) sections.push(chainOfThought(spec, layout));
  if (anchor && !layout.shed.has('reference anchor')) {
    const text = referenceAnchor(spec);
    if (text) sections.push(text);
  }
  sections.push(saltFramework(spec, layout), layerVocabulary(spec, layout));
  if (spec.arrangement) sections.push(`ARRANGEMENT INSTRUCTION:\n${spec.arrangement.intent}`);
  return sections.join('\n\n');
}

/**
 * The full SALT + LTV prompt for a spec. `options` override `spec.extras`.
 *
 * The prompt always fits PROMPT_MAX_CHARS (one Discord text block): when the full layout is too
 * long, a condensed layout (one line per LTV block, short preamble) is used; should even that be
 * too long, the least important parts give way in SHED_ORDER and a closing note says which.
 */
export function renderPrompt(spec: Spec, options: RenderOptions = {}): string {
  const cot = options.chainOfThought ?? spec.extras.chainOfThought;
  const anchor = options.referenceAnchor ?? spec.extras.referenceAnchor;
  const full = renderWith(spec, cot, anchor, { condensed: false, shed: new Set() });
  if (full.length <= PROMPT_MAX_CHARS) return full;
  const shed = new Set<Shed>();
  const left: Shed[] = [];
  let body = renderWith(spec, cot, anchor, { condensed: true, shed });
  const withNote = (): string =>
    left.length === 0 ? body : `${body}\n\n[Shortened to fit ${PROMPT_MAX_CHARS} characters; left out: ${left.join(', ')}.]`;
  for (const part of SHED_ORDER) {
    if (withNote().length <= PROMPT_MAX_CHARS) break;
    shed.add(part);
    const next = renderWith(spec, cot, anchor, { condensed: true, shed });
    if (next !== body) left.push(part);
    body = next;
  }
  return withNote();
}
