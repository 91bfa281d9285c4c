/**
 * Text as outlines: draws a label as one SVG <path> from DejaVu Sans glyph outlines, so the
 * rasterizer never lays out text (resvg's text layout cost ~35 ms a chart; parsing the paths ~2 ms).
 *
 * The fonts (the same files resvg would use) are parsed once per process with opentype.js; each
 * glyph's outline is turned into a path fragment once, in font units, and kept. A label is shaped
 * the way resvg (rustybuzz) shapes it for Latin text: the 'liga' ligatures (ff, fi, fl, ffi, ffl)
 * and GPOS pair kerning of the 'latn' script ('DFLT' for a label without a Latin letter, e.g.
 * "-3 dB" has one, "126" has none), whitespace collapsed as SVG does. Text this shaper does not cover (another script,
 * combining marks, a character DejaVu Sans lacks, e.g. CJK) is left to resvg as a <text> element,
 * drawn exactly as before.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import opentype, { type Font, type PathCommand } from 'opentype.js';
import { attrs, escapeXml, n, text as svgText, type TextOptions } from './svg.js';

const require = createRequire(import.meta.url);

/** The font files the chart uses: DejaVu Sans regular and bold. */
export const CHART_FONT_FILES: readonly string[] = [
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
];

/** A glyph's outline as a path fragment in font units (y up), starting at its first point. */
interface GlyphOutline {
  /** Pen-relative start point of the outline (absent for an empty glyph such as the space). */
  readonly x0: number;
  readonly y0: number;
  /** Relative path commands after the first move-to ('' for an empty glyph). */
  readonly rest: string;
  readonly advance: number;
}

/** A shaped label in font units: the path at pen 0 and its advance width. */
interface ShapedText {
  readonly d: string;
  readonly advance: number;
}

interface Coverage {
  readonly format: number;
  readonly glyphs?: readonly number[];
  readonly ranges?: ReadonlyArray<{ readonly start: number; readonly end: number; readonly index: number }>;
}
interface ClassDef {
  readonly format: number;
  readonly startGlyph?: number;
  readonly classes?: readonly number[];
  readonly ranges?: ReadonlyArray<{ readonly start: number; readonly end: number; readonly classId: number }>;
}
interface PairPosSubtable {
  readonly posFormat: number;
  readonly coverage: Coverage;
  readonly pairSets?: ReadonlyArray<ReadonlyArray<{ readonly secondGlyph: number; readonly value1?: { readonly xAdvance?: number } }>>;
  readonly classDef1?: ClassDef;
  readonly classDef2?: ClassDef;
  readonly classRecords?: ReadonlyArray<ReadonlyArray<{ readonly value1?: { readonly xAdvance?: number } }>>;
}
interface LigatureSubtable {
  readonly substFormat: number;
  readonly coverage: Coverage;
  readonly ligatureSets: ReadonlyArray<ReadonlyArray<{ readonly ligGlyph: number; readonly components: readonly number[] }>>;
}
interface LayoutTable {
  readonly scripts: ReadonlyArray<{ readonly tag: string; readonly script: { readonly defaultLangSys?: { readonly featureIndexes: readonly number[] } } }>;
  readonly features: ReadonlyArray<{ readonly tag: string; readonly feature: { readonly lookupListIndexes: readonly number[] } }>;
  readonly lookups: ReadonlyArray<{ readonly lookupType: number; readonly subtables: readonly unknown[] }>;
}

/** Shaping data of one script of one face. */
interface ScriptLayout {
  readonly ligatures: readonly LigatureSubtable[];
  readonly kerning: ReadonlyArray<readonly PairPosSubtable[]>;
}

type ScriptTag = 'latn' | 'DFLT';

/** Labels kept (a chart has ~180, most the same in every chart; a long title's path is ~10 KB). */
const LABEL_CACHE_SIZE = 1024;

function coverageIndex(coverage: Coverage, glyph: number): number {
  if (coverage.format === 1) return coverage.glyphs!.indexOf(glyph);
  for (const r of coverage.ranges!) if (glyph >= r.start && glyph <= r.end) return r.index + glyph - r.start;
  return -1;
}

