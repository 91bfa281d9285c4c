/**
 * PNG encoding of resvg's pixels with zlib at level 1: the same pixels (8-bit RGBA, no filter) as
 * resvg's own `asPng()`, about the same size (~105 KB for a chart), in about half the time (its
 * encoder compresses harder and gains little on a chart: mostly flat colour).
 */
import * as zlib from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let crcTable: Uint32Array | undefined;

/** CRC-32 as PNG chunks need it (zlib.crc32 where Node has it: 20.15 and later). */
function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;
  if (native) return native(data);
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[i] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Scanline buffer kept between pictures of the same size (the chart worker draws one at a time). */
let scratch: Buffer | undefined;

/**
 * Encodes 8-bit RGBA pixels, row by row, as a PNG. resvg's pixels are premultiplied; they equal
 * straight RGBA where the picture is opaque, as the chart always is (drawn on a white background).
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Buffer {
  const stride = width * 4;
  if (rgba.length !== stride * height) throw new RangeError(`expected ${stride * height} bytes of RGBA, got ${rgba.length}`);
  const size = (stride + 1) * height;
  const raw = scratch?.length === size ? scratch : Buffer.allocUnsafe(size);
  if (size <= 8 * 1024 * 1024) scratch = raw;
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    raw[o] = 0; // filter: none
    raw.set(rgba.subarray(y * stride, (y + 1) * stride), o + 1);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(raw, { level: 1 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
