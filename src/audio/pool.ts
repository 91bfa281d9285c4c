/**
 * Renders previews on a worker thread so the bot's event loop stays free: one worker, jobs queue
 * in order, each job has a timeout (a stuck worker is terminated and replaced); the queueing is
 * src/util/workerPool.ts.
 *
 *   const preview = await renderPreviewInWorker(spec, { bars: 4, notes: 'A4 C5 E5 D5' });
 *   // preview.wav: Buffer (16-bit PCM WAV, under 10 MiB), preview.durationS, preview.notes, …
 *
 * Errors: InvalidNotesError / PreviewOptionError (bad user input, same as renderPreview),
 * PreviewTimeoutError (took longer than the timeout), PreviewWorkerError (the worker failed).
 */
import type { Spec } from '../domain/spec.js';
import type { measureSpecReport } from './measure.js';
import { InvalidNotesError, type NotesProblem } from './notes.js';
import type { Inferred } from './params.js';
import { PreviewOptionError, type PreviewOptions, type PreviewProblem } from './render.js';
import { DISCORD_FILE_LIMIT_BYTES } from './wav.js';
import { withRoom } from '../util/room.js';
import { RENDER_GATE, startModuleWorker, WorkerPool } from '../util/workerPool.js';
import type { JobMessage, WorkerFailure, WorkerReply } from './worker.js';

export const DEFAULT_TIMEOUT_MS = 20_000;
/** Previews that may wait for the render slot (~0.1 s each for 8 bars); more are refused with PreviewBusyError. */
export const PREVIEW_MAX_WAITING = 8;

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
  /**
   * Gives the WAV's memory back to the pool for a later render (call once the WAV is sent; `wav`
   * must not be used afterwards). Optional: an unreleased preview is garbage-collected as usual.
   */
  release(): void;
}

export class PreviewTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`the preview took longer than ${timeoutMs} ms`);
    this.name = 'PreviewTimeoutError';
  }
}

/** Too many previews waiting already: the member is asked to try again shortly. */
export class PreviewBusyError extends Error {
  constructor(waiting: number) {
    super(`${waiting} previews are waiting already`);
    this.name = 'PreviewBusyError';
  }
}

export class PreviewWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewWorkerError';
  }
}

function rebuild(error: WorkerFailure): Error {
  if (error.name === 'InvalidNotesError') return new InvalidNotesError(error.reason as NotesProblem, error.message, error.token);
  if (error.name === 'PreviewOptionError') return new PreviewOptionError(error.reason as PreviewProblem, error.message);
  return new PreviewWorkerError(`${error.name}: ${error.message}`);
}

/** Released WAV buffers kept for the next renders. */
const SPARE_BUFFERS = 2;

export class PreviewPool {
  private readonly jobs: WorkerPool<JobMessage, WorkerReply>;
  /** WAV buffers released by previews already sent, lent to the next renders (see worker.ts). */
  private readonly spares: ArrayBuffer[] = [];

  constructor(
    readonly timeoutMs = DEFAULT_TIMEOUT_MS,
    readonly maxWaiting = PREVIEW_MAX_WAITING,
  ) {
    this.jobs = new WorkerPool<JobMessage, WorkerReply>({
      maxWaiting,
      busyError: () => new PreviewBusyError(maxWaiting),
      gate: RENDER_GATE,
      start: () => startModuleWorker(import.meta.url, 'worker', (path) => new PreviewWorkerError(`worker module missing: ${path}`)),
      timeoutMs,
      timeoutError: (ms) => new PreviewTimeoutError(ms),
      workerError: (message) => new PreviewWorkerError(message === 'the worker pool is closed' ? 'the preview pool is closed' : message),
    });
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.jobs.pending;
  }

  /**
   * Renders on the worker. The WAV comes back without a copy, with room around it for the upload's
   * framing (src/util/room.ts); call `release()` on the preview once it is sent.
   */
  async render(spec: Spec, options: PreviewOptions = {}): Promise<PreviewFile> {
    const spare = this.spares.pop();
    let reply: WorkerReply;
    try {
      reply = await this.submit({ kind: 'render', spec, options, ...(spare ? { spare } : {}) }, spare ? [spare] : []);
    } catch (error) {
      // Refused before it reached the worker: the spare buffer was not transferred, keep it.
      if (error instanceof PreviewBusyError && spare) this.spares.push(spare);
      throw error;
    }
    if (!reply.ok || reply.kind !== 'render') throw new PreviewWorkerError('unexpected reply');
    const wav = withRoom(Buffer.from(reply.wav.buffer, reply.wav.byteOffset, reply.wav.byteLength));
    if (wav.length > DISCORD_FILE_LIMIT_BYTES) throw new PreviewWorkerError(`preview is ${wav.length} bytes, over Discord's limit`);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const buffer = wav.buffer as ArrayBuffer;
      if (buffer.byteLength > 0 && this.spares.length < SPARE_BUFFERS) this.spares.push(buffer);
    };
    return { wav, bytes: wav.length, ...reply.meta, inferred: reply.meta.inferred as Inferred[], release };
  }

  async measure(spec: Spec): Promise<ReturnType<typeof measureSpecReport>> {
    const reply = await this.submit({ kind: 'measure', spec });
    if (!reply.ok || reply.kind !== 'measure') throw new PreviewWorkerError('unexpected reply');
    return reply.report;
  }

  /** Terminates the worker; queued jobs are rejected. */
  close(): Promise<void> {
    return this.jobs.close();
  }

  private async submit(message: JobMessage, transfer: readonly ArrayBuffer[] = []): Promise<WorkerReply> {
    const reply = await this.jobs.submit(message, transfer);
    if (!reply.ok) throw rebuild(reply.error);
    return reply;
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
