/**
 * The band map's data: which frequency range each layer occupies (its own band, or the typical
 * band of its role from the domain notes) and which layers overlap.
 */
import { SAME_BAND_IOU, bandIoU } from '../domain/lint.js';
import type { Band, Layer, Spec } from '../domain/spec.js';
import type { Role } from '../domain/vocabulary.js';

/**
 * The typical band of each role (the five-layer stack of the domain notes); a custom layer has
 * none. Used when a layer states no band of its own.
 */
export const ROLE_BANDS: Readonly<Record<Role, Band | undefined>> = {
  foundation: { lowHz: 80, highHz: 500 },
  core: { lowHz: 200, highHz: 8000 },
  transient: { lowHz: 1000, highHz: 5000 },
  harmony: { lowHz: 300, highHz: 6000 },
  air: { lowHz: 8000, highHz: 18000 },
  custom: undefined,
};

/** The kick's sub-bass band, drawn inside the reserved range. */
export const KICK_BAND: Band = { lowHz: 40, highHz: 80 };

export interface LayerBand {
  readonly layer: Layer;
  /** The band drawn: the layer's own, else its role's typical band; undefined for none. */
  readonly band: Band | undefined;
  /** True when the band is the role's default (the layer states none). */
  readonly isDefault: boolean;
}

export function layerBands(spec: Spec): LayerBand[] {
  return spec.layers.map((layer) => {
    if (layer.band) return { layer, band: layer.band, isDefault: false };
    return { layer, band: ROLE_BANDS[layer.role], isDefault: true };
  });
}

export interface BandOverlap {
  /** Indexes into spec.layers, a < b. */
  readonly a: number;
  readonly b: number;
  /** The shared range. */
  readonly lowHz: number;
  readonly highHz: number;
  /** Log-frequency intersection over union (src/domain/lint.ts bandIoU). */
  readonly iou: number;
  /** True when the lint's same-band rule would flag the pair (IoU ≥ SAME_BAND_IOU). */
  readonly sameBand: boolean;
}

/** Every pair of drawn bands that share a range, in layer order. */
export function bandOverlaps(bands: readonly LayerBand[]): BandOverlap[] {
  const overlaps: BandOverlap[] = [];
  for (let b = 0; b < bands.length; b++) {
    const bandB = bands[b]!.band;
    if (!bandB) continue;
    for (let a = 0; a < b; a++) {
      const bandA = bands[a]!.band;
      if (!bandA) continue;
      const lowHz = Math.max(bandA.lowHz, bandB.lowHz);
      const highHz = Math.min(bandA.highHz, bandB.highHz);
      if (highHz <= lowHz) continue;
      const iou = bandIoU(bandA, bandB);
      overlaps.push({ a, b, lowHz, highHz, iou, sameBand: iou >= SAME_BAND_IOU });
    }
  }
  return overlaps;
}