function glyphClass(classDef: ClassDef, glyph: number): number {
  if (classDef.format === 1) {
    const i = glyph - classDef.startGlyph!;
    return i >= 0 && i < classDef.classes!.length ? classDef.classes![i]! : 0;
  }
  for (const r of classDef.ranges!) if (glyph >= r.start && glyph <= r.end) return r.classId;
  return 0;
}

/** Lookups of `featureTag` in the default language system of `script` (in lookup-list order, as HarfBuzz applies them). */
function featureLookups(table: LayoutTable | undefined, script: ScriptTag, featureTag: string, lookupType: number): unknown[][] {
  const langSys = table?.scripts.find((s) => s.tag === script)?.script.defaultLangSys;
  if (!table || !langSys) return [];
  const indexes = new Set<number>();
  for (const f of langSys.featureIndexes) {
    const feature = table.features[f];
    if (feature?.tag === featureTag) for (const l of feature.feature.lookupListIndexes) indexes.add(l);
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .map((i) => table.lookups[i])
    .filter((l) => l?.lookupType === lookupType)
    .map((l) => [...l!.subtables]);
}

/** One weight of DejaVu Sans: parsed font, glyph cache, shaping tables, label cache. */
class Face {
  private readonly font: Font;
  private readonly glyphs = new Map<number, GlyphOutline>();
  private readonly layouts = new Map<ScriptTag, ScriptLayout>();
  private readonly labels = new Map<string, ShapedText | null>();
  readonly unitsPerEm: number;
  /** Glyph outlines converted so far (each at most once per process). */
  outlinesBuilt = 0;

  constructor(file: string) {
    const bytes = readFileSync(file);
    this.font = opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { lowMemory: true });
    this.unitsPerEm = this.font.unitsPerEm;
  }

  get cachedGlyphs(): number {
    return this.glyphs.size;
  }

  /** The glyph of a code point, 0 when the font lacks it. */
  glyphIndex(char: string): number {
    return this.font.charToGlyphIndex(char);
  }

  private layout(script: ScriptTag): ScriptLayout {
    let layout = this.layouts.get(script);
    if (!layout) {
      const gsub = this.font.tables.gsub as LayoutTable | undefined;
      const gpos = this.font.tables.gpos as LayoutTable | undefined;
      layout = {
        ligatures: featureLookups(gsub, script, 'liga', 4)
          .flat()
          .filter((s): s is LigatureSubtable => (s as LigatureSubtable).substFormat === 1),
        kerning: featureLookups(gpos, script, 'kern', 2).map((subtables) => subtables as PairPosSubtable[]),
      };
      this.layouts.set(script, layout);
    }
    return layout;
  }

  outline(glyph: number): GlyphOutline {
    let outline = this.glyphs.get(glyph);
    if (!outline) {
      const g = this.font.glyphs.get(glyph);
      outline = toOutline(g?.path.commands ?? [], g?.advanceWidth ?? 0);
      this.glyphs.set(glyph, outline);
      this.outlinesBuilt++;
    }
    return outline;
  }

  /** The glyph indexes of a label after ligature substitution. */
  private substitute(glyphs: number[], layout: ScriptLayout): number[] {
    if (layout.ligatures.length === 0) return glyphs;
    const out: number[] = [];
    for (let i = 0; i < glyphs.length; ) {
      const first = glyphs[i]!;
      let replaced = false;
      for (const sub of layout.ligatures) {
        const c = coverageIndex(sub.coverage, first);
        if (c < 0) continue;
        for (const lig of sub.ligatureSets[c] ?? []) {
          if (lig.components.every((g, k) => glyphs[i + 1 + k] === g)) {
            out.push(lig.ligGlyph);
            i += 1 + lig.components.length;
            replaced = true;
            break;
          }
        }
        if (replaced) break;
      }
      if (!replaced) {
        out.push(first);
        i++;
      }
    }
    return out;
  }

  /** Pair kerning of glyph i with i + 1, summed over the kern lookups (first subtable covering the left glyph). */
  private kern(left: number, right: number, layout: ScriptLayout): number {
    let total = 0;
    for (const lookup of layout.kerning) {
      for (const sub of lookup) {
        const c = coverageIndex(sub.coverage, left);
        if (c < 0) continue;
        if (sub.posFormat === 1) {
          const pair = sub.pairSets?.[c]?.find((p) => p.secondGlyph === right);
          if (!pair) continue;
          total += pair.value1?.xAdvance ?? 0;
        } else {
          total += sub.classRecords?.[glyphClass(sub.classDef1!, left)]?.[glyphClass(sub.classDef2!, right)]?.value1?.xAdvance ?? 0;
        }
        break;
      }
    }
    return total;
  }

  /** A label shaped (kept: labels repeat from chart to chart), or null when it is left to resvg. */
  label(content: string): ShapedText | null {
    let shaped = this.labels.get(content);
    if (shaped === undefined) {
      shaped = this.shape(content);
      // User text varies from draft to draft, so the cache is bounded.
      if (this.labels.size >= LABEL_CACHE_SIZE) this.labels.clear();
      this.labels.set(content, shaped);
    }
    return shaped;
  }

  private shape(content: string): ShapedText | null {
    const collapsed = collapseWhitespace(content);
    if (!SIMPLE_TEXT.test(collapsed) || LEFT_TO_RESVG.test(collapsed)) return null;
    const chars = Array.from(collapsed, (c) => this.glyphIndex(c));
    if (chars.includes(0)) return null; // a character DejaVu Sans lacks
    const layout = this.layout(/\p{Script=Latin}/u.test(collapsed) ? 'latn' : 'DFLT');
    const glyphs = this.substitute(chars, layout);
    let pen = 0;
    const d: string[] = [];
    for (let i = 0; i < glyphs.length; i++) {
      const o = this.outline(glyphs[i]!);
      if (o.rest !== '') d.push(`M${pen + o.x0} ${o.y0}${o.rest}`);
      pen += o.advance;
      if (i + 1 < glyphs.length) pen += this.kern(glyphs[i]!, glyphs[i + 1]!, layout);
    }
    return { d: d.join(''), advance: pen };
  }
}

