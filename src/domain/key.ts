/**
 * Musical keys: the 24 major and minor keys, parsed leniently and spelled one canonical way.
 *
 * Canonical spelling follows the usual key signatures (at most six accidentals, sharps for the
 * sharp side of the circle of fifths and flats for the flat side): "F# minor", "Db major".
 */

export type KeyQuality = 'major' | 'minor';

export interface MusicalKey {
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  readonly pitchClass: number;
  readonly quality: KeyQuality;
}

const MAJOR_SPELLING = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
const MINOR_SPELLING = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'G#', 'A', 'Bb', 'B'] as const;

const LETTER_PC: Record<string, number> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };

/** Camelot wheel numbers (DJ notation): minor keys are "A", major keys "B". */
const CAMELOT_MINOR_PC = [8, 3, 10, 5, 0, 7, 2, 9, 4, 11, 6, 1] as const; // 1A … 12A
const CAMELOT_MAJOR_PC = [11, 6, 1, 8, 3, 10, 5, 0, 7, 2, 9, 4] as const; // 1B … 12B

/** The canonical name of a key, e.g. "A minor". */
export function keyName(key: MusicalKey): string {
  const spelling = key.quality === 'major' ? MAJOR_SPELLING : MINOR_SPELLING;
  return `${spelling[key.pitchClass]} ${key.quality}`;
}

/** Every canonical key name, majors first, in chromatic order from C. */
export const ALL_KEY_NAMES: readonly string[] = [
  ...MAJOR_SPELLING.map((_, pc) => keyName({ pitchClass: pc, quality: 'major' })),
  ...MINOR_SPELLING.map((_, pc) => keyName({ pitchClass: pc, quality: 'minor' })),
];

const KEY_PATTERN =
  /^([a-g])\s*(#|♯|b|♭|sharp|flat|-sharp|-flat)?\s*(m|min|minor|maj|major|dur|moll|mineur|majeur|menor|mayor|maior)?\.?$/i;

/**
 * Parses a key written the way people write keys: "F#m", "Gb minor", "A min", "a minor", "Bbmaj",
 * "F sharp minor", "C♯ minor", Camelot "8A". A tonic alone ("D") means major.
 * Returns undefined when the text is not a key.
 */
export function parseKey(input: string): MusicalKey | undefined {
  const text = input.trim().replace(/\s+/g, ' ');
  if (text.length === 0 || text.length > 24) return undefined;

  const camelot = /^(1[0-2]|[1-9])\s*([ab])$/i.exec(text);
  if (camelot) {
    const index = Number(camelot[1]) - 1;
    const minor = camelot[2]!.toLowerCase() === 'a';
    const pc = (minor ? CAMELOT_MINOR_PC : CAMELOT_MAJOR_PC)[index]!;
    return { pitchClass: pc, quality: minor ? 'minor' : 'major' };
  }

  const match = KEY_PATTERN.exec(text);
  if (!match) return undefined;
  const [, letter, accidentalRaw, qualityRaw] = match;
  let pc = LETTER_PC[letter!.toLowerCase()]!;
  const accidental = (accidentalRaw ?? '').toLowerCase().replace('-', '');
  if (accidental === '#' || accidental === '♯' || accidental === 'sharp') pc += 1;
  if (accidental === 'b' || accidental === '♭' || accidental === 'flat') pc -= 1;
  pc = (pc + 12) % 12;

  const q = (qualityRaw ?? '').toLowerCase();
  const minor = q === 'm' || q === 'min' || q === 'minor' || q === 'moll' || q === 'mineur' || q === 'menor';
  return { pitchClass: pc, quality: minor ? 'minor' : 'major' };
}

/** Normalizes a key to its canonical name, or undefined when it is not a key. */
export function normalizeKey(input: string): string | undefined {
  const key = parseKey(input);
  return key ? keyName(key) : undefined;
}

/** The key's tonic as a pitch class and quality; throws for a non-canonical name (internal use). */
export function keyOf(name: string): MusicalKey {
  const key = parseKey(name);
  if (!key) throw new Error(`not a key: ${name}`);
  return key;
}
