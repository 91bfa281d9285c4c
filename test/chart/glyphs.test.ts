/**
 * Labels as outlines (src/chart/glyphs.ts): the PNG's SVG carries its Latin labels as paths built
 * from DejaVu Sans glyphs, shaped as resvg shapes them (advances, kerning, ligatures); text the
 * shaper leaves alone (CJK, combining marks) stays a <text> element that resvg draws as before.
 * Widths are checked against the font files read here independently with opentype.js.
 */
import { readFileSync } from 'node:fs';
import opentype, { type Font } from 'opentype.js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, MIN_FONT_PX, chartGeometry, renderChartSvg } from '../../src/chart/index.js';
import { CHART_FONT_FILES, collapseWhitespace, glyphCacheStats, measureText, textPath } from '../../src/chart/glyphs.js';
import { parseSvg, renderChartPng, renderChartPngSvg, svgToPng } from '../../src/chart/png.js';
import { encodePng } from '../../src/chart/pngEncode.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import { makeSpec } from '../fixtures/spec.js';
import { decodePng, nonBackground } from './pixels.js';

function calling(): Spec {
  const preset = getBuiltinPreset('calling');
  if (!preset) throw new Error('the calling preset is missing');
  return preset.spec;
}

function loadFont(file: string): Font {
  const bytes = readFileSync(file);
  return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
const regular = loadFont(CHART_FONT_FILES[0]!);
const bold = loadFont(CHART_FONT_FILES[1]!);

/** Sum of the font's advance widths of the characters, in px (no kerning). */
function advances(font: Font, content: string, size: number): number {
  let units = 0;
  for (const c of content) units += font.glyphs.get(font.charToGlyphIndex(c))!.advanceWidth!;
  return (units * size) / font.unitsPerEm;
}

/** The font's own GPOS 'kern' value (latn) of each adjacent pair, in px. */
function kerning(font: Font, content: string, size: number): number {
  const lookups = font.position.getKerningTables('latn')!;
  const chars = Array.from(content);
  let units = 0;
  for (let i = 0; i + 1 < chars.length; i++) {
    units += font.position.getKerningValue(lookups, font.charToGlyphIndex(chars[i]!), font.charToGlyphIndex(chars[i + 1]!));
  }
  return (units * size) / font.unitsPerEm;
}

/** x of a glyph path's transform (its left edge at the baseline) and its scale. */
function placement(svg: string): { x: number; y: number; scale: number } {
  const m = /transform="matrix\(([\d.e-]+) 0 0 -([\d.e-]+) ([\d.-]+) ([\d.-]+)\)"/.exec(svg);
  if (!m) throw new Error(`no glyph path in ${svg.slice(0, 80)}`);
  return { scale: Number(m[1]), x: Number(m[3]), y: Number(m[4]) };
}

describe('labels as outlines', () => {
  it('GIVEN a Latin label WHEN drawn THEN it is one path (no <text>) with the fill, anti-aliased, scaled to the font size', () => {
    const svg = textPath(20, 36, 'Band map', { size: 16, bold: true, fill: '#5f6270' });

    expect(svg).not.toContain('<text');
    expect(svg).toMatch(/^<path [^>]*d="M[^"]+"[^>]*\/>$/);
    expect(svg).toContain('fill="#5f6270"');
    expect(svg).toContain('shape-rendering="geometricPrecision"');
    expect(placement(svg)).toEqual({ x: 20, y: 36, scale: 16 / bold.unitsPerEm });
  });

  it('GIVEN labels without kerning pairs WHEN measured THEN the width is the sum of the DejaVu advances, regular and bold', () => {
    expect(measureText('Band map', 13)).toBeCloseTo(advances(regular, 'Band map', 13), 9);
    expect(measureText('Band map', 16, true)).toBeCloseTo(advances(bold, 'Band map', 16), 9);
    expect(measureText('Band map', 16, true)!).toBeGreaterThan(measureText('Band map', 16)!);
    expect(measureText('0 dB', 12)).toBeCloseTo(advances(regular, '0 dB', 12), 9);
  });

  it('GIVEN pairs the font kerns (AV, To, Ty) WHEN measured THEN the width is the advances plus the font kerning, narrower than unkerned', () => {
    for (const label of ['AVATAR', 'Tony', 'Type', 'WAVE']) {
      const expected = advances(regular, label, 13) + kerning(regular, label, 13);
      expect(kerning(regular, label, 13)).toBeLessThan(0);
      expect(measureText(label, 13)).toBeCloseTo(expected, 9);
    }
  });

  it('GIVEN "fi" and "ffl" WHEN measured THEN they are drawn as the font ligatures (as resvg shapes them)', () => {
    expect(measureText('fi', 13)).toBeCloseTo(advances(regular, '\uFB01', 13), 9);
    expect(measureText('ffl', 13)).toBeCloseTo(advances(regular, '\uFB04', 13), 9);
  });

  it('GIVEN anchors start, middle and end WHEN drawn THEN the path starts at x, x - width/2 and x - width', () => {
    const width = measureText('release window', 13)!;
    expect(placement(textPath(500, 100, 'release window')).x).toBeCloseTo(500, 2);
    expect(placement(textPath(500, 100, 'release window', { anchor: 'middle' })).x).toBeCloseTo(500 - width / 2, 2);
    expect(placement(textPath(500, 100, 'release window', { anchor: 'end' })).x).toBeCloseTo(500 - width, 2);
  });

  it('GIVEN runs of spaces, tabs and newlines WHEN drawn THEN they collapse as SVG text does', () => {
    expect(collapseWhitespace('  a \t b\n c  ')).toBe('a b c');
    expect(textPath(0, 20, '  kick   +\tbass ')).toBe(textPath(0, 20, 'kick + bass'));
  });

  it('GIVEN CJK, a combining mark or an emoji variation selector WHEN drawn THEN it stays a <text> element, escaped', () => {
    for (const content of ['夜の<街>', 'Cafe\u0301 & co', 'fire ❤\uFE0F']) {
      const svg = textPath(20, 36, content, { size: 20, bold: true });
      expect(svg).toMatch(/^<text [^>]*font-size="20"[^>]*font-weight="bold"[^>]*>[^<]*<\/text>$/);
      expect(svg).not.toContain('<街>');
    }
  });

  it('GIVEN an empty or blank label WHEN drawn THEN nothing is drawn', () => {
    expect(textPath(0, 0, '')).toBe('');
    expect(textPath(0, 0, '   ')).toBe('');
  });
});

describe('the chart PNG with outlined labels', () => {
  it('GIVEN the calling preset WHEN its PNG SVG is built THEN every label is a path and none is <text>', () => {
    const spec = calling();
    const withText = renderChartSvg(spec);
    const withPaths = renderChartPngSvg(spec);
    const labels = withText.match(/<text /g)!.length;

    expect(withPaths).not.toContain('<text');
    expect(withPaths.match(/<path transform="matrix\(/g)).toHaveLength(labels);
  });

  it('GIVEN any chart WHEN its PNG SVG is built THEN no label is scaled below 12 px', () => {
    for (const spec of [calling(), makeSpec({ sidechain: undefined, timing: {} })]) {
      const scales = [...renderChartPngSvg(spec).matchAll(/matrix\(([\d.e-]+) 0 0/g)].map((m) => Number(m[1]));
      expect(scales.length).toBeGreaterThan(20);
      expect(Math.min(...scales) * regular.unitsPerEm).toBeGreaterThanOrEqual(MIN_FONT_PX);
    }
  });

  it('GIVEN the calling preset WHEN drawn with outlines and with resvg text layout THEN the pictures match (sub-pixel differences only)', () => {
    const spec = calling();
    const outlines = PNG.sync.read(renderChartPng(spec));
    const resvgText = PNG.sync.read(svgToPng(renderChartSvg(spec)));
    let differing = 0;
    let largest = 0;
    for (let i = 0; i < outlines.data.length; i += 4) {
      const d = Math.max(...[0, 1, 2].map((c) => Math.abs(outlines.data[i + c]! - resvgText.data[i + c]!)));
      if (d > 0) differing++;
      largest = Math.max(largest, d);
    }

    // A misplaced or missing glyph differs by far more (hundreds of pixels near 255 levels).
    expect(differing).toBeLessThan(CHART_WIDTH * CHART_HEIGHT * 0.002);
    expect(largest).toBeLessThan(96);
  });

  it('GIVEN a CJK style WHEN the PNG is drawn THEN the title is left to resvg as <text>, other labels stay paths, and the title is drawn', () => {
    const spec = makeSpec({ track: { bpm: 128, key: 'F minor', style: '夜の街 & neon', references: [] } });
    const svg = renderChartPngSvg(spec);
    const pic = decodePng(renderChartPng(spec));

    expect(svg.match(/<text [^>]*>[^<]*<\/text>/g)).toEqual([expect.stringContaining('128 BPM · F minor · 夜の街 &amp; neon')]);
    expect(svg).toContain('<path transform="matrix(');
    expect([pic.width, pic.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(nonBackground(pic, { x0: 20, x1: 400, y0: 14, y1: 42 })).toBeGreaterThan(300);
    expect(chartGeometry(spec).bandMap.plot.width).toBeGreaterThan(0);
  });

  it('GIVEN hostile text in the style WHEN the PNG SVG is built THEN no markup gets through, outlined or left to resvg', () => {
    for (const style of [`</svg><script>alert("x")</script> & 'q'`, `</svg><script>夜</script>`]) {
      const svg = renderChartPngSvg(makeSpec({ track: { bpm: 128, key: 'F minor', style, references: [] } }));
      expect(svg).not.toContain('<script');
      expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    }
  });

  it('GIVEN a chart drawn once WHEN drawn again THEN no glyph outline is built again and the fonts are parsed once', () => {
    renderChartPng(calling());
    const first = glyphCacheStats();
    renderChartPng(calling());
    renderChartPngSvg(makeSpec());
    const again = glyphCacheStats();

    expect(first.fontsParsed).toBe(2);
    expect(first.outlinesBuilt).toBeGreaterThan(40);
    expect(first.cachedGlyphs).toBe(first.outlinesBuilt);
    expect(again.fontsParsed).toBe(2);
    // makeSpec's labels may need a few glyphs the calling chart did not; never one twice.
    expect(again.cachedGlyphs).toBe(again.outlinesBuilt);
    renderChartPng(calling());
    expect(glyphCacheStats()).toEqual(again);
  });
});

describe('PNG encoding', () => {
  it("GIVEN resvg's pixels WHEN encoded THEN the PNG decodes to exactly the pixels resvg's own encoder gives", () => {
    const image = parseSvg(renderChartPngSvg(calling())).render();
    const ours = PNG.sync.read(encodePng(image.pixels, image.width, image.height));
    const theirs = PNG.sync.read(image.asPng());

    expect([ours.width, ours.height]).toEqual([theirs.width, theirs.height]);
    expect(ours.data.equals(theirs.data)).toBe(true);
  });

  it('GIVEN pixels of the wrong length WHEN encoded THEN it is refused', () => {
    expect(() => encodePng(new Uint8Array(10), 2, 2)).toThrow(RangeError);
  });
});
