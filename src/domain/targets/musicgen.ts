/**
 * MusicGen: one or two plain sentences in the style of its text conditioning (genre, tempo, key,
 * instruments, mood), at most 300 characters.
 */
import { formatNumber, joinAnd, melodyCarrier, octaveWords, pumpCharacter } from '../render.js';
import type { Layer, Spec } from '../spec.js';
import type { TargetField } from './types.js';
import { article, capitalize, genre, instrumentTag, isInstrumental, leadNoun, moods } from './words.js';

export const MUSICGEN_BUDGET = 300;

/** "a warm saw foundation one octave below", "an airy noise air layer". */
function instrumentPhrase(layer: Layer): string {
  const head = `${layer.ltv.texture[0]} ${instrumentTag(layer)}`.toLowerCase();
  const octave = layer.synth?.octave ? ` ${octaveWords(layer.synth.octave)}` : '';
  return `${article(head)} ${head}${octave}`;
}

export function musicgenText(spec: Spec): string {
  const g = genre(spec);
  const mood = moods(spec, 3);
  const first = (withMood: boolean): string =>
    `${capitalize(g)} at ${spec.track.bpm} BPM in ${spec.track.key}${isInstrumental(spec) ? ', instrumental' : ''}${withMood && mood.length ? `, ${joinAnd(mood)}` : ''}.`;
  const carrier = melodyCarrier(spec);
  const lead = leadNoun(spec);
  const others = spec.layers.filter((l) => l !== carrier).map(instrumentPhrase);
  const pump = spec.sidechain
    ? `, pumping to the kick (${pumpCharacter(spec.sidechain.releaseMs, spec.track.bpm).word} ${formatNumber(spec.sidechain.duckDb, 1)} dB sidechain)`
    : '';
  const second = (n: number, withPump: boolean): string =>
    `${capitalize(article(lead))} ${lead} carries the melody${n > 0 ? ` over ${joinAnd(others.slice(0, n))}` : ''}${withPump ? pump : ''}.`;
  // Richest first; the first candidate within the budget wins.
  const candidates: string[] = [];
  for (const withMood of [true, false]) {
    for (let n = others.length; n >= 0; n -= 1) {
      candidates.push(`${first(withMood)} ${second(n, true)}`);
      if (pump) candidates.push(`${first(withMood)} ${second(n, false)}`);
    }
    candidates.push(first(withMood));
  }
  return candidates.find((c) => c.length <= MUSICGEN_BUDGET) ?? `${capitalize(g)} at ${spec.track.bpm} BPM in ${spec.track.key}.`;
}

export function renderMusicgen(spec: Spec): TargetField[] {
  return [{ name: 'description', label: 'Text prompt', text: musicgenText(spec), budget: MUSICGEN_BUDGET }];
}
