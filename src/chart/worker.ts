/**
 * The chart worker thread: builds the SVG and rasterizes it with @resvg/resvg-js (the only place
 * the bot loads resvg and the fonts), one job at a time, off the main event loop. Started by
 * ./pool.ts; compiled to dist/src/chart/worker.js, run from src/ with tsx in tests.
 */
import { parentPort } from 'node:worker_threads';
import type { Spec } from '../domain/spec.js';
import { renderChartPng, type PngOptions } from './png.js';

export interface ChartJobMessage {
  readonly kind: 'png';
  readonly spec: Spec;
  readonly options: PngOptions;
}
export type ChartWorkerJob = ChartJobMessage & { readonly id: number };

export type ChartWorkerReply =
  | { readonly id: number; readonly ok: true; readonly png: Uint8Array; readonly renderMs: number }
  | { readonly id: number; readonly ok: false; readonly error: { readonly name: string; readonly message: string } };

const port = parentPort;
if (port) {
  port.on('message', (job: ChartWorkerJob) => {
    const started = performance.now();
    try {
      const png = renderChartPng(job.spec, job.options);
      const bytes = new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
      const reply: ChartWorkerReply = { id: job.id, ok: true, png: bytes, renderMs: performance.now() - started };
      // Transfer the bytes when the Buffer owns its whole ArrayBuffer (not a slice of Node's pool).
      port.postMessage(reply, png.byteOffset === 0 && png.byteLength === png.buffer.byteLength ? [png.buffer as ArrayBuffer] : []);
    } catch (error) {
      const reply: ChartWorkerReply = {
        id: job.id,
        ok: false,
        error: { name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) },
      };
      port.postMessage(reply);
    }
  });
}
