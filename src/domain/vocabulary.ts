/**
 * The Layer Timbral Vocabulary (LTV): controlled words for four of the five fields, with the
 * measurable meaning each word carries. Texture is free (1-3 adjectives) but has a suggested list.
 */

export const BRIGHTNESS = ['dark', 'warm', 'neutral', 'bright', 'brilliant'] as const;
export type Brightness = (typeof BRIGHTNESS)[number];

export const MOVEMENT = ['static', 'breathing', 'evolving', 'aggressive'] as const;
export type Movement = (typeof MOVEMENT)[number];

export const DENSITY = ['sparse', 'moderate', 'dense', 'massive'] as const;
export type Density = (typeof DENSITY)[number];

export const EDGE = ['soft', 'medium', 'sharp', 'percussive'] as const;
export type Edge = (typeof EDGE)[number];

export const ROLES = ['foundation', 'core', 'transient', 'harmony', 'air', 'custom'] as const;
export type Role = (typeof ROLES)[number];

export const WAVEFORMS = ['saw', 'supersaw', 'square', 'pulse', 'triangle', 'sine', 'noise', 'noise+saw', 'wavetable', 'fm', 'sample'] as const;
export type Waveform = (typeof WAVEFORMS)[number];

export const FILTER_TYPES = ['lp12', 'lp24', 'hp12', 'hp24', 'bp', 'notch'] as const;
export type FilterType = (typeof FILTER_TYPES)[number];

/** Textures the domain notes name; others are allowed. */
export const SUGGESTED_TEXTURES = [
  'warm', 'glassy', 'gritty', 'silky', 'metallic', 'woolly', 'woody', 'hollow', 'rich', 'chest-filling',
  'crisp', 'dry', 'percussive', 'ghostly', 'smooth', 'airy', 'weightless',
] as const;

/** A half-open band [lowHz, highHz) of spectral centroid for each brightness word. */
export const BRIGHTNESS_CENTROID_HZ: Readonly<Record<Brightness, { lowHz: number; highHz: number }>> = {
  dark: { lowHz: 0, highHz: 1000 },
  warm: { lowHz: 1000, highHz: 3000 },
  neutral: { lowHz: 3000, highHz: 5000 },
  bright: { lowHz: 5000, highHz: 8000 },
  brilliant: { lowHz: 8000, highHz: 20000 },
};

/** Unison voice counts each density word implies (by voices alone; reverb can add density). */
export const DENSITY_VOICES: Readonly<Record<Density, { min: number; max: number }>> = {
  sparse: { min: 1, max: 2 },
  moderate: { min: 3, max: 4 },
  dense: { min: 5, max: 6 },
  massive: { min: 7, max: Number.POSITIVE_INFINITY },
};

/** Amplitude attack times (ms) each edge word implies; `max` is exclusive. */
export const EDGE_ATTACK_MS: Readonly<Record<Edge, { min: number; max: number }>> = {
  percussive: { min: 0, max: 2 },
  sharp: { min: 0, max: 5 },
  medium: { min: 5, max: 20 },
  soft: { min: 20, max: Number.POSITIVE_INFINITY },
};

/** One-line meanings, used by help text and the chain-of-thought preamble. */
export const MEANINGS = {
  brightness: {
    dark: 'spectral centroid below 1 kHz',
    warm: 'centroid 1-3 kHz, no harsh peaks',
    neutral: 'centroid 3-5 kHz, balanced',
    bright: 'centroid 5-8 kHz, presence peak',
    brilliant: 'strong energy above 8 kHz',
  },
  movement: {
    static: 'no modulation',
    breathing: 'tempo-synced amplitude modulation (sidechain)',
    evolving: 'slow filter or pitch drift over more than a beat',
    aggressive: 'fast, sharp modulation (tremolo, hard filter LFO)',
  },
  density: {
    sparse: '1-2 voices, little reverb',
    moderate: '3-4 voices or a medium reverb wash',
    dense: '5-6 voices or a long reverb tail',
    massive: '7-8+ voices, wide',
  },
  edge: {
    soft: 'attack over 20 ms, notes blend',
    medium: 'attack 5-20 ms, distinct but smooth',
    sharp: 'attack under 5 ms, defined note boundaries',
    percussive: 'attack under 2 ms, mostly transient',
  },
} as const satisfies Record<'brightness' | 'movement' | 'density' | 'edge', Record<string, string>>;
