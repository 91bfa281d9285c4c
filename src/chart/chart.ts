/**
 * The draft's picture as SVG, built in code (no DOM): three panels on one 1200 × 900 canvas.
 *
 * 1. Band map: every layer's band on a log axis 20 Hz-20 kHz, coloured by role; the reserved sub
 *    range (kick + bass) as its own shaded row; the lead range outlined; overlaps marked (hatched
 *    where two layers claim the same band by the lint's IoU rule, a light strip otherwise).
 * 2. Sidechain: the gain curve over one bar at the draft's BPM (model in ./sidechain.ts), kicks on
 *    the beats, the recommended release window (70-80 % of a beat after each kick) shaded.
 * 3. Arrangement: build, sweep apex, drop, break and second drop over bars 1 … (last marker + 16),
 *    with bar numbers and timestamps.
 *
 * Pure and deterministic: the same spec gives the same bytes. All user text is XML-escaped. Text is
 * at least 12 px at the native width (the PNG is never rendered narrower, see ./png.ts).
 */
import { SAME_BAND_IOU } from '../domain/lint.js';
import { buildRange, formatBand, formatHz, formatNumber, pumpCharacter } from '../domain/render.js';
import type { Spec } from '../domain/spec.js';
import { BEATS_PER_BAR, barTimestamp, formatMs, msPerBar, msPerBeat, releaseWindow } from '../domain/timing.js';
import type { Role } from '../domain/vocabulary.js';
import { KICK_BAND, bandOverlaps, layerBands } from './bands.js';
import { sidechainCurve } from './sidechain.js';
import { clipText, el, escapeXml, line, n, rect, text as svgText, textWidth, type TextOptions } from './svg.js';

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 900;
/** Widest PNG rendered: 4x the native width. */
export const CHART_MAX_WIDTH = CHART_WIDTH * 4;
/** Smallest font size used anywhere in the chart, px at CHART_WIDTH. */
export const MIN_FONT_PX = 12;

export const BACKGROUND = '#ffffff';

/** Role colours (Okabe-Ito palette: distinguishable with the common colour-vision deficiencies). */
export const ROLE_COLORS: Readonly<Record<Role, string>> = {
  foundation: '#d55e00',
  core: '#0072b2',
  transient: '#e69f00',
  harmony: '#009e73',
  air: '#56b4e9',
  custom: '#cc79a7',
};

export const COLORS = {
  text: '#222222',
  muted: '#5f6270',
  frame: '#c9cbd3',
  grid: '#e4e5ea',
  reserved: '#dcdde3',
  kick: '#8a8c99',
  leadRange: '#3d3f4a',
  sameBand: '#c0392b',
  overlap: '#9a9cab',
  curve: '#1f4e9c',
  releaseWindow: '#bfe3c0',
  kickMarker: '#333640',
  apex: '#8e44ad',
} as const;

export const REGION_COLORS = {
  build: { fill: '#fbe3c0', stroke: '#d99a3e' },
  lift: { fill: '#fdf1df', stroke: '#d99a3e' },
  drop: { fill: '#f6c1be', stroke: '#c0504d' },
  break: { fill: '#cfe0f3', stroke: '#5b8cc6' },
  secondDrop: { fill: '#f2a7a2', stroke: '#a93226' },
} as const;

const FREQ_MIN = 20;
const FREQ_MAX = 20000;
export const FREQ_TICKS = [20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000] as const;

/** Left edge of every plot (the column to its left holds names and legends) and right edge. */
const PLOT_X0 = 210;
const PLOT_X1 = 1170;
const PLOT_W = PLOT_X1 - PLOT_X0;

interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ChartGeometry {
  readonly width: number;
  readonly height: number;
  readonly panels: { readonly bandMap: Box; readonly sidechain: Box; readonly timeline: Box };
  readonly bandMap: {
    readonly plot: Box;
    /** x of a frequency on the log axis. */
    x(hz: number): number;
    /** The reserved (kick + bass) row. */
    readonly reservedRow: Box;
    /** The row of layer `index` (spec order). */
    row(index: number): Box;
    /** Height of a band bar, centred in its row. */
    readonly barHeight: number;
  };
  readonly sidechain: {
    readonly plot: Box;
    /** x of a time in ms from the bar's downbeat. */
    x(ms: number): number;
    /** y of a gain in dB (0 at the top). */
    y(db: number): number;
    /** Lowest dB on the axis (negative). */
    readonly minDb: number;
  };
  readonly timeline: {
    readonly plot: Box;
    /** Bars shown: 1 … lastBar. */
    readonly lastBar: number;
    /** x of the downbeat of a bar (lastBar + 1 = the right edge). */
    x(bar: number): number;
    /** The lane regions are drawn in. */
    readonly regionLane: Box;
  };
}