/** Formats path numbers compactly: a space between numbers unless the next is negative. */
class PathWriter {
  out = '';
  private lastCommand = '';
  private afterNumber = false;

  command(letter: string, ...values: number[]): void {
    if (letter !== this.lastCommand || letter === 'm' || letter === 'z') {
      this.out += letter;
      this.afterNumber = false;
      this.lastCommand = letter;
    }
    for (const v of values) {
      const s = String(v);
      if (this.afterNumber && v >= 0) this.out += ' ';
      this.out += s;
      this.afterNumber = true;
    }
  }
}

/**
 * A glyph's commands (font units, y up) as a relative path after an absolute first move-to.
 * Points are rounded to whole font units (1/2048 em: under 0.01 px at 20 px) and relative steps
 * are taken between rounded points, so nothing drifts. A quadratic whose control point mirrors the
 * previous one (TrueType's implied on-curve midpoints, within a unit of rounding) is written as a
 * smooth 't', which halves the numbers resvg parses for round letters.
 */
function toOutline(commands: readonly PathCommand[], advance: number): GlyphOutline {
  const r = Math.round;
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  let x0: number | undefined;
  let y0 = 0;
  /** The previous segment's control point when it was a quadratic (for 't'). */
  let qx: number | undefined;
  let qy = 0;
  const w = new PathWriter();
  for (const c of commands) {
    const x = r(c.x ?? 0);
    const y = r(c.y ?? 0);
    let control: [number, number] | undefined;
    switch (c.type) {
      case 'M':
        if (x0 === undefined) {
          x0 = x;
          y0 = y;
        } else {
          w.command('m', x - cx, y - cy);
        }
        sx = x;
        sy = y;
        break;
      case 'L':
        w.command('l', x - cx, y - cy);
        break;
      case 'Q': {
        const x1 = r(c.x1!);
        const y1 = r(c.y1!);
        if (qx !== undefined && Math.abs(2 * cx - qx - x1) <= 1 && Math.abs(2 * cy - qy - y1) <= 1) {
          // The mirrored control point, exactly as the 't' will draw it.
          control = [2 * cx - qx, 2 * cy - qy];
          w.command('t', x - cx, y - cy);
        } else {
          control = [x1, y1];
          w.command('q', x1 - cx, y1 - cy, x - cx, y - cy);
        }
        break;
      }
      case 'C':
        w.command('c', r(c.x1!) - cx, r(c.y1!) - cy, r(c.x2!) - cx, r(c.y2!) - cy, x - cx, y - cy);
        break;
      case 'Z':
        w.command('z');
        break;
    }
    if (c.type === 'Z') {
      cx = sx;
      cy = sy;
    } else {
      cx = x;
      cy = y;
    }
    qx = control?.[0];
    qy = control?.[1] ?? 0;
  }
  return x0 === undefined ? { x0: 0, y0: 0, rest: '', advance } : { x0, y0, rest: w.out, advance };
}

