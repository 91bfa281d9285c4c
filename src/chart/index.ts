/** The draft's picture: band map, sidechain gain curve and arrangement timeline (SVG and PNG). */
export {
  BACKGROUND,
  CHART_HEIGHT,
  CHART_MAX_WIDTH,
  CHART_WIDTH,
  COLORS,
  MIN_FONT_PX,
  REGION_COLORS,
  ROLE_COLORS,
  chartGeometry,
  renderChartSvg,
  timelineLastBar,
  type ChartGeometry,
  type ChartOptions,
} from './chart.js';
export { CHART_FONT_FILES, renderChartPng, svgToPng, type PngOptions } from './png.js';
export { KICK_BAND, ROLE_BANDS, bandOverlaps, layerBands, type BandOverlap, type LayerBand } from './bands.js';
export { RELEASE_CURVE_K, sidechainCurve, sidechainGainDb } from './sidechain.js';
export { chartBenchmark, type ChartBenchmark } from './bench.js';
export { escapeXml } from './svg.js';
