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
      // resvg's PNG lives in memory owned by the native addon, which Node 22 refuses to transfer:
      // copy it (about 100 KB) into an ArrayBuffer of our own and transfer that.
      const bytes = new Uint8Array(png);
      const reply: ChartWorkerReply = { id: job.id, ok: true, png: bytes, renderMs: performance.now() - started };
      port.postMessage(reply, [bytes.buffer]);
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
