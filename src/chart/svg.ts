/** Small helpers for building SVG as text: XML escaping, number formatting, element builders. */

/** Escapes text for XML content and attribute values (&, <, >, " and '). */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/** A coordinate for SVG: at most two decimals, no "-0", so output is byte-stable. */
export function n(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

/** Width of text in DejaVu Sans, estimated (average advance ≈ 0.6 em; bold ≈ 0.66 em). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  return Array.from(text).length * fontSize * (bold ? 0.66 : 0.6);
}

/**
 * Shortens text to fit `maxWidth` (estimated), ending with "…". Cuts on code points, never inside
 * a surrogate pair.
 */
export function clipText(text: string, maxWidth: number, fontSize: number, bold = false): string {
  if (textWidth(text, fontSize, bold) <= maxWidth) return text;
  const chars = Array.from(text);
  const fit = Math.max(0, Math.floor(maxWidth / (fontSize * (bold ? 0.66 : 0.6))) - 1);
  return `${chars.slice(0, fit).join('').trimEnd()}…`;
}

export type Attrs = Readonly<Record<string, string | number | undefined>>;

/** Attributes as markup (` name="value"` each, values escaped; numbers through `n`). */
export function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : escapeXml(v!)}"`)
    .join('');
}

export function el(name: string, a: Attrs, children?: string): string {
  return children === undefined ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${children}</${name}>`;
}

export function rect(x: number, y: number, width: number, height: number, a: Attrs = {}): string {
  return el('rect', { x, y, width: Math.max(0, width), height: Math.max(0, height), ...a });
}

export function line(x1: number, y1: number, x2: number, y2: number, a: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, ...a });
}

export interface TextOptions {
  readonly size?: number;
  readonly anchor?: 'start' | 'middle' | 'end';
  readonly bold?: boolean;
  readonly fill?: string;
  readonly extra?: Attrs;
}

/** A text element; `content` is escaped here. */
export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  return el(
    'text',
    {
      x,
      y,
      'font-size': o.size ?? 13,
      'text-anchor': o.anchor && o.anchor !== 'start' ? o.anchor : undefined,
      'font-weight': o.bold ? 'bold' : undefined,
      fill: o.fill ?? '#222222',
      ...o.extra,
    },
    escapeXml(content),
  );
}
