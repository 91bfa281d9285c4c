/**
 * The preview worker thread: renders (or measures) one job at a time, off the main event loop.
 * Started by pool.ts; compiled to dist/src/audio/worker.js, run from src/ with tsx in tests.
 *
 * A render writes its WAV WAV_ROOM_BEFORE bytes into an ArrayBuffer with room on both sides (the
 * upload frames it there without a copy, see src/util/room.ts) and transfers that ArrayBuffer to
 * the main thread; the job may bring a spare one back (a previous preview's, once uploaded), so a
 * steady stream of previews allocates no new memory on either thread.
 */
import { parentPort } from 'node:worker_threads';
import type { Spec } from '../domain/spec.js';
import { measureSpecReport } from './measure.js';
import { InvalidNotesError } from './notes.js';
import { PreviewOptionError, renderPreview, type PreviewOptions } from './render.js';
import { encodeWav, wavSize } from './wav.js';

/** Free bytes before the WAV in a reply's ArrayBuffer (a multipart upload's part headers fit there). */
export const WAV_ROOM_BEFORE = 16 * 1024;
/** Free bytes after the WAV (the multipart closing boundary). */
export const WAV_ROOM_AFTER = 1024;
/** WAV buffers are allocated in steps of this size (so that renders of other lengths can reuse them). */
const WAV_BUFFER_STEP = 256 * 1024;

export type JobMessage =
  | { readonly kind: 'render'; readonly spec: Spec; readonly options: PreviewOptions; readonly spare?: ArrayBuffer }
  | { readonly kind: 'measure'; readonly spec: Spec };
export type WorkerJob = JobMessage & { readonly id: number };

export interface WorkerFailure {
  readonly name: string;
  readonly message: string;
  readonly reason?: string;
  readonly token?: string;
}

export type WorkerReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly kind: 'render';
      /** The WAV: WAV_ROOM_BEFORE bytes into its (transferred) ArrayBuffer, room after it. */
      readonly wav: Uint8Array;
      readonly meta: { durationS: number; sampleRate: number; bars: number; bpm: number; notes: readonly string[]; layers: readonly string[]; inferred: unknown[]; renderMs: number };
    }
  | { readonly id: number; readonly ok: true; readonly kind: 'measure'; readonly report: ReturnType<typeof measureSpecReport>; readonly renderMs: number }
  | { readonly id: number; readonly ok: false; readonly error: WorkerFailure };

function failure(error: unknown): WorkerFailure {
  if (error instanceof InvalidNotesError) return { name: error.name, message: error.message, reason: error.reason, ...(error.token ? { token: error.token } : {}) };
  if (error instanceof PreviewOptionError) return { name: error.name, message: error.message, reason: error.reason };
  return { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) };
}

/** An ArrayBuffer with room for `bytes` of WAV: the job's spare when it is large enough. */
function wavBuffer(bytes: number, spare: ArrayBuffer | undefined): ArrayBuffer {
  const needed = WAV_ROOM_BEFORE + bytes + WAV_ROOM_AFTER;
  if (spare && spare.byteLength >= needed) return spare;
  return new ArrayBuffer(Math.ceil(needed / WAV_BUFFER_STEP) * WAV_BUFFER_STEP);
}

const port = parentPort;
if (port) {
  port.on('message', (job: WorkerJob) => {
    const started = performance.now();
    try {
      if (job.kind === 'render') {
        const audio = renderPreview(job.spec, job.options);
        const buffer = wavBuffer(wavSize(audio.left.length), job.spare);
        const wav = encodeWav(audio, new Uint8Array(buffer, WAV_ROOM_BEFORE));
        const bytes = new Uint8Array(buffer, WAV_ROOM_BEFORE, wav.byteLength);
        const reply: WorkerReply = {
          id: job.id,
          ok: true,
          kind: 'render',
          wav: bytes,
          meta: {
            durationS: audio.durationS,
            sampleRate: audio.sampleRate,
            bars: audio.bars,
            bpm: audio.bpm,
            notes: audio.notes,
            layers: audio.layers,
            inferred: [...audio.inferred],
            renderMs: performance.now() - started,
          },
        };
        port.postMessage(reply, [buffer]);
      } else {
        const report = measureSpecReport(job.spec);
        const reply: WorkerReply = { id: job.id, ok: true, kind: 'measure', report, renderMs: performance.now() - started };
        port.postMessage(reply);
      }
    } catch (error) {
      const reply: WorkerReply = { id: job.id, ok: false, error: failure(error) };
      port.postMessage(reply);
    }
  });
}
