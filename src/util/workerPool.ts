/**
 * "Typed job → worker thread → reply": one worker, jobs queue in order, each job has a timeout (a
 * stuck worker is terminated and replaced on the next job), the worker is unref'd while idle (it
 * never keeps the process alive) and may be shut down after a quiet spell to give its memory back.
 * Used by the audio preview pool (src/audio/pool.ts) and the chart pool (src/chart/pool.ts).
 *
 *   const pool = new WorkerPool<Job, Reply>({ start: () => startModuleWorker(import.meta.url, 'worker'), … });
 *   const reply = await pool.submit({ kind: 'render', spec }); // the worker answers { id, … }
 *
 * The worker module answers every `{ ...job, id }` message with exactly one `{ id, ... }` message.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts the worker module `<name>` next to the calling module (`callerUrl` = its import.meta.url):
 * `<name>.js` when running compiled (dist/), `<name>.ts` through tsx's loader when running from
 * source (tests, tsx): a small bootstrap registers tsx in the worker thread, then imports it.
 * Throws `missing(path)` when the compiled module is not there. The worker thread runs at the
 * lowest CPU priority (LOW_PRIORITY_BOOTSTRAP): a render only gets CPU time nobody else wants.
 */
export function startModuleWorker(callerUrl: string, name: string, missing: (path: string) => Error = (p) => new Error(`worker module missing: ${p}`)): Worker {
  const nice = LOW_PRIORITY_BOOTSTRAP;
  if (fileURLToPath(callerUrl).endsWith('.ts')) {
    const url = new URL(`./${name}.ts`, callerUrl).href;
    const bootstrap = `${nice} import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); });`;
    return new Worker(bootstrap, { eval: true });
  }
  const js = new URL(`./${name}.js`, callerUrl);
  if (!existsSync(fileURLToPath(js))) throw missing(fileURLToPath(js));
  // The worker inherits the process's Node flags, except those only valid for a main script.
  const execArgv = process.execArgv.filter((arg) => !/^--(input-type|eval|print)\b|^-[ep]$/.test(arg));
  return newWorkerDroppingInvalidFlags(`${nice} import(${JSON.stringify(js.href)});`, execArgv);
}

/**
 * `new Worker(source, { eval: true, execArgv })`; when Node refuses some flags for a worker (V8 and
 * per-process flags such as --max-old-space-size, --max-semi-space-size or --trace-gc given to the
 * bot's `node` command: they apply process-wide anyway), starts it once more without the flags Node
 * named. Without this, any such flag on the command line made every render fail.
 */
export function newWorkerDroppingInvalidFlags(source: string, execArgv: readonly string[]): Worker {
  try {
    return new Worker(source, { eval: true, execArgv: [...execArgv] });
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    const named = /:\s*(.*)$/.exec((error as Error).message)?.[1]?.split(/,\s*/) ?? [];
    const invalid = new Set(named.map((flag) => flag.split('=')[0]));
    const kept = execArgv.filter((arg) => !invalid.has(arg.split('=')[0]!));
    if (kept.length === execArgv.length) throw error;
    return new Worker(source, { eval: true, execArgv: kept });
  }
}

/** Nice value of worker threads started by startModuleWorker (the main thread keeps its own). */
export const WORKER_NICE = 19;

/**
 * Worker-thread source that lowers the thread's own CPU priority before anything else runs (Linux
 * keeps nice and the scheduling policy per thread, and both calls below act on the calling thread
 * only): nice WORKER_NICE, then SCHED_IDLE through `chrt --idle -p 0 <tid>` when chrt is there
 * (util-linux; the switch needs no privilege). Nice 19 alone still lets a running render keep its
 * core for up to a scheduler slice (1.5 ms on two cores) after the event loop's thread wakes up,
 * at every wake-up an interaction needs (the request, each Redis reply, …); a SCHED_IDLE thread is
 * preempted at once, and its core counts as idle when the scheduler places a waking thread.
 * Best effort: without chrt (or off Linux) the thread stays at nice 19.
 */
export const LOW_PRIORITY_BOOTSTRAP =
  `try { require('node:os').setPriority(${WORKER_NICE}); } catch {}` +
  ` try { const tid = require('node:fs').readlinkSync('/proc/thread-self').split('/').pop();` +
  ` require('node:child_process').execFile('chrt', ['--idle', '-p', '0', tid], { timeout: 5000 }, () => {}).unref(); } catch {}`;

/**
 * Limits how many jobs run at once across several pools. The audio and chart pools share
 * RENDER_GATE (one permit), so on a 2-core machine one core always stays free for the event loop.
 */
export class Gate {
  private busy = 0;
  private readonly waiters: (() => void)[] = [];
  constructor(private readonly permits = 1) {}
  tryAcquire(): boolean {
    if (this.busy >= this.permits) return false;
    this.busy++;
    return true;
  }
  release(): void {
    this.busy = Math.max(0, this.busy - 1);
    // Wake waiters until one takes the free permit (a waiter may decline, e.g. a closed pool).
    while (this.busy < this.permits && this.waiters.length > 0) this.waiters.shift()!();
  }
  /** Calls `wake` once, the next time a permit is released. */
  wait(wake: () => void): void {
    this.waiters.push(wake);
  }
}

