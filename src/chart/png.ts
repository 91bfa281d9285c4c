/**
 * Rasterizes the chart with @resvg/resvg-js, using the DejaVu Sans fonts shipped in the
 * dejavu-fonts-ttf package (never system fonts), so the picture is the same on every machine.
 */
import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';
import type { Spec } from '../domain/spec.js';
import { CHART_MAX_WIDTH, CHART_WIDTH, renderChartSvg, type ChartOptions } from './chart.js';

const require = createRequire(import.meta.url);

/** The font files the chart uses: DejaVu Sans regular and bold. */
export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

export interface PngOptions extends ChartOptions {
  /**
   * Output width in px, CHART_WIDTH (default) to CHART_MAX_WIDTH; the height follows the aspect
   * ratio. Never narrower than native, so every text stays at least 12 px.
   */
  readonly width?: number;
}

/** Rasterizes an SVG string (from renderChartSvg) to PNG bytes. */
export function svgToPng(svg: string, width: number = CHART_WIDTH): Buffer {
  if (!Number.isInteger(width) || width < CHART_WIDTH || width > CHART_MAX_WIDTH) {
    throw new RangeError(`chart width must be a whole number from ${CHART_WIDTH} to ${CHART_MAX_WIDTH}, not ${width}`);
  }
  const resvg = new Resvg(svg, {
    font: { fontFiles: [...CHART_FONT_FILES], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

/** The chart as PNG bytes. */
export function renderChartPng(spec: Spec, options: PngOptions = {}): Buffer {
  return svgToPng(renderChartSvg(spec, options), options.width ?? CHART_WIDTH);
}
