/** The small part of opentype.js 2.x (which ships no types) that ./glyphs.ts uses. */
declare module 'opentype.js' {
  export interface PathCommand {
    readonly type: 'M' | 'L' | 'Q' | 'C' | 'Z';
    readonly x?: number;
    readonly y?: number;
    readonly x1?: number;
    readonly y1?: number;
    readonly x2?: number;
    readonly y2?: number;
  }

  export interface Glyph {
    readonly index: number;
    readonly advanceWidth?: number;
    readonly path: { readonly commands: readonly PathCommand[] };
  }

  export interface Lookup {
    readonly lookupType: number;
    readonly subtables: readonly unknown[];
  }

  export interface Font {
    readonly unitsPerEm: number;
    readonly tables: Readonly<Record<string, unknown>>;
    readonly glyphs: { get(index: number): Glyph | undefined };
    charToGlyphIndex(char: string): number;
    readonly position: {
      getKerningTables(script: string, language?: string): readonly Lookup[] | undefined;
      getKerningValue(lookups: readonly Lookup[], leftIndex: number, rightIndex: number): number;
    };
  }

  export function parse(buffer: ArrayBuffer, options?: { readonly lowMemory?: boolean }): Font;

  const opentype: { parse: typeof parse };
  export default opentype;
}
