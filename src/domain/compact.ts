/**
 * The compact prompt: a most-important-first summary of a spec for short fields (Suno's style
 * field holds 200 characters, other fields ~1000). Facts are whole; none is ever cut.
 */
import type { Layer, Spec } from './spec.js';
import { formatMs } from './timing.js';
import { buildRange, formatBand, formatHz, formatNumber, melodyCarrier, pumpCharacter, waveformWord } from './render.js';

/** Separator between facts; a fact never contains it. */
export const COMPACT_SEPARATOR = '; ';

/**
 * The smallest budget that always holds BPM and key ("200 BPM; C# minor" is the longest pair):
 * from this budget up, both are always in the compact prompt.
 */
export const COMPACT_MIN_BUDGET = 17;

export interface Fact {
  readonly text: string;
  /** Lower is picked first when the budget is tight; output keeps list order. */
  readonly priority: number;
}

/** Collapses whitespace and turns the separator's ";" into "," so a fact never contains it. */
export function clean(text: string): string {
  return text.replaceAll(';', ',').replace(/\s+/g, ' ').trim();
}

/** "7-voice supersaw core, 25 cents, LP 6 kHz". */
export function leadArchitecture(layer: Layer): string | undefined {
  const synth = layer.synth;
  if (!synth) return undefined;
  const head: string[] = [];
  if (synth.voices !== undefined && synth.voices > 1) head.push(`${synth.voices}-voice`);
  const wave = waveformWord(synth);
  if (wave) head.push(wave);
  if (head.length === 0) return undefined;
  head.push(layer.role === 'custom' ? 'lead' : layer.role);
  const parts = [head.join(' ')];
  if (synth.detuneCents !== undefined && synth.detuneCents > 0) parts.push(`${formatNumber(synth.detuneCents, 1)} cents`);
  if (synth.filter) parts.push(`${synth.filter.type.slice(0, 2).toUpperCase()} ${formatHz(synth.filter.cutoffHz)}`);
  return parts.join(', ');
}

/** "supersaw core: rich, glassy, chest-filling, bright, breathing, massive, sharp edge". */
export function shortLtv(layer: Layer): string {
  const { ltv } = layer;
  const movement = ltv.movement.qualifier ? `${ltv.movement.kind} (${clean(ltv.movement.qualifier)})` : ltv.movement.kind;
  return `${layer.id.replaceAll('_', ' ')}: ${[...ltv.texture, ltv.brightness, movement, ltv.density, `${ltv.edge} edge`].join(', ')}`;
}

/** Every fact of the compact prompt, most important first, un-budgeted. */
export function compactFacts(spec: Spec): string[] {
  return orderedFacts(spec).map((f) => f.text);
}

function orderedFacts(spec: Spec): Fact[] {
  const facts: Fact[] = [];
  const add = (text: string | undefined, priority: number): void => {
    if (text) facts.push({ text: clean(text), priority });
  };
  add(spec.track.style, 2);
  add(`${spec.track.bpm} BPM`, 0);
  add(spec.track.key, 1);
  const carrier = melodyCarrier(spec);
  add(leadArchitecture(carrier), 3);
  if (spec.sidechain) {
    const sc = spec.sidechain;
    const pump = pumpCharacter(sc.releaseMs, spec.track.bpm);
    add(`${formatNumber(sc.duckDb, 1)} dB ${pump.word} pump, ${formatMs(sc.releaseMs)} ms release`, 4);
  }
  const ordered = [carrier, ...spec.layers.filter((l) => l !== carrier)];
  for (const layer of ordered) add(shortLtv(layer), 5);
  add(`sub below ${formatHz(spec.spectral.subReservedBelowHz)} for kick and bass`, 6);
  if (spec.spectral.leadRange) add(`lead ${formatBand(spec.spectral.leadRange)}`, 6);
  const build = buildRange(spec);
  if (build) add(build.endBar !== undefined ? `build bars ${build.startBar}-${build.endBar}` : `build from bar ${build.startBar}`, 7);
  if (spec.timing.sweepApexBar !== undefined) add(`sweep apex bar ${spec.timing.sweepApexBar}`, 7);
  if (spec.timing.dropBar !== undefined) add(`drop at bar ${spec.timing.dropBar}`, 7);
  if (spec.timing.breakBar !== undefined) add(`break at bar ${spec.timing.breakBar}`, 7);
  if (spec.timing.secondDropBar !== undefined) add(`second drop at bar ${spec.timing.secondDropBar}`, 7);
  if (spec.attack) add(spec.attack.description, 8);
  if (spec.arrangement) add(spec.arrangement.intent, 9);
  if (spec.extras.referenceAnchor && spec.track.references[0]) {
    add(`drop architecture like "${spec.track.references[0].title}", original melody`, 10);
  }
  return facts;
}

/**
 * A compact summary of the spec in at most `budget` characters: whole facts joined by "; ",
 * picked by importance (BPM, key, style, lead architecture, sidechain, each layer's LTV, bands,
 * bars, attack, arrangement, reference) while they fit, and printed in that list's order.
 * Returns '' when not even one fact fits.
 */
export function renderCompact(spec: Spec, budget: number): string {
  return packFacts(orderedFacts(spec), budget, COMPACT_SEPARATOR).join(COMPACT_SEPARATOR);
}

/**
 * The packing shared by every budgeted text (the compact prompt, the target profiles): whole facts
 * are picked by priority (lower first; ties in list order) while they fit `budget` characters
 * joined by `separator`, and returned in list order. A fact is never cut; one that does not fit is
 * skipped and a later, shorter one may still fit.
 */
export function packFacts(facts: readonly Fact[], budget: number, separator: string): string[] {
  const picked = new Set<number>();
  let used = 0;
  const byPriority = facts.map((f, i) => ({ f, i })).sort((a, b) => a.f.priority - b.f.priority || a.i - b.i);
  for (const { f, i } of byPriority) {
    const cost = f.text.length + (picked.size > 0 ? separator.length : 0);
    if (used + cost <= budget) {
      picked.add(i);
      used += cost;
    }
  }
  return facts.filter((_, i) => picked.has(i)).map((f) => f.text);
}
