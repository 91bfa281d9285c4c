/**
 * Words the target profiles share: the genre and mood a draft names, whether it is instrumental,
 * short instrument phrases per layer. Deterministic readings of the spec's own text.
 */
import { leadArchitecture } from '../compact.js';
import { melodyCarrier, waveformWord } from '../render.js';
import type { Layer, Spec } from '../spec.js';

/** Words that mark a vocal part; "singable" (a melody quality) is not one. */
const VOCAL_RE = /\b(vocals?|vocalists?|singers?|singing|sung|lyrics?|acapella|a cappella|vox|topline|choirs?|rap|rapper|spoken word)\b/i;

/** Mood words a music model understands, each with the spellings that name it. */
const MOODS: readonly (readonly [string, RegExp])[] = [
  ['euphoric', /\beuphori[ac]\b/i],
  ['uplifting', /\buplift(ing|ed)?\b|\blifted\b/i],
  ['cold', /\bcold\b/i],
  ['dark', /\bdark(er)?\b/i],
  ['hypnotic', /\bhypnotic\b/i],
  ['emotional', /\bemotional(ly)?\b/i],
  ['melancholic', /\bmelanchol(ic|y)\b/i],
  ['longing', /\blonging\b/i],
  ['spacious', /\bspacious\b/i],
  ['dreamy', /\bdream(y|like)\b/i],
  ['anthemic', /\banthem(ic)?\b/i],
  ['triumphant', /\btriumphant\b/i],
  ['nostalgic', /\bnostalgi(c|a)\b/i],
  ['energetic', /\benerget(ic)\b/i],
  ['driving', /\bdriving\b/i],
  ['aggressive', /\baggressive\b/i],
  ['warm', /\bwarm\b/i],
  ['epic', /\bepic\b/i],
  ['atmospheric', /\batmospheric\b/i],
  ['hopeful', /\bhopeful\b/i],
  ['late-night', /\blate-night\b/i],
  ['sunrise', /\bsunrise\b/i],
];

/** Text of the spec that describes the music (not the numbers). */
function describingText(spec: Spec): string {
  return [spec.track.style, spec.arrangement?.intent ?? ''].join(' \n ');
}

/** Everything a member typed into the spec, for the vocal check. */
function allText(spec: Spec): string {
  const t = spec.timing;
  const parts = [
    spec.track.style,
    spec.arrangement?.intent,
    spec.attack?.description,
    spec.spectral.notes,
    spec.sidechain?.notes,
    t.buildNote,
    t.dropNote,
    t.breakNote,
    ...spec.layers.flatMap((l) => [l.id.replaceAll('_', ' '), l.synth?.notes, l.ltv.movement.qualifier, ...l.ltv.texture]),
  ];
  return parts.filter(Boolean).join(' \n ');
}

/**
 * True when nothing in the draft mentions a vocal part: the article's drafts are lead-stack
 * architectures with no voice in them, so the track is instrumental.
 */
export function isInstrumental(spec: Spec): boolean {
  return !VOCAL_RE.test(allText(spec));
}

/** Up to `max` mood words the style and arrangement name, in the order they first appear. */
export function moods(spec: Spec, max = 4): string[] {
  const text = describingText(spec);
  const found = MOODS.map(([word, re]) => ({ word, at: text.search(re) }))
    .filter((m) => m.at >= 0)
    .sort((a, b) => a.at - b.at)
    .map((m) => m.word);
  return found.slice(0, max);
}

function tidy(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/^[\s,;:.-]+|[\s,;:.-]+$/g, '').trim();
}

/** The style's clauses with parentheses, artist comparisons and referenced artists left out. */
function styleClauses(spec: Spec): string[] {
  const artists = spec.track.references.map((r) => r.artist.toLowerCase());
  const bare = spec.track.style.replace(/\([^)]*\)?/g, ' ').replace(/[[\]]/g, ' ');
  return bare
    .split(/[,:;]/)
    .map((c) => tidy(c.replace(/\s+(like|in the style of|à la|a la)\s.*$/i, '')))
    .filter((c) => c.length > 0 && !artists.some((a) => c.toLowerCase().includes(a)));
}

/** The genre: the style's first clause without parentheses or artist names ("Melodic progressive house"). */
export function genre(spec: Spec): string {
  return styleClauses(spec)[0] ?? 'Progressive house';
}

/** The style's other clauses ("peak-time main stage"), without moods already counted. */
export function styleDescriptors(spec: Spec): string[] {
  return styleClauses(spec)
    .slice(1)
    .filter((c) => !MOODS.some(([, re]) => re.test(c) && c.split(' ').length <= 2));
}

/** A fact for a comma-separated list: no closing full stop. */
export function listItem(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

const ROLE_NOUN: Readonly<Record<Layer['role'], string>> = {
  foundation: 'foundation',
  core: 'lead',
  transient: 'pluck',
  harmony: 'harmony',
  air: 'air layer',
  custom: 'synth',
};

/** The waveform a layer states, or the one its role usually has. */
export function waveOf(layer: Layer): string {
  const stated = waveformWord(layer.synth);
  if (stated) return stated;
  return layer.role === 'air' ? 'noise' : layer.role === 'transient' ? 'triangle' : 'saw';
}

/** "supersaw lead", "triangle pluck", "noise+saw air layer". */
export function instrumentTag(layer: Layer): string {
  return `${waveOf(layer)} ${ROLE_NOUN[layer.role]}`;
}

/** The melody carrier in a few words: "7-voice supersaw core, 25 cents, LP 6.5 kHz" or "bright massive saw lead". */
export function leadPhrase(spec: Spec): string {
  const carrier = melodyCarrier(spec);
  return leadArchitecture(carrier) ?? `${carrier.ltv.brightness} ${carrier.ltv.density} ${instrumentTag(carrier)}`;
}

/** "bright 7-voice supersaw lead" (or without the brightness word), for sentences. */
export function leadNoun(spec: Spec, withBrightness = true): string {
  const carrier = melodyCarrier(spec);
  const voices = carrier.synth?.voices;
  return `${withBrightness ? `${carrier.ltv.brightness} ` : ''}${voices !== undefined && voices > 1 ? `${voices}-voice ` : ''}${instrumentTag(carrier)}`;
}

/** "a" or "an" for a phrase. */
export function article(phrase: string): string {
  return /^[aeiou]/i.test(phrase) ? 'an' : 'a';
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
