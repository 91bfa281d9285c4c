/**
 * Notes for the audio preview: scientific pitch names ("A4", "C#5", "Bb3") parsed and validated,
 * and the default motif built from the draft's key.
 */
import { keyOf } from '../domain/key.js';

/** At most this many notes may be typed for a preview (one note per beat, 8 bars = 32 beats). */
export const MAX_NOTES = 32;
/** Lowest and highest playable note (MIDI numbers): C1 (32.7 Hz) to C8 (4186 Hz). */
export const NOTE_RANGE = { min: 24, max: 108 } as const;

export type NotesProblem = 'empty' | 'too-many' | 'not-a-note' | 'out-of-range';

/** Bad user notes. `reason` says what is wrong, `token` is the offending word (if one is). */
export class InvalidNotesError extends Error {
  readonly reason: NotesProblem;
  readonly token: string | undefined;
  constructor(reason: NotesProblem, message: string, token?: string) {
    super(message);
    this.name = 'InvalidNotesError';
    this.reason = reason;
    this.token = token;
  }
}

const LETTER_PC: Readonly<Record<string, number>> = { c: 0, d: 2, e: 4, f: 5, g: 7, a: 9, b: 11 };
const NAMES_SHARP = ['C', 'C#', 'D', 'D#', 'E', 'F', 'F#', 'G', 'G#', 'A', 'A#', 'B'] as const;
const NAMES_FLAT = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'Gb', 'G', 'Ab', 'A', 'Bb', 'B'] as const;
const NOTE_PATTERN = /^([a-g])(#|♯|b|♭)?(-?\d)$/i;

/** MIDI number of a scientific pitch name ("A4" = 69), or undefined when it is not one. */
export function parseNoteName(token: string): number | undefined {
  const match = NOTE_PATTERN.exec(token.trim());
  if (!match) return undefined;
  const [, letter, accidental, octave] = match;
  let pc = LETTER_PC[letter!.toLowerCase()]!;
  if (accidental === '#' || accidental === '♯') pc += 1;
  if (accidental === 'b' || accidental === '♭') pc -= 1;
  return (Number(octave) + 1) * 12 + pc;
}

/** The name of a MIDI note, sharps or flats: 69 → "A4", 70 → "A#4" / "Bb4". */
export function noteName(midi: number, flats = false): string {
  const pc = ((midi % 12) + 12) % 12;
  return `${(flats ? NAMES_FLAT : NAMES_SHARP)[pc]}${Math.floor(midi / 12) - 1}`;
}

export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

/**
 * Parses the notes a user typed: names separated by spaces or commas, e.g. "A4 C5 E5 D5".
 * Throws InvalidNotesError for an empty list, more than MAX_NOTES notes, a word that is not a
 * note, or a note outside C1-C8.
 */
export function parseNotes(text: string): number[] {
  const tokens = text.split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) throw new InvalidNotesError('empty', 'no notes given (write them like "A4 C5 E5 D5")');
  if (tokens.length > MAX_NOTES) {
    throw new InvalidNotesError('too-many', `${tokens.length} notes given; at most ${MAX_NOTES} are allowed`);
  }
  return tokens.map((token) => {
    const midi = parseNoteName(token);
    if (midi === undefined) {
      throw new InvalidNotesError('not-a-note', `"${token.slice(0, 12)}" is not a note (write a letter, an optional # or b, and an octave: A4, C#5, Bb3)`, token.slice(0, 12));
    }
    if (midi < NOTE_RANGE.min || midi > NOTE_RANGE.max) {
      throw new InvalidNotesError('out-of-range', `${token} is outside the playable range C1-C8`, token.slice(0, 12));
    }
    return midi;
  });
}

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11] as const;
const MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10] as const;

/**
 * Scale degrees (0 = tonic) of the default motif: a singable two-bar phrase, one note per beat,
 * rising through the triad, stepping down and resolving to the tonic (in A minor: A C E D C B C A).
 */
export const DEFAULT_MOTIF_DEGREES = [0, 2, 4, 3, 2, 1, 2, 0] as const;

/** MIDI note of a scale degree (may be negative or past the octave) from the tonic note. */
function degreeToMidi(tonicMidi: number, steps: readonly number[], degree: number): number {
  const octave = Math.floor(degree / 7);
  const index = degree - octave * 7;
  return tonicMidi + octave * 12 + steps[index]!;
}

/**
 * The default motif in a key (canonical key name, e.g. "A minor"): the tonic sits in octave 4
 * (C4-B4, so A minor starts on A4 = 440 Hz), the phrase follows DEFAULT_MOTIF_DEGREES.
 */
export function defaultMotif(keyName: string): number[] {
  const key = keyOf(keyName);
  const tonic = 60 + key.pitchClass;
  const steps = key.quality === 'major' ? MAJOR_STEPS : MINOR_STEPS;
  return DEFAULT_MOTIF_DEGREES.map((d) => degreeToMidi(tonic, steps, d));
}
