/** A minimal 16-bit PCM WAV writer (RIFF/WAVE, "fmt " + "data" chunks, interleaved stereo). */

import { endianness } from 'node:os';

const LITTLE_ENDIAN = endianness() === 'LE';

/** Discord's attachment limit for a bot without boosts: 10 MiB. */
export const DISCORD_FILE_LIMIT_BYTES = 10 * 1024 * 1024;
export const WAV_HEADER_BYTES = 44;

export interface StereoBuffers {
  readonly left: Float32Array;
  readonly right: Float32Array;
  readonly sampleRate: number;
}

/** The WAV file size for a stereo 16-bit render of `frames` sample frames. */
export function wavSize(frames: number): number {
  return WAV_HEADER_BYTES + frames * 4;
}

/**
 * Encodes stereo float samples (clamped to [-1, 1]) as a 16-bit PCM WAV file; into the start of
 * `target` when given (it must hold wavSize(frames) bytes; the preview worker reuses its buffers).
 */
export function encodeWav(buffers: StereoBuffers, target?: Uint8Array): Buffer {
  const { left, right, sampleRate } = buffers;
  if (left.length !== right.length) throw new Error('left and right channels differ in length');
  const frames = left.length;
  const dataBytes = frames * 4;
  if (target && target.byteLength < WAV_HEADER_BYTES + dataBytes) throw new RangeError('the WAV does not fit into the target buffer');
  const out = target ? Buffer.from(target.buffer, target.byteOffset, WAV_HEADER_BYTES + dataBytes) : Buffer.alloc(WAV_HEADER_BYTES + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16); // fmt chunk size
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(2, 22); // channels
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * 4, 28); // byte rate
  out.writeUInt16LE(4, 32); // block align
  out.writeUInt16LE(16, 34); // bits per sample
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  if (LITTLE_ENDIAN && (out.byteOffset + WAV_HEADER_BYTES) % 2 === 0) {
    const pcm = new Int16Array(out.buffer, out.byteOffset + WAV_HEADER_BYTES, frames * 2);
    for (let i = 0; i < frames; i++) {
      pcm[2 * i] = toInt16(left[i]!);
      pcm[2 * i + 1] = toInt16(right[i]!);
    }
  } else {
    for (let i = 0; i < frames; i++) {
      out.writeInt16LE(toInt16(left[i]!), WAV_HEADER_BYTES + 4 * i);
      out.writeInt16LE(toInt16(right[i]!), WAV_HEADER_BYTES + 4 * i + 2);
    }
  }
  return out;
}

function toInt16(x: number): number {
  const c = x > 1 ? 1 : x < -1 ? -1 : x;
  return Math.round(c * 32767);
}