/** Where everything sits for a spec. Tests use this to find pixels; the renderer draws with it. */
export function chartGeometry(spec: Spec): ChartGeometry {
  const bandPanel: Box = { x: 10, y: 54, width: 1180, height: 398 };
  const sidePanel: Box = { x: 10, y: 462, width: 1180, height: 240 };
  const timePanel: Box = { x: 10, y: 712, width: 1180, height: 178 };

  // Band map: a reserved row, then one row per layer.
  const rowsTop = 112;
  const rowsBottom = 414;
  const rowCount = spec.layers.length + 1;
  const rowH = Math.min(52, (rowsBottom - rowsTop) / rowCount);
  const bandPlot: Box = { x: PLOT_X0, y: rowsTop, width: PLOT_W, height: rowH * rowCount };
  const logSpan = Math.log10(FREQ_MAX / FREQ_MIN);
  const xHz = (hz: number) => PLOT_X0 + (Math.log10(Math.min(FREQ_MAX, Math.max(FREQ_MIN, hz)) / FREQ_MIN) / logSpan) * PLOT_W;

  // Sidechain: 0 dB at the top down to a whole multiple of 3 dB below the duck.
  const duck = spec.sidechain?.duckDb ?? 0;
  const minDb = -Math.max(9, Math.ceil((duck + 1) / 3) * 3);
  const sidePlot: Box = { x: PLOT_X0, y: 524, width: PLOT_W, height: 146 };
  const bar = msPerBar(spec.track.bpm);

  // Timeline.
  const lastBar = timelineLastBar(spec);
  const timePlot: Box = { x: PLOT_X0, y: 748, width: PLOT_W, height: 96 };
  const regionLane: Box = { x: PLOT_X0, y: 778, width: PLOT_W, height: 58 };

  return {
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    panels: { bandMap: bandPanel, sidechain: sidePanel, timeline: timePanel },
    bandMap: {
      plot: bandPlot,
      x: xHz,
      reservedRow: { x: PLOT_X0, y: rowsTop, width: PLOT_W, height: rowH },
      row: (index: number) => ({ x: PLOT_X0, y: rowsTop + rowH * (index + 1), width: PLOT_W, height: rowH }),
      barHeight: Math.round(rowH * 0.6),
    },
    sidechain: {
      plot: sidePlot,
      x: (ms: number) => PLOT_X0 + (ms / bar) * PLOT_W,
      y: (db: number) => sidePlot.y + (db / minDb) * sidePlot.height,
      minDb,
    },
    timeline: {
      plot: timePlot,
      lastBar,
      x: (b: number) => PLOT_X0 + ((b - 1) / lastBar) * PLOT_W,
      regionLane,
    },
  };
}

function timingMarkers(spec: Spec): number[] {
  const t = spec.timing;
  return [t.buildStartBar, t.sweepApexBar, t.dropBar, t.breakBar, t.secondDropBar].filter((b): b is number => b !== undefined);
}

/** The last bar the timeline shows: the last marker + 16 (32 bars when there is no marker). */
export function timelineLastBar(spec: Spec): number {
  const markers = timingMarkers(spec);
  return markers.length === 0 ? 32 : Math.max(...markers) + 16;
}

/** Draws one label: svg.ts `text` (a <text> element) or ./glyphs.ts `textPath` (outlines). */
export type DrawText = (x: number, y: number, content: string, options?: TextOptions) => string;

export interface ChartOptions {
  /** Replaces the title line (default: "BPM · key · style"). */
  readonly title?: string;
}

/**
 * The chart as a standalone SVG document. Labels are <text> elements by default; the PNG passes
 * ./glyphs.ts `textPath` to get them as outlines (see ./png.ts).
 */
