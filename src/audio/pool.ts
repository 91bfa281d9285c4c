/**
 * Renders previews on a worker thread so the bot's event loop stays free: one worker, jobs queue
 * in order, each job has a timeout (a stuck worker is terminated and replaced).
 *
 *   const preview = await renderPreviewInWorker(spec, { bars: 4, notes: 'A4 C5 E5 D5' });
 *   // preview.wav: Buffer (16-bit PCM WAV, under 10 MiB), preview.durationS, preview.notes, …
 *
 * Errors: InvalidNotesError / PreviewOptionError (bad user input, same as renderPreview),
 * PreviewTimeoutError (took longer than the timeout), PreviewWorkerError (the worker failed).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Spec } from '../domain/spec.js';
import type { measureSpecReport } from './measure.js';
import { InvalidNotesError, type NotesProblem } from './notes.js';
import type { Inferred } from './params.js';
import { PreviewOptionError, type PreviewOptions, type PreviewProblem } from './render.js';
import { DISCORD_FILE_LIMIT_BYTES } from './wav.js';
import type { JobMessage, WorkerFailure, WorkerJob, WorkerReply } from './worker.js';

export const DEFAULT_TIMEOUT_MS = 20_000;

export interface PreviewFile {
  readonly wav: Buffer;
  readonly bytes: number;
  readonly durationS: number;
  readonly sampleRate: number;
  readonly bars: number;
  readonly bpm: number;
  readonly notes: readonly string[];
  readonly layers: readonly string[];
  readonly inferred: readonly Inferred[];
  /** Time the worker spent rendering and encoding, ms. */
  readonly renderMs: number;
}

export class PreviewTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the preview took longer than ${timeoutMs} ms`);
    this.name = 'PreviewTimeoutError';
  }
}

export class PreviewWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewWorkerError';
  }
}

/**
 * Starts the worker module next to this one: worker.js when running compiled (dist/), worker.ts
 * through tsx's loader when running from source (tests, tsx): a small CommonJS bootstrap
 * registers tsx in the worker thread, then imports the module.
 */
function startWorker(): Worker {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    const url = new URL('./worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
    return new Worker(bootstrap, { eval: true });
  }
  const js = new URL('./worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(js))) throw new PreviewWorkerError(`worker module missing: ${fileURLToPath(js)}`);
  // The worker inherits the process's Node flags, except those only valid for a main script.
  const execArgv = process.execArgv.filter((arg) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(arg));
  return new Worker(js, { execArgv });
}

type Job = { readonly message: JobMessage; resolve(reply: WorkerReply): void; reject(error: Error): void };

function rebuild(error: WorkerFailure): Error {
  if (error.name === 'InvalidNotesError') return new InvalidNotesError(error.reason as NotesProblem, error.message, error.token);
  if (error.name === 'PreviewOptionError') return new PreviewOptionError(error.reason as PreviewProblem, error.message);
  return new PreviewWorkerError(`${error.name}: ${error.message}`);
}

export class PreviewPool {
  private worker: Worker | undefined;
  private readonly queue: Job[] = [];
  private current: { job: Job; id: number; timer: NodeJS.Timeout } | undefined;
  private nextId = 1;
  private closed = false;

  constructor(readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  async render(spec: Spec, options: PreviewOptions = {}): Promise<PreviewFile> {
    const reply = await this.submit({ kind: 'render', spec, options });
    if (!reply.ok || reply.kind !== 'render') throw new PreviewWorkerError('unexpected reply');
    const wav = Buffer.from(reply.wav.buffer, reply.wav.byteOffset, reply.wav.byteLength);
    if (wav.length > DISCORD_FILE_LIMIT_BYTES) throw new PreviewWorkerError(`preview is ${wav.length} bytes, over Discord's limit`);
    return { wav, bytes: wav.length, ...reply.meta, inferred: reply.meta.inferred as Inferred[] };
  }

  async measure(spec: Spec): Promise<ReturnType<typeof measureSpecReport>> {
    const reply = await this.submit({ kind: 'measure', spec });
    if (!reply.ok || reply.kind !== 'measure') throw new PreviewWorkerError('unexpected reply');
    return reply.report;
  }

  /** Terminates the worker; queued jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new PreviewWorkerError('the preview pool is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    if (this.current) {
      clearTimeout(this.current.timer);
      this.current.job.reject(error);
      this.current = undefined;
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private submit(message: JobMessage): Promise<WorkerReply> {
    if (this.closed) return Promise.reject(new PreviewWorkerError('the preview pool is closed'));
    return new Promise<WorkerReply>((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      this.pump();
    }).then((reply) => {
      if (!reply.ok) throw rebuild(reply.error);
      return reply;
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('message', (reply: WorkerReply) => {
      const current = this.current;
      if (!current || reply.id !== current.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      current.job.resolve(reply);
      this.pump();
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const current = this.current;
      this.current = undefined;
      if (current) {
        clearTimeout(current.timer);
        current.job.reject(new PreviewWorkerError(error.message));
      }
      this.pump();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (this.worker === worker) fail(new Error(`worker exited with code ${code}`));
    });
    this.worker = worker;
    return worker;
  }

  private pump(): void {
    if (this.current || this.closed) {
      this.worker?.[this.current ? 'ref' : 'unref']();
      return;
    }
    const job = this.queue.shift();
    if (!job) {
      this.worker?.unref();
      return;
    }
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      job.reject(error instanceof Error ? error : new Error(String(error)));
      this.pump();
      return;
    }
    worker.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => {
      if (this.current?.id !== id) return;
      this.current = undefined;
      const stuck = this.worker;
      this.worker = undefined;
      void stuck?.terminate();
      job.reject(new PreviewTimeoutError(this.timeoutMs));
      this.pump();
    }, this.timeoutMs);
    this.current = { job, id, timer };
    worker.postMessage({ ...job.message, id } as WorkerJob);
  }
}

let shared: PreviewPool | undefined;

/** The process-wide pool (one worker). */
export function previewPool(): PreviewPool {
  shared ??= new PreviewPool();
  return shared;
}

/** Renders a preview WAV on the shared worker (queued behind other renders). */
export function renderPreviewInWorker(spec: Spec, options: PreviewOptions = {}): Promise<PreviewFile> {
  return previewPool().render(spec, options);
}

/** Measured lint on the shared worker. */
export function measureSpecInWorker(spec: Spec): Promise<ReturnType<typeof measureSpecReport>> {
  return previewPool().measure(spec);
}