/** The one render slot shared by the audio preview and chart pools. */
export const RENDER_GATE = new Gate(1);

export interface WorkerPoolOptions {
  /** Starts a new worker (called lazily, and again after a crash, a timeout or an idle shutdown). */
  readonly start: () => Worker;
  /** Longest a job may run once the worker has it, ms. */
  readonly timeoutMs: number;
  /** The error a timed-out job is rejected with. */
  readonly timeoutError: (timeoutMs: number) => Error;
  /** The error for a crashed worker, a closed pool or a worker that cannot start. */
  readonly workerError: (message: string) => Error;
  /** Terminate the worker after this long without a job, ms (undefined: keep it). */
  readonly idleMs?: number;
  /** Shared limit on jobs running at once across pools (undefined: this pool's one worker only). */
  readonly gate?: Gate;
  /**
   * Jobs that may wait (the running one not counted); one more is refused at once with
   * `busyError` (undefined: no limit). Under a flood, a bounded queue answers "busy" in
   * milliseconds instead of holding every job, and its caller, for minutes.
   */
  readonly maxWaiting?: number;
  /** The error a job refused by `maxWaiting` is rejected with. */
  readonly busyError?: () => Error;
}

type Job<J, R> = { readonly message: J; readonly transfer: readonly ArrayBuffer[]; resolve(reply: R): void; reject(error: Error): void };

export class WorkerPool<J extends object, R extends { readonly id: number }> {
  private worker: Worker | undefined;
  private readonly queue: Job<J, R>[] = [];
  private current: { job: Job<J, R>; id: number; timer: NodeJS.Timeout } | undefined;
  private waitingForGate = false;
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private closed = false;
  /** Workers started so far (a restart after a crash, timeout or idle shutdown counts). */
  started = 0;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Whether a worker thread is alive now. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Queues a job; resolves with the worker's reply (whatever it says), rejects on timeout or crash. */
  submit(message: J, transfer: readonly ArrayBuffer[] = []): Promise<R> {
    if (this.closed) return Promise.reject(this.options.workerError('the worker pool is closed'));
    const { maxWaiting } = this.options;
    return new Promise<R>((resolve, reject) => {
      const job: Job<J, R> = { message, transfer, resolve, reject };
      this.queue.push(job);
      this.pump();
      // Still waiting (the worker or the render slot is busy) behind maxWaiting others: refused.
      if (maxWaiting !== undefined && this.queue.length > maxWaiting && this.queue.at(-1) === job) {
        this.queue.pop();
        reject(this.options.busyError?.() ?? this.options.workerError(`${maxWaiting} jobs are waiting already`));
      }
    });
  }

  /** Terminates the worker; queued and running jobs are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    const error = this.options.workerError('the worker pool is closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    if (this.current) {
      clearTimeout(this.current.timer);
      const { job } = this.current;
      this.finish();
      job.reject(error);
    }
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = this.options.start();
    this.started++;
    worker.on('message', (reply: R) => {
      const current = this.current;
      if (!current || reply.id !== current.id) return;
      clearTimeout(current.timer);
      this.finish();
      current.job.resolve(reply);
      this.pump();
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      const current = this.current;
      if (current) this.finish();
      if (current) {
        clearTimeout(current.timer);
        current.job.reject(this.options.workerError(error.message));
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
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.current || this.closed) {
      this.worker?.[this.current ? 'ref' : 'unref']();
      return;
    }
    if (this.queue.length === 0) {
      this.worker?.unref();
      this.armIdle();
      return;
    }
    const gate = this.options.gate;
    if (gate && !gate.tryAcquire()) {
      if (!this.waitingForGate) {
        this.waitingForGate = true;
        gate.wait(() => {
          this.waitingForGate = false;
          this.pump();
        });
      }
      return;
    }
    const job = this.queue.shift()!;
    let worker: Worker;
    try {
      worker = this.ensureWorker();
    } catch (error) {
      gate?.release();
      job.reject(error instanceof Error ? this.options.workerError(error.message) : this.options.workerError(String(error)));
      this.pump();
      return;
    }
    worker.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => {
      if (this.current?.id !== id) return;
      this.finish();
      const stuck = this.worker;
      this.worker = undefined;
      void stuck?.terminate();
      job.reject(this.options.timeoutError(this.options.timeoutMs));
      this.pump();
    }, this.options.timeoutMs);
    this.current = { job, id, timer };
    worker.postMessage({ ...job.message, id }, [...job.transfer]);
  }

  /** Ends the running job's turn: clears it and gives the shared render slot back. */
  private finish(): void {
    if (!this.current) return;
    this.current = undefined;
    this.options.gate?.release();
  }

  private armIdle(): void {
    const { idleMs } = this.options;
    if (idleMs === undefined || !this.worker) return;
    const worker = this.worker;
    this.idleTimer = setTimeout(() => {
      if (this.worker !== worker || this.current || this.queue.length > 0) return;
      this.worker = undefined;
      void worker.terminate();
    }, idleMs);
    this.idleTimer.unref();
  }
}
