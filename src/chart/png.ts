/**
 * Rasterizes the chart with @resvg/resvg-js, using the DejaVu Sans fonts shipped in the
 * dejavu-fonts-ttf package (never system fonts), so the picture is the same on every machine.
 * The chart's labels reach resvg as outlines (./glyphs.ts), so resvg lays out no text; only a
 * label the outline shaper leaves alone (e.g. CJK in a style) is a <text> element resvg draws.
 */
import { Resvg } from '@resvg/resvg-js';
import type { Spec } from '../domain/spec.js';
import { CHART_MAX_WIDTH, CHART_WIDTH, renderChartSvg, type ChartOptions } from './chart.js';
import { CHART_FONT_FILES, textPath } from './glyphs.js';
import { encodePng } from './pngEncode.js';

export { CHART_FONT_FILES };

export interface PngOptions extends ChartOptions {
  /**
   * Output width in px, CHART_WIDTH (default) to CHART_MAX_WIDTH; the height follows the aspect
   * ratio. Never narrower than native, so every text stays at least 12 px.
   */
  readonly width?: number;
}

/** Parses an SVG for resvg at an output width (checked: CHART_WIDTH … CHART_MAX_WIDTH). */
export function parseSvg(svg: string, width: number = CHART_WIDTH): Resvg {
  if (!Number.isInteger(width) || width < CHART_WIDTH || width > CHART_MAX_WIDTH) {
    throw new RangeError(`chart width must be a whole number from ${CHART_WIDTH} to ${CHART_MAX_WIDTH}, not ${width}`);
  }
  return new Resvg(svg, {
    // Loading the fonts costs ~0.4 ms a picture: only when some text is left to resvg.
    font: svg.includes('<text') ? { fontFiles: [...CHART_FONT_FILES], loadSystemFonts: false, defaultFontFamily: 'DejaVu Sans' } : { loadSystemFonts: false },
    fitTo: { mode: 'width', value: width },
    background: '#ffffff',
    logLevel: 'off',
  });
}

/** Rasterizes an SVG string (from renderChartSvg or renderChartPngSvg) to PNG bytes. */
export function svgToPng(svg: string, width: number = CHART_WIDTH): Buffer {
  const image = parseSvg(svg, width).render();
  return encodePng(image.pixels, image.width, image.height);
}

/** The SVG that renderChartPng rasterizes: the chart with its labels as outlines. */
export function renderChartPngSvg(spec: Spec, options: ChartOptions = {}): string {
  return renderChartSvg(spec, options, textPath);
}

/** The chart as PNG bytes. */
export function renderChartPng(spec: Spec, options: PngOptions = {}): Buffer {
  return svgToPng(renderChartPngSvg(spec, options), options.width ?? CHART_WIDTH);
}
