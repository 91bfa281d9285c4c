/**
 * The draft spec: everything a producer states about a track's lead stack, as a versioned,
 * validated object. Pure data; no Discord here.
 */
import { z } from 'zod';
import { normalizeKey } from './key.js';
import { BRIGHTNESS, DENSITY, EDGE, FILTER_TYPES, MOVEMENT, ROLES, WAVEFORMS } from './vocabulary.js';

export const SPEC_VERSION = 1 as const;

/**
 * Bounds on every list and free-text field. Chosen so that the full prompt of any valid spec fits
 * one Discord text block (4000 characters) and a layer's summary line fits comfortably in a card.
 */
export const LIMITS = {
  name: 32,
  title: 60,
  description: 160,
  style: 120,
  references: 3,
  referenceArtist: 48,
  referenceTitle: 64,
  spectralNotes: 160,
  attack: 240,
  sidechainNotes: 100,
  timingNote: 100,
  layers: 8,
  layerId: 24,
  textureWords: 3,
  textureWord: 20,
  movementQualifier: 32,
  synthNotes: 60,
  arrangement: 400,
  bpm: { min: 60, max: 200 },
  bar: { min: 1, max: 512 },
  hz: { min: 20, max: 20000 },
} as const;

/** Trimmed single-line text: no control characters, collapsed whitespace. */
function text(max: number, min = 1) {
  return z
    .string()
    .transform((s) =>
      s
        // control characters, bidi overrides/isolates and zero-width characters can disguise text
        .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .pipe(z.string().min(min).max(max));
}

const hz = z.number().int().min(LIMITS.hz.min).max(LIMITS.hz.max);

export const BandSchema = z
  .object({ lowHz: hz, highHz: hz })
  .refine((b) => b.lowHz < b.highHz, { message: 'must be above lowHz', path: ['highHz'], params: { reason: 'band_order' } });
export type Band = z.infer<typeof BandSchema>;

export const KeySchema = z.string().transform((value, ctx) => {
  const key = normalizeKey(value);
  if (!key) {
    ctx.addIssue({ code: 'custom', message: `"${value.slice(0, 24)}" is not a key (try "A minor", "F#m" or "Db major")`, params: { reason: 'key' } });
    return z.NEVER;
  }
  return key;
});

export const ReferenceSchema = z.strictObject({
  artist: text(LIMITS.referenceArtist),
  title: text(LIMITS.referenceTitle),
});
export type Reference = z.infer<typeof ReferenceSchema>;

export const TrackSchema = z.strictObject({
  bpm: z.number().int().min(LIMITS.bpm.min).max(LIMITS.bpm.max),
  key: KeySchema,
  style: text(LIMITS.style),
  references: z.array(ReferenceSchema).max(LIMITS.references).default([]),
});
export type Track = z.infer<typeof TrackSchema>;

export const SpectralSchema = z.strictObject({
  /** Everything below this is left clean for kick and bass. */
  subReservedBelowHz: hz.default(200),
  /** The range the whole lead stack occupies. */
  leadRange: BandSchema.optional(),
  notes: text(LIMITS.spectralNotes).optional(),
});
export type Spectral = z.infer<typeof SpectralSchema>;

export const AttackSchema = z.strictObject({
  description: text(LIMITS.attack),
});
export type Attack = z.infer<typeof AttackSchema>;

export const SidechainSchema = z.strictObject({
  /** Gain reduction per kick, dB (positive number). */
  duckDb: z.number().min(0).max(24),
  attackMs: z.number().min(0).max(100).optional(),
  releaseMs: z.number().min(1).max(2000),
  /** Compression ratio N in N:1. */
  ratio: z.number().min(1).max(100).optional(),
  notes: text(LIMITS.sidechainNotes).optional(),
});
export type Sidechain = z.infer<typeof SidechainSchema>;

const bar = z.number().int().min(LIMITS.bar.min).max(LIMITS.bar.max);

export const TimingSchema = z.strictObject({
  buildStartBar: bar.optional(),
  buildNote: text(LIMITS.timingNote).optional(),
  sweepApexBar: bar.optional(),
  dropBar: bar.optional(),
  dropNote: text(LIMITS.timingNote).optional(),
  breakBar: bar.optional(),
  breakNote: text(LIMITS.timingNote).optional(),
  secondDropBar: bar.optional(),
});
export type Timing = z.infer<typeof TimingSchema>;

export const MovementSchema = z.strictObject({
  kind: z.enum(MOVEMENT),
  qualifier: text(LIMITS.movementQualifier).optional(),
});
export type MovementSpec = z.infer<typeof MovementSchema>;

const textureWord = text(LIMITS.textureWord).pipe(
  z.string().regex(/^[\p{L}][\p{L}' -]*$/u, { message: 'a texture word is letters, spaces, hyphens or apostrophes only' }),
);

export const LtvSchema = z.strictObject({
  texture: z.array(textureWord).min(1).max(LIMITS.textureWords),
  brightness: z.enum(BRIGHTNESS),
  movement: MovementSchema,
  density: z.enum(DENSITY),
  edge: z.enum(EDGE),
});
export type Ltv = z.infer<typeof LtvSchema>;

export const FilterSchema = z.strictObject({
  type: z.enum(FILTER_TYPES),
  cutoffHz: hz,
  resonancePct: z.number().min(0).max(100).optional(),
});
export type Filter = z.infer<typeof FilterSchema>;

export const EnvelopeSchema = z.strictObject({
  attackMs: z.number().min(0).max(10000).optional(),
  decayMs: z.number().min(0).max(10000).optional(),
  sustainPct: z.number().min(0).max(100).optional(),
  releaseMs: z.number().min(0).max(10000).optional(),
});
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const SynthSchema = z.strictObject({
  waveform: z.enum(WAVEFORMS).optional(),
  voices: z.number().int().min(1).max(16).optional(),
  /** Total detune spread across the unison voices, cents. */
  detuneCents: z.number().min(0).max(100).optional(),
  /** Octave offset from the melody (-1 = one octave below). */
  octave: z.number().int().min(-3).max(3).optional(),
  /** Interval above the melody, semitones (7 = perfect fifth, 3 = minor third). */
  intervalSemitones: z.number().int().min(-24).max(24).optional(),
  filter: FilterSchema.optional(),
  envelope: EnvelopeSchema.optional(),
  /** Level relative to the core layer, dB (negative = quieter). */
  levelDb: z.number().min(-60).max(12).optional(),
  /** Stereo width, percent (0 = mono). */
  stereoWidthPct: z.number().min(0).max(100).optional(),
  sidechained: z.boolean().optional(),
  notes: text(LIMITS.synthNotes).optional(),
});
export type Synth = z.infer<typeof SynthSchema>;

export const LayerIdSchema = z
  .string()
  .regex(new RegExp(`^[a-z][a-z0-9_]{0,${LIMITS.layerId - 1}}$`), {
    message: `a layer id is lowercase letters, digits and underscores, starting with a letter, at most ${LIMITS.layerId} characters`,
  });

export const LayerSchema = z.strictObject({
  id: LayerIdSchema,
  role: z.enum(ROLES),
  band: BandSchema.optional(),
  ltv: LtvSchema,
  synth: SynthSchema.optional(),
});
export type Layer = z.infer<typeof LayerSchema>;

export const ExtrasSchema = z.strictObject({
  chainOfThought: z.boolean().default(false),
  referenceAnchor: z.boolean().default(false),
});
export type Extras = z.infer<typeof ExtrasSchema>;

export const SpecSchema = z
  .object({
    version: z.literal(SPEC_VERSION),
    track: TrackSchema,
    spectral: SpectralSchema.default({ subReservedBelowHz: 200 }),
    attack: AttackSchema.optional(),
    sidechain: SidechainSchema.optional(),
    timing: TimingSchema.default({}),
    layers: z.array(LayerSchema).min(1).max(LIMITS.layers),
    arrangement: z.strictObject({ intent: text(LIMITS.arrangement) }).optional(),
    extras: ExtrasSchema.default({ chainOfThought: false, referenceAnchor: false }),
  })
  .superRefine((spec, ctx) => {
    const seen = new Map<string, number>();
    spec.layers.forEach((layer, index) => {
      const first = seen.get(layer.id);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['layers', index, 'id'],
          message: `layer id "${layer.id}" is already used by layer ${first + 1}`,
          params: { reason: 'duplicate_layer' },
        });
      } else {
        seen.set(layer.id, index);
      }
    });
  });

/** A validated spec (output of parsing: defaults filled, text trimmed, key canonical). */
export type Spec = z.infer<typeof SpecSchema>;
/** What a spec looks like before validation (e.g. in a JSON file). */
export type SpecInput = z.input<typeof SpecSchema>;
