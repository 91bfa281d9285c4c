/**
 * Draws the chart PNG on a worker thread so the bot's event loop stays free (rasterizing takes
 * ~50 ms of CPU). One worker, jobs queue in order, each job has a timeout (a stuck worker is
 * terminated and replaced), and the worker is shut down after a quiet spell. @resvg/resvg-js and
 * the fonts are loaded only inside the worker: this module imports neither (a test checks that
 * the bot's module graph never loads them).
 *
 *   const png = await renderChartPngInWorker(spec); // Buffer, 1200 x 900 by default
 *
 * The last CHART_CACHE_SIZE pictures are kept by a hash of (spec, options), so Preview and Publish
 * of an unchanged draft don't draw again; identical requests in flight share one render. The
 * returned Buffer may be shared with the cache: treat it as read-only.
 *
 * Errors: ChartTimeoutError (took longer than the timeout), ChartWorkerError (the worker failed),
 * ChartBusyError (CHART_MAX_WAITING pictures wait already: refused at once), RangeError (a width
 * outside CHART_WIDTH … CHART_MAX_WIDTH, as renderChartPng).
 */
import { createHash } from 'node:crypto';
import type { Spec } from '../domain/spec.js';
import { RENDER_GATE, startModuleWorker, WorkerPool } from '../util/workerPool.js';
import type { PngOptions } from './png.js';
import type { ChartJobMessage, ChartWorkerReply } from './worker.js';

export const DEFAULT_CHART_TIMEOUT_MS = 10_000;
/** The worker is terminated after this long without a chart (its ~20 MB come back). */
export const CHART_WORKER_IDLE_MS = 5 * 60_000;
export const CHART_CACHE_SIZE = 32;
/** Pictures that may wait for the render slot (~20 ms each); more are refused with ChartBusyError. */
export const CHART_MAX_WAITING = 16;

export class ChartTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the chart took longer than ${timeoutMs} ms`);
    this.name = 'ChartTimeoutError';
  }
}

/** Too many pictures waiting already: the caller goes on without one. */
export class ChartBusyError extends Error {
  constructor(waiting: number) {
    super(`${waiting} charts are waiting already`);
    this.name = 'ChartBusyError';
  }
}

export class ChartWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartWorkerError';
  }
}

export interface ChartPoolOptions {
  readonly timeoutMs?: number;
  readonly idleMs?: number;
  /** Pictures kept (0: no cache). */
  readonly cacheSize?: number;
  /** Pictures that may wait for the render slot (CHART_MAX_WAITING). */
  readonly maxWaiting?: number;
}

/** The cache key of a chart: a hash of the spec and the options. */
export function chartKey(spec: Spec, options: PngOptions = {}): string {
  return createHash('sha256').update(JSON.stringify([spec, options])).digest('base64url');
}

export class ChartPool {
  private readonly jobs: WorkerPool<ChartJobMessage, ChartWorkerReply>;
  private readonly cache = new Map<string, Buffer>();
  private readonly inFlight = new Map<string, Promise<Buffer>>();
  private readonly cacheSize: number;
  /** Renders done by the worker, and answers served from the cache (or a shared in-flight render). */
  readonly stats = { rendered: 0, cached: 0 };

  constructor(options: ChartPoolOptions = {}) {
    this.cacheSize = options.cacheSize ?? CHART_CACHE_SIZE;
    const maxWaiting = options.maxWaiting ?? CHART_MAX_WAITING;
    this.jobs = new WorkerPool<ChartJobMessage, ChartWorkerReply>({
      gate: RENDER_GATE,
      start: () => startModuleWorker(import.meta.url, 'worker', (path) => new ChartWorkerError(`worker module missing: ${path}`)),
      timeoutMs: options.timeoutMs ?? DEFAULT_CHART_TIMEOUT_MS,
      timeoutError: (ms) => new ChartTimeoutError(ms),
      workerError: (message) => new ChartWorkerError(message),
      idleMs: options.idleMs ?? CHART_WORKER_IDLE_MS,
      maxWaiting,
      busyError: () => new ChartBusyError(maxWaiting),
    });
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.jobs.pending;
  }

  /** Whether the worker thread is alive now. */
  get running(): boolean {
    return this.jobs.running;
  }

  /** Workers started so far. */
  get workersStarted(): number {
    return this.jobs.started;
  }

  /** The chart as PNG bytes, drawn on the worker (or from the cache). */
  render(spec: Spec, options: PngOptions = {}): Promise<Buffer> {
    const key = chartKey(spec, options);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit); // most recently used last
      this.stats.cached++;
      return Promise.resolve(hit);
    }
    const running = this.inFlight.get(key);
    if (running) {
      this.stats.cached++;
      return running;
    }
    const job = this.draw(spec, options).then(
      (png) => {
        this.inFlight.delete(key);
        this.remember(key, png);
        return png;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, job);
    return job;
  }

  /** Terminates the worker; queued jobs are rejected. */
  close(): Promise<void> {
    return this.jobs.close();
  }

  private async draw(spec: Spec, options: PngOptions): Promise<Buffer> {
    const reply = await this.jobs.submit({ kind: 'png', spec, options });
    if (!reply.ok) {
      if (reply.error.name === 'RangeError') throw new RangeError(reply.error.message);
      throw new ChartWorkerError(`${reply.error.name}: ${reply.error.message}`);
    }
    this.stats.rendered++;
    return Buffer.from(reply.png.buffer, reply.png.byteOffset, reply.png.byteLength);
  }

  private remember(key: string, png: Buffer): void {
    if (this.cacheSize <= 0) return;
    this.cache.set(key, png);
    while (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value!);
  }
}

let shared: ChartPool | undefined;

/** The process-wide chart pool (one worker, started on first use). */
export function chartPool(): ChartPool {
  shared ??= new ChartPool();
  return shared;
}

/** Draws the chart PNG on the shared worker (queued behind other charts; cached by spec). */
export function renderChartPngInWorker(spec: Spec, options: PngOptions = {}): Promise<Buffer> {
  return chartPool().render(spec, options);
}
