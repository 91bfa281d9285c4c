/** Reading a rendered chart's pixels in tests. */
import { PNG } from 'pngjs';

export interface Picture {
  readonly width: number;
  readonly height: number;
  rgb(x: number, y: number): [number, number, number];
}

export function decodePng(buffer: Buffer): Picture {
  const png = PNG.sync.read(buffer);
  return {
    width: png.width,
    height: png.height,
    rgb(x, y) {
      const i = (png.width * Math.round(y) + Math.round(x)) * 4;
      return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    },
  };
}

export function hexRgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** True when two colours differ by at most `tolerance` in every channel. */
export function near(a: readonly number[], b: readonly number[], tolerance = 6): boolean {
  return a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
}

/** Every pixel in a box (inclusive x0..x1, y0..y1) matching a colour. */
export function matching(pic: Picture, box: { x0: number; x1: number; y0: number; y1: number }, hex: string, tolerance = 6): Array<[number, number]> {
  const want = hexRgb(hex);
  const hits: Array<[number, number]> = [];
  for (let y = Math.ceil(box.y0); y <= Math.floor(box.y1); y++) {
    for (let x = Math.ceil(box.x0); x <= Math.floor(box.x1); x++) if (near(pic.rgb(x, y), want, tolerance)) hits.push([x, y]);
  }
  return hits;
}

/** How many pixels in a box are not the background. */
export function nonBackground(pic: Picture, box: { x0: number; x1: number; y0: number; y1: number }, background = '#ffffff'): number {
  const area = (Math.floor(box.x1) - Math.ceil(box.x0) + 1) * (Math.floor(box.y1) - Math.ceil(box.y0) + 1);
  return area - matching(pic, box, background, 0).length;
}