let faces: { regular: Face; bold: Face } | undefined;
let fontsParsed = 0;

function loadFaces(): { regular: Face; bold: Face } {
  if (!faces) {
    faces = { regular: new Face(CHART_FONT_FILES[0]!), bold: new Face(CHART_FONT_FILES[1]!) };
    fontsParsed += 2;
  }
  return faces;
}

/**
 * Characters the outline shaper handles as resvg would: Latin and script-neutral ones (digits,
 * punctuation, symbols). Combining marks (DejaVu composes them with GSUB/GPOS rules) and the
 * tone letters ˥-˩ (a 'ccmp' rule joins them) are left to resvg.
 */
const SIMPLE_TEXT = /^[\p{Script=Latin}\p{Script=Common}]*$/u;
const LEFT_TO_RESVG = /[\p{M}\u02E5-\u02E9\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u;

/** Whitespace as SVG's default xml:space handles it: newlines dropped, tabs to spaces, trimmed, runs collapsed. */
export function collapseWhitespace(content: string): string {
  return content.replace(/[\r\n]/g, '').replace(/\t/g, ' ').trim().replace(/ {2,}/g, ' ');
}

/** The shaped label, or undefined when it must be left to resvg. */
function shapeLabel(content: string, bold: boolean): { shaped: ShapedText; unitsPerEm: number } | undefined {
  const face = loadFaces()[bold ? 'bold' : 'regular'];
  const shaped = face.label(content);
  return shaped === null ? undefined : { shaped, unitsPerEm: face.unitsPerEm };
}

/**
 * A label drawn as a path (same signature and look as svg.ts `text`), or that <text> element when
 * the label needs shaping this module does not do.
 */
export function textPath(x: number, y: number, content: string, o: TextOptions = {}): string {
  const bold = o.bold ?? false;
  const label = shapeLabel(content, bold);
  if (!label) return svgText(x, y, content, o);
  const size = o.size ?? 13;
  const scale = size / label.unitsPerEm;
  const width = label.shaped.advance * scale;
  const left = o.anchor === 'middle' ? x - width / 2 : o.anchor === 'end' ? x - width : x;
  if (label.shaped.d === '') return '';
  // Built by hand: the path data (digits, letters, spaces and minus signs) needs no escaping.
  // geometricPrecision: anti-aliased, as resvg draws text (the chart's shapes are crispEdges).
  const extra = o.extra ? attrs(o.extra) : '';
  return `<path transform="matrix(${scale} 0 0 ${-scale} ${n(left)} ${n(y)})" d="${label.shaped.d}" fill="${escapeXml(o.fill ?? '#222222')}" shape-rendering="geometricPrecision"${extra}/>`;
}

/** The advance width in px of a label as textPath draws it, undefined when it would be left to resvg. */
export function measureText(content: string, size: number, bold = false): number | undefined {
  const label = shapeLabel(content, bold);
  return label && (label.shaped.advance * size) / label.unitsPerEm;
}

/** What the glyph caches hold: font files parsed, outlines converted (each glyph once), outlines kept. */
export function glyphCacheStats(): { readonly fontsParsed: number; readonly outlinesBuilt: number; readonly cachedGlyphs: number } {
  return {
    fontsParsed,
    outlinesBuilt: (faces?.regular.outlinesBuilt ?? 0) + (faces?.bold.outlinesBuilt ?? 0),
    cachedGlyphs: (faces?.regular.cachedGlyphs ?? 0) + (faces?.bold.cachedGlyphs ?? 0),
  };
}
