/**
 * The preview worker thread: renders (or measures) one job at a time, off the main event loop.
 * Started by pool.ts; compiled to dist/src/audio/worker.js, run from src/ with tsx in tests.
 */
import { parentPort } from 'node:worker_threads';
import type { Spec } from '../domain/spec.js';
import { measureSpecReport } from './measure.js';
import { InvalidNotesError } from './notes.js';
import { PreviewOptionError, renderPreview, type PreviewOptions } from './render.js';
import { encodeWav } from './wav.js';

export type JobMessage =
  | { readonly kind: 'render'; readonly spec: Spec; readonly options: PreviewOptions }
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

const port = parentPort;
if (port) {
  port.on('message', (job: WorkerJob) => {
    const started = performance.now();
    try {
      if (job.kind === 'render') {
        const audio = renderPreview(job.spec, job.options);
        const wav = encodeWav(audio);
        const bytes = new Uint8Array(wav.buffer, wav.byteOffset, wav.byteLength);
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
        port.postMessage(reply, wav.byteOffset === 0 && wav.byteLength === wav.buffer.byteLength ? [wav.buffer as ArrayBuffer] : []);
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
