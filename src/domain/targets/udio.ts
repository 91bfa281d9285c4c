/**
 * Udio: a 5-15-word description, comma-separated tags, a negative prompt and the section markers
 * for its lyrics box.
 */
import { packFacts, type Fact } from '../compact.js';
import { melodyCarrier, pumpCharacter } from '../render.js';
import type { Spec } from '../spec.js';
import { renderStructure } from './structure.js';
import { wordCount, type TargetField } from './types.js';
import { article, capitalize, genre, instrumentTag, isInstrumental, leadNoun, moods, styleDescriptors } from './words.js';

export const UDIO_BUDGET = { description: 150, descriptionWords: { min: 5, max: 15 }, tags: 300, negative: 200, structure: 3000 } as const;

/**
 * "Euphoric melodic progressive house at 126 BPM in A minor with a bright 7-voice supersaw lead":
 * the longest of a few candidates that stays within 15 words and 150 characters. The tempo-and-key
 * phrase alone is five words or more, so the minimum always holds.
 */
export function udioDescription(spec: Spec): string {
  const g = genre(spec).toLowerCase();
  const mood = moods(spec).find((m) => !g.includes(m));
  const tempo = `at ${spec.track.bpm} BPM in ${spec.track.key}`;
  const lead = leadNoun(spec);
  const withLead = `with ${article(lead)} ${lead}`;
  const plain = leadNoun(spec, false);
  const withPlainLead = `with ${article(plain)} ${plain}`;
  const candidates = [
    [mood, g, tempo, withLead],
    [mood, g, tempo, withPlainLead],
    [g, tempo, withLead],
    [mood, g, tempo],
    [g, tempo],
    [isInstrumental(spec) ? 'instrumental track' : 'track', tempo, withLead],
    ['track', tempo],
  ];
  for (const parts of candidates) {
    const text = capitalize(parts.filter(Boolean).join(' '));
    const words = wordCount(text);
    if (words >= UDIO_BUDGET.descriptionWords.min && words <= UDIO_BUDGET.descriptionWords.max && text.length <= UDIO_BUDGET.description) return text;
  }
  return `Track ${tempo}`;
}

export function udioTagFacts(spec: Spec): Fact[] {
  const facts: Fact[] = [];
  const seen = new Set<string>();
  const add = (text: string, priority: number): void => {
    const tag = (text === spec.track.key ? text : text.toLowerCase()).replace(/[,;]/g, ' ').replace(/\s+/g, ' ').trim();
    if (tag && !seen.has(tag)) {
      seen.add(tag);
      facts.push({ text: tag, priority });
    }
  };
  add(genre(spec), 0);
  add(`${spec.track.bpm} bpm`, 1);
  add(spec.track.key, 2);
  if (isInstrumental(spec)) add('instrumental', 3);
  const carrier = melodyCarrier(spec);
  add(instrumentTag(carrier), 4);
  for (const m of moods(spec)) add(m, 5);
  if (spec.sidechain) add(`${pumpCharacter(spec.sidechain.releaseMs, spec.track.bpm).word} sidechain pump`, 6);
  for (const layer of spec.layers) if (layer !== carrier) add(instrumentTag(layer), 7);
  for (const d of styleDescriptors(spec)) add(d, 8);
  for (const w of carrier.ltv.texture) add(w, 9);
  return facts;
}

export function udioTags(spec: Spec): string {
  return packFacts(udioTagFacts(spec), UDIO_BUDGET.tags, ', ').join(', ');
}

/** What to keep out: vocals for an instrumental draft, a muddy low end, pumping that chops the melody. */
export function udioNegative(spec: Spec): string {
  const items: string[] = [];
  if (isInstrumental(spec)) items.push('vocals', 'singing', 'spoken word');
  items.push('muddy low end');
  if (spec.sidechain) {
    const word = pumpCharacter(spec.sidechain.releaseMs, spec.track.bpm).word;
    if (word === 'moderate' || word === 'slow') items.push('choppy over-compressed pumping');
  }
  const gritty = spec.layers.some((l) => l.ltv.texture.some((w) => /gritty|distort|dirty|saturat/i.test(w)) || l.ltv.movement.kind === 'aggressive');
  if (!gritty) items.push('harsh distortion');
  const carrier = melodyCarrier(spec);
  if (carrier.ltv.density === 'massive' || carrier.ltv.density === 'dense') items.push('thin lead');
  return packFacts(items.map((text, i) => ({ text, priority: i })), UDIO_BUDGET.negative, ', ').join(', ');
}

export function renderUdio(spec: Spec): TargetField[] {
  return [
    { name: 'description', label: 'Prompt', text: udioDescription(spec), budget: UDIO_BUDGET.description, maxWords: UDIO_BUDGET.descriptionWords.max },
    { name: 'tags', label: 'Tags', text: udioTags(spec), budget: UDIO_BUDGET.tags },
    { name: 'negative', label: 'Negative prompt', text: udioNegative(spec), budget: UDIO_BUDGET.negative },
    { name: 'structure', label: 'Lyrics', text: renderStructure(spec, isInstrumental(spec)), budget: UDIO_BUDGET.structure },
  ];
}
