/**
 * A timing helper for `npm run bench`: draws a spec's chart repeatedly, as the chart worker does
 * (renderChartPng), and reports the median and p95 of the whole picture and the median of each
 * step: building the SVG (labels as outlines), resvg's parse, its render, and the PNG encoding.
 * Not used by tests (no timed tests).
 */
import { performance } from 'node:perf_hooks';
import { getBuiltinPreset } from '../domain/presets.js';
import type { Spec } from '../domain/spec.js';
import { parseSvg, renderChartPngSvg } from './png.js';
import { encodePng } from './pngEncode.js';

export interface ChartBenchmark {
  readonly runs: number;
  /** SVG build, ms. */
  readonly svgMedianMs: number;
  /** resvg: SVG parse (and layout of any <text> left to it), ms. */
  readonly parseMedianMs: number;
  /** resvg: rasterizing, ms. */
  readonly rasterMedianMs: number;
  /** PNG encoding, ms. */
  readonly encodeMedianMs: number;
  /** SVG build + PNG rasterization, ms. */
  readonly totalMedianMs: number;
  readonly totalP95Ms: number;
  readonly pngBytes: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function median(times: number[]): number {
  return quantile(
    times.sort((a, b) => a - b),
    0.5,
  );
}

/** Times `runs` full renders (after 2 warm-ups) of the chart for `spec` (default: the calling preset). */
export function chartBenchmark(spec: Spec = callingSpec(), runs = 20): ChartBenchmark {
  const svgTimes: number[] = [];
  const parseTimes: number[] = [];
  const rasterTimes: number[] = [];
  const encodeTimes: number[] = [];
  const totalTimes: number[] = [];
  let pngBytes = 0;
  for (let i = -2; i < runs; i++) {
    const t0 = performance.now();
    const svg = renderChartPngSvg(spec);
    const t1 = performance.now();
    const resvg = parseSvg(svg);
    const t2 = performance.now();
    const image = resvg.render();
    const t3 = performance.now();
    pngBytes = encodePng(image.pixels, image.width, image.height).length;
    const t4 = performance.now();
    if (i < 0) continue; // warm-up
    svgTimes.push(t1 - t0);
    parseTimes.push(t2 - t1);
    rasterTimes.push(t3 - t2);
    encodeTimes.push(t4 - t3);
    totalTimes.push(t4 - t0);
  }
  totalTimes.sort((a, b) => a - b);
  return {
    runs,
    svgMedianMs: median(svgTimes),
    parseMedianMs: median(parseTimes),
    rasterMedianMs: median(rasterTimes),
    encodeMedianMs: median(encodeTimes),
    totalMedianMs: quantile(totalTimes, 0.5),
    totalP95Ms: quantile(totalTimes, 0.95),
    pngBytes,
  };
}

function callingSpec(): Spec {
  const preset = getBuiltinPreset('calling');
  if (!preset) throw new Error('the calling preset is missing');
  return preset.spec;
}