export function renderChartSvg(spec: Spec, options: ChartOptions = {}, text: DrawText = svgText): string {
  const g = chartGeometry(spec);
  const titleText = options.title ?? `${spec.track.bpm} BPM · ${spec.track.key} · ${spec.track.style}`;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${g.width}" height="${g.height}" viewBox="0 0 ${g.width} ${g.height}" font-family="DejaVu Sans" shape-rendering="crispEdges">`,
    defs(),
    rect(0, 0, g.width, g.height, { fill: BACKGROUND }),
    el('g', { 'clip-path': 'url(#clip-title)' }, text(20, 36, clipText(titleText, g.width - 40, 20, true), { size: 20, bold: true })),
    bandMapPanel(spec, g, text),
    sidechainPanel(spec, g, text),
    timelinePanel(spec, g, text),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function defs(): string {
  return el(
    'defs',
    {},
    [
      el('clipPath', { id: 'clip-title' }, rect(0, 0, CHART_WIDTH, 50)),
      el(
        'pattern',
        { id: 'hatch-same', width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        rect(0, 0, 8, 8, { fill: '#ffffff', 'fill-opacity': 0.35 }) + line(0, 0, 0, 8, { stroke: COLORS.sameBand, 'stroke-width': 4 }),
      ),
      el(
        'pattern',
        { id: 'hatch-lift', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        rect(0, 0, 6, 6, { fill: REGION_COLORS.lift.fill }) + line(0, 0, 0, 6, { stroke: REGION_COLORS.build.stroke, 'stroke-width': 1.5 }),
      ),
    ].join(''),
  );
}

function frame(box: Box, heading: string, text: DrawText): string {
  return (
    rect(box.x, box.y, box.width, box.height, { fill: 'none', stroke: COLORS.frame, rx: 6 }) +
    text(box.x + 10, box.y + 24, heading, { size: 16, bold: true })
  );
}

function swatch(text: DrawText, x: number, y: number, fill: string, label: string, extra: Record<string, string | number> = {}): { svg: string; width: number } {
  const svg = rect(x, y - 11, 18, 12, { fill, ...extra }) + text(x + 24, y, label, { size: 13 });
  return { svg, width: 24 + textWidth(label, 13) + 18 };
}

// ---------------------------------------------------------------------------------------------
// Band map

function bandMapPanel(spec: Spec, g: ChartGeometry, text: DrawText): string {
  const { bandMap: bm } = g;
  const out: string[] = [frame(g.panels.bandMap, 'Band map', text)];

  // Legend line 1: roles present first, then the others.
  let lx = PLOT_X0;
  const roles = Object.keys(ROLE_COLORS) as Role[];
  for (const role of roles) {
    const s = swatch(text, lx, 78, ROLE_COLORS[role], role);
    out.push(s.svg);
    lx += s.width;
  }
  // Legend line 2: the marks.
  lx = PLOT_X0;
  const marks: Array<{ svg: string; width: number }> = [];
  marks.push(swatch(text, lx, 100, COLORS.reserved, `reserved for kick + bass (below ${formatHz(spec.spectral.subReservedBelowHz)})`));
  lx += marks[0]!.width;
  if (spec.spectral.leadRange) {
    const s = swatch(text, lx, 100, 'none', `lead range ${formatBand(spec.spectral.leadRange)}`, {
      stroke: COLORS.leadRange,
      'stroke-width': 2,
      'stroke-dasharray': '4 3',
    });
    marks.push(s);
    lx += s.width;
  }
  const same = swatch(text, lx, 100, 'url(#hatch-same)', `same band (IoU ≥ ${Math.round(SAME_BAND_IOU * 100)} %)`, { stroke: COLORS.sameBand });
  marks.push(same);
  lx += same.width;
  marks.push({ svg: rect(lx, 93, 18, 5, { fill: COLORS.overlap }) + text(lx + 24, 100, 'overlap', { size: 13 }), width: 0 });
  out.push(...marks.map((m) => m.svg));

  // Grid and ticks.
  const plot = bm.plot;
  const bottom = plot.y + plot.height;
  for (const hz of FREQ_TICKS) {
    const x = bm.x(hz);
    out.push(line(x, plot.y, x, bottom, { stroke: COLORS.grid }));
    out.push(line(x, bottom, x, bottom + 5, { stroke: COLORS.muted }));
    out.push(text(x, bottom + 20, tickLabel(hz), { size: 13, anchor: 'middle', fill: COLORS.muted }));
  }
  out.push(text(PLOT_X0 - 24, bottom + 20, 'Hz', { size: 13, anchor: 'end', fill: COLORS.muted }));
  out.push(line(PLOT_X0, bottom, PLOT_X1, bottom, { stroke: COLORS.muted }));

  // Reserved row: the shaded sub range, the kick inside it.
  const rr = bm.reservedRow;
  const reservedX = bm.x(spec.spectral.subReservedBelowHz);
  out.push(text(20, rr.y + rr.height / 2 + 5, 'kick + bass', { size: 13, fill: COLORS.muted }));
  out.push(rect(PLOT_X0, rr.y + 2, reservedX - PLOT_X0, rr.height - 4, { fill: COLORS.reserved }));
  const kickH = bm.barHeight;
  const kx0 = bm.x(KICK_BAND.lowHz);
  const kx1 = bm.x(Math.min(KICK_BAND.highHz, spec.spectral.subReservedBelowHz));
  if (kx1 > kx0) {
    out.push(rect(kx0, rr.y + (rr.height - kickH) / 2, kx1 - kx0, kickH, { fill: COLORS.kick, rx: 3 }));
    if (kx1 - kx0 > textWidth('kick', 13) + 8) {
      out.push(text((kx0 + kx1) / 2, rr.y + rr.height / 2 + 5, 'kick', { size: 13, anchor: 'middle', fill: '#ffffff' }));
    }
  }
  const reservedLabel = `reserved below ${formatHz(spec.spectral.subReservedBelowHz)}`;
  if (reservedX + 8 + textWidth(reservedLabel, 13) <= PLOT_X1) {
    out.push(text(reservedX + 8, rr.y + rr.height / 2 + 5, reservedLabel, { size: 13, fill: COLORS.muted }));
  }
  out.push(line(reservedX, rr.y, reservedX, bottom, { stroke: COLORS.muted, 'stroke-dasharray': '3 3' }));

  // Layer rows.
  const bands = layerBands(spec);
  const overlaps = bandOverlaps(bands);
  bands.forEach(({ layer, band, isDefault }, i) => {
    const row = bm.row(i);
    const yc = row.y + row.height / 2;
    const sameWith = overlaps.filter((o) => o.sameBand && (o.a === i || o.b === i)).map((o) => spec.layers[o.a === i ? o.b : o.a]!.id);
    const idY = sameWith.length > 0 ? yc - 2 : yc + 5;
    out.push(text(20, idY, clipText(layer.id, PLOT_X0 - 30, 13, true), { size: 13, bold: true, fill: ROLE_COLORS[layer.role] === ROLE_COLORS.air ? '#1b6f9c' : COLORS.text }));
    if (sameWith.length > 0) {
      out.push(text(20, yc + 13, clipText(`same band as ${sameWith.join(', ')}`, PLOT_X0 - 30, 12), { size: 12, fill: COLORS.sameBand }));
    }
    if (!band) {
      out.push(text(PLOT_X0 + 10, yc + 5, `${layer.role}: no band set`, { size: 13, fill: COLORS.muted }));
      return;
    }
    const x0 = bm.x(band.lowHz);
    const x1 = bm.x(band.highHz);
    const barY = yc - bm.barHeight / 2;
    out.push(rect(x0, barY, x1 - x0, bm.barHeight, { fill: ROLE_COLORS[layer.role], rx: 3 }));
    // Overlap marks on this layer's bar.
    for (const o of overlaps) {
      if (o.a !== i && o.b !== i) continue;
      const ox0 = bm.x(o.lowHz);
      const ox1 = bm.x(o.highHz);
      if (o.sameBand) {
        out.push(rect(ox0, barY, ox1 - ox0, bm.barHeight, { fill: 'url(#hatch-same)', stroke: COLORS.sameBand, 'stroke-width': 2 }));
      } else {
        out.push(rect(ox0, barY + bm.barHeight + 1, ox1 - ox0, 4, { fill: COLORS.overlap, 'fill-opacity': 0.7 }));
      }
    }
    const label = `${formatBand(band)}${isDefault ? ` (${layer.role} default)` : ''}`;
    const w = textWidth(label, 13);
    if (x1 + 8 + w <= PLOT_X1) out.push(text(x1 + 8, yc + 5, label, { size: 13, fill: COLORS.text }));
    else if (x0 - 8 - w >= PLOT_X0) out.push(text(x0 - 8, yc + 5, label, { size: 13, anchor: 'end', fill: COLORS.text }));
    else out.push(text(x0 + 6, yc + 5, clipText(label, x1 - x0 - 12, 13), { size: 13, fill: '#ffffff' }));
  });

  // Lead range outline over the layer rows.
  const lead = spec.spectral.leadRange;
  if (lead) {
    const first = bm.row(0);
    const lx0 = bm.x(lead.lowHz);
    const lx1 = bm.x(lead.highHz);
    out.push(rect(lx0, first.y + 1, lx1 - lx0, bottom - first.y - 2, { fill: 'none', stroke: COLORS.leadRange, 'stroke-width': 2, 'stroke-dasharray': '6 4', rx: 4 }));
  }
  return el('g', { id: 'band-map' }, out.join(''));
}

function tickLabel(hz: number): string {
  return hz >= 1000 ? `${hz / 1000}k` : String(hz);
}

// ---------------------------------------------------------------------------------------------
// Sidechain

function sidechainPanel(spec: Spec, g: ChartGeometry, text: DrawText): string {
  const sc = g.sidechain;
  const plot = sc.plot;
  const bpm = spec.track.bpm;
  const beat = msPerBeat(bpm);
  const barMs = msPerBar(bpm);
  const out: string[] = [frame(g.panels.sidechain, 'Sidechain', text)];
  const side = spec.sidechain;
  const window = releaseWindow(bpm);

  // Summary line.
  const summary = side
    ? [
        `${formatNumber(side.duckDb, 1)} dB duck`,
        side.attackMs !== undefined ? `${formatMs(side.attackMs)} ms attack` : undefined,
        `${formatMs(side.releaseMs)} ms release`,
        side.ratio !== undefined ? `ratio ${formatNumber(side.ratio, 1)}:1` : undefined,
        `${pumpCharacter(side.releaseMs, bpm).word} pump`,
      ]
        .filter((s): s is string => s !== undefined)
        .join(' · ')
    : 'no sidechain set';
  // Text is the costly part of rasterizing (about 27 µs a glyph), so labels say things once.
  out.push(text(PLOT_X0, g.panels.sidechain.y + 24, summary, { size: 14, bold: side !== undefined }));
  out.push(
    text(PLOT_X0, g.panels.sidechain.y + 42, `release window ${Math.round(window.minMs)}-${Math.round(window.maxMs)} ms (70-80 % of a ${formatMs(beat)} ms beat at ${bpm} BPM)`, {
      size: 13,
      fill: COLORS.muted,
    }),
  );

  // Legend in the left column.
  out.push(line(20, 540, 44, 540, { stroke: COLORS.curve, 'stroke-width': 3 }) + text(52, 545, 'gain (dB)', { size: 13 }));
  out.push(rect(20, 558, 24, 12, { fill: COLORS.releaseWindow }) + text(52, 569, 'release window', { size: 13 }));
  out.push(kickTriangle(32, 584) + text(52, 593, 'kick', { size: 13 }));

  // Release windows (under everything else).
  const bottom = plot.y + plot.height;
  if (side) {
    for (let i = 0; i < BEATS_PER_BAR; i++) {
      const k = i * beat;
      const x0 = sc.x(Math.min(barMs, k + window.minMs));
      const x1 = sc.x(Math.min(barMs, k + window.maxMs));
      out.push(rect(x0, plot.y, x1 - x0, plot.height, { fill: COLORS.releaseWindow }));
    }
  }
  // dB grid.
  for (let db = 0; db >= sc.minDb; db -= 3) {
    const y = sc.y(db);
    out.push(line(PLOT_X0, y, PLOT_X1, y, { stroke: COLORS.grid }));
    out.push(text(PLOT_X0 - 8, y + 5, `${db === 0 ? '0' : db} dB`, { size: 13, anchor: 'end', fill: COLORS.muted }));
  }
  // Beat lines, kicks and time labels.
  for (let i = 0; i <= BEATS_PER_BAR; i++) {
    const t = i * beat;
    const x = sc.x(t);
    out.push(line(x, plot.y, x, bottom, { stroke: i === 0 || i === BEATS_PER_BAR ? COLORS.muted : '#b9bbc6', 'stroke-dasharray': i === 0 || i === BEATS_PER_BAR ? undefined : '4 3' }));
    const anchor = i === 0 ? 'start' : i === BEATS_PER_BAR ? 'end' : 'middle';
    const label = i < BEATS_PER_BAR ? `beat ${i + 1} · ${formatMs(Math.round(t * 10) / 10)} ms` : `${formatMs(Math.round(t * 10) / 10)} ms`;
    out.push(text(x, bottom + 18, label, { size: 13, anchor, fill: COLORS.muted }));
    if (i < BEATS_PER_BAR) out.push(kickTriangle(x, plot.y - 2));
  }
  out.push(line(PLOT_X0, bottom, PLOT_X1, bottom, { stroke: COLORS.muted }));

  if (side) {
    // Duck depth reference line, then the curve on top.
    const yd = sc.y(-side.duckDb);
    out.push(line(PLOT_X0, yd, PLOT_X1, yd, { stroke: COLORS.curve, 'stroke-opacity': 0.5, 'stroke-dasharray': '2 4' }));
    const points = sidechainCurve(bpm, side)
      .map((p) => `${n(sc.x(p.tMs))},${n(sc.y(p.db))}`)
      .join(' ');
    out.push(el('polyline', { points, fill: 'none', stroke: COLORS.curve, 'stroke-width': 3, 'stroke-linejoin': 'round', 'shape-rendering': 'geometricPrecision' }));
    out.push(text(PLOT_X1 - 6, yd - 6, `-${formatNumber(side.duckDb, 1)} dB`, { size: 13, anchor: 'end', fill: COLORS.curve, bold: true }));
  } else {
    out.push(
      text(PLOT_X0 + PLOT_W / 2, plot.y + plot.height / 2 + 6, 'no sidechain set: nothing ducks the lead', { size: 16, anchor: 'middle', fill: COLORS.muted }),
    );
  }
  return el('g', { id: 'sidechain' }, out.join(''));
}

function kickTriangle(x: number, yTip: number): string {
  return el('path', { d: `M${n(x - 6)} ${n(yTip - 10)} L${n(x + 6)} ${n(yTip - 10)} L${n(x)} ${n(yTip)} Z`, fill: COLORS.kickMarker });
}

// ---------------------------------------------------------------------------------------------
// Arrangement timeline

interface Region {
  readonly kind: keyof typeof REGION_COLORS;
  readonly name: string;
  readonly start: number;
  /** Last bar, inclusive. */
  readonly end: number;
}

function timelineRegions(spec: Spec, lastBar: number): Region[] {
  const t = spec.timing;
  const starts: Array<{ kind: Region['kind']; name: string; bar: number }> = [];
  if (t.buildStartBar !== undefined) starts.push({ kind: 'build', name: 'build', bar: t.buildStartBar });
  if (t.dropBar !== undefined) starts.push({ kind: 'drop', name: 'drop', bar: t.dropBar });
  if (t.breakBar !== undefined) starts.push({ kind: 'break', name: 'break', bar: t.breakBar });
  if (t.secondDropBar !== undefined) starts.push({ kind: 'secondDrop', name: 'second drop', bar: t.secondDropBar });
  const regions: Region[] = [];
  for (const s of starts) {
    const next = starts.map((o) => o.bar).filter((b) => b > s.bar);
    const end = next.length > 0 ? Math.min(...next) - 1 : lastBar;
    if (s.kind === 'build') {
      // As in the prompt: the build ends two bars before the drop, the bar before it is the lift.
      const range = buildRange(spec);
      if (range?.endBar !== undefined && range.endBar < end) {
        regions.push({ kind: 'build', name: 'build', start: s.bar, end: range.endBar });
        regions.push({ kind: 'lift', name: 'lift', start: range.endBar + 1, end });
        continue;
      }
    }
    regions.push({ kind: s.kind, name: s.name, start: s.bar, end });
  }
  return regions;
}

function timelinePanel(spec: Spec, g: ChartGeometry, text: DrawText): string {
  const tl = g.timeline;
  const bpm = spec.track.bpm;
  const lane = tl.regionLane;
  const out: string[] = [frame(g.panels.timeline, 'Arrangement', text)];
  const hasMarkers = timingMarkers(spec).length > 0;
  out.push(
    text(PLOT_X0, g.panels.timeline.y + 24, `bars 1-${tl.lastBar} at ${bpm} BPM (one bar = ${formatNumber(msPerBar(bpm) / 1000, 2)} s)${hasMarkers ? '' : ': no timing set'}`, {
      size: 13,
      fill: COLORS.muted,
    }),
  );

  // Regions.
  const regions = timelineRegions(spec, tl.lastBar);
  for (const r of regions) {
    const x0 = tl.x(r.start);
    const x1 = tl.x(r.end + 1);
    const colors = REGION_COLORS[r.kind];
    out.push(rect(x0, lane.y, x1 - x0, lane.height, { fill: r.kind === 'lift' ? 'url(#hatch-lift)' : colors.fill, stroke: colors.stroke }));
    const inner = x1 - x0 - 12;
    if (inner >= textWidth(r.name, 13, true)) {
      const bars = r.start === r.end ? `bar ${r.start}` : `bars ${r.start}-${r.end}`;
      out.push(text(x0 + 6, lane.y + 22, clipText(r.name, inner, 13, true), { size: 13, bold: true }));
      out.push(text(x0 + 6, lane.y + 42, clipText(`${bars} · ${barTimestamp(r.start, bpm)}`, inner, 13), { size: 13 }));
    }
  }
  // Left column: legend of what the lane means.
  out.push(text(20, lane.y + 22, 'sections', { size: 13, fill: COLORS.muted }));
  out.push(text(20, lane.y + 42, 'bar · start time', { size: 12, fill: COLORS.muted }));

  // Bar axis.
  const axisY = lane.y + lane.height;
  out.push(line(PLOT_X0, axisY, PLOT_X1, axisY, { stroke: COLORS.muted }));
  const step = [1, 2, 4, 8, 16, 32, 64, 128].find((s) => tl.lastBar / s <= 14) ?? 128;
  for (let b = 1; b <= tl.lastBar + 1; b += step) {
    const x = tl.x(b);
    out.push(line(x, axisY, x, axisY + 5, { stroke: COLORS.muted }));
    const anchor = b === 1 ? 'start' : b > tl.lastBar - step / 2 ? 'end' : 'middle';
    out.push(text(x, axisY + 19, String(b), { size: 13, anchor, fill: COLORS.text }));
    if (((b - 1) / step) % 2 === 0) out.push(text(x, axisY + 34, barTimestamp(b, bpm), { size: 12, anchor, fill: COLORS.muted }));
  }
  out.push(text(PLOT_X0 - 14, axisY + 19, 'bar', { size: 13, anchor: 'end', fill: COLORS.muted }));

  // Sweep apex marker.
  const apex = spec.timing.sweepApexBar;
  if (apex !== undefined) {
    const x = tl.x(apex);
    out.push(line(x, tl.plot.y + 4, x, axisY, { stroke: COLORS.apex, 'stroke-width': 2 }));
    out.push(el('path', { d: `M${n(x - 6)} ${n(tl.plot.y)} L${n(x + 6)} ${n(tl.plot.y)} L${n(x)} ${n(tl.plot.y + 10)} Z`, fill: COLORS.apex }));
    const label = `filter-sweep apex · bar ${apex} · ${barTimestamp(apex, bpm)}`;
    const w = textWidth(label, 13, true);
    const right = x + 10 + w <= PLOT_X1;
    out.push(text(right ? x + 10 : x - 10, tl.plot.y + 16, label, { size: 13, bold: true, anchor: right ? 'start' : 'end', fill: COLORS.apex }));
  }
  return el('g', { id: 'timeline' }, out.join(''));
}

/** Escapes text for XML (re-exported for callers that build their own SVG around the chart). */
export { escapeXml };
