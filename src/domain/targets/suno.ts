/**
 * Suno: a style field (1000 characters; 200 in the v4 interface) front-loaded with genre, tempo,
 * key, mood and the lead architecture; a structure field for the lyrics box; an exclusion list.
 */
import { clean, packFacts, shortLtv, type Fact } from '../compact.js';
import { formatBand, formatHz, formatNumber, melodyCarrier, pumpCharacter } from '../render.js';
import type { Spec } from '../spec.js';
import { formatMs } from '../timing.js';
import { renderStructure } from './structure.js';
import type { TargetField } from './types.js';
import { genre, isInstrumental, leadPhrase, listItem, moods, styleDescriptors } from './words.js';

export const SUNO_BUDGET = { style: 1000, styleV4: 200, structure: 3000, exclude: 200, min: 17 } as const;
export const SUNO_SEPARATOR = ', ';

/** The style field's facts: list order is output order (most important first), priority decides what fits. */
export function sunoStyleFacts(spec: Spec): Fact[] {
  const facts: Fact[] = [];
  const add = (text: string | undefined, priority: number): void => {
    if (text) facts.push({ text: listItem(clean(text)), priority });
  };
  add(genre(spec), 2);
  add(`${spec.track.bpm} BPM`, 0);
  add(spec.track.key, 1);
  const mood = moods(spec);
  if (mood.length) add(mood.join(', '), 3);
  if (isInstrumental(spec)) add('instrumental', 4);
  add(leadPhrase(spec), 5);
  if (spec.sidechain) {
    const sc = spec.sidechain;
    add(`${formatNumber(sc.duckDb, 1)} dB ${pumpCharacter(sc.releaseMs, spec.track.bpm).word} sidechain pump, ${formatMs(sc.releaseMs)} ms release`, 6);
  }
  for (const d of styleDescriptors(spec)) add(d, 7);
  const carrier = melodyCarrier(spec);
  for (const layer of [carrier, ...spec.layers.filter((l) => l !== carrier)]) add(shortLtv(layer), 8);
  if (spec.attack) add(spec.attack.description, 9);
  add(`clean sub below ${formatHz(spec.spectral.subReservedBelowHz)}`, 10);
  if (spec.spectral.leadRange) add(`lead ${formatBand(spec.spectral.leadRange)}`, 10);
  if (spec.arrangement) add(spec.arrangement.intent, 11);
  return facts;
}

export function sunoStyle(spec: Spec, budget: number): string {
  return packFacts(sunoStyleFacts(spec), budget, SUNO_SEPARATOR).join(SUNO_SEPARATOR);
}

/** Styles to exclude, when the draft implies them (an instrumental draft excludes vocals). */
export function sunoExclusions(spec: Spec): string[] {
  return isInstrumental(spec) ? ['vocals', 'vocal chops', 'spoken word'] : [];
}

export function renderSuno(spec: Spec, styleBudget: number): TargetField[] {
  const instrumental = isInstrumental(spec);
  const fields: TargetField[] = [
    { name: 'style', label: 'Style of Music', text: sunoStyle(spec, styleBudget), budget: styleBudget },
    { name: 'structure', label: 'Lyrics', text: renderStructure(spec, instrumental), budget: SUNO_BUDGET.structure },
  ];
  const excluded = sunoExclusions(spec);
  if (excluded.length) fields.push({ name: 'exclude', label: 'Exclude Styles', text: excluded.join(', '), budget: SUNO_BUDGET.exclude });
  return fields;
}
