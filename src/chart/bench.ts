/**
 * A timing helper for `npm run bench`: renders a spec's chart repeatedly and reports the median
 * and p95 of building the SVG and of rasterizing it. Not used by tests (no timed tests).
 */
import { performance } from 'node:perf_hooks';
import { getBuiltinPreset } from '../domain/presets.js';
import type { Spec } from '../domain/spec.js';
import { renderChartSvg } from './chart.js';
import { svgToPng } from './png.js';

export interface ChartBenchmark {
  readonly runs: number;
  /** SVG build, ms. */
  readonly svgMedianMs: number;
  /** SVG build + PNG rasterization, ms. */
  readonly totalMedianMs: number;
  readonly totalP95Ms: number;
  readonly pngBytes: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Times `runs` full renders (after 2 warm-ups) of the chart for `spec` (default: the calling preset). */
export function chartBenchmark(spec: Spec = callingSpec(), runs = 20): ChartBenchmark {
  for (let i = 0; i < 2; i++) svgToPng(renderChartSvg(spec));
  const svgTimes: number[] = [];
  const totalTimes: number[] = [];
  let pngBytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const svg = renderChartSvg(spec);
    const t1 = performance.now();
    pngBytes = svgToPng(svg).length;
    const t2 = performance.now();
    svgTimes.push(t1 - t0);
    totalTimes.push(t2 - t0);
  }
  svgTimes.sort((a, b) => a - b);
  totalTimes.sort((a, b) => a - b);
  return {
    runs,
    svgMedianMs: quantile(svgTimes, 0.5),
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
