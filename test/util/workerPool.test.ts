/**
 * The shared "typed job → worker → reply" pool, with a tiny eval'd worker: jobs run in order one at
 * a time, a job that runs too long is rejected with the timeout error and the stuck worker is
 * replaced, a crashing worker rejects its job and the next job gets a fresh worker, close rejects
 * what is queued; render workers lower their own thread's CPU priority.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { Gate, LOW_PRIORITY_BOOTSTRAP, WORKER_NICE, WorkerPool, newWorkerDroppingInvalidFlags } from '../../src/util/workerPool.js';

type Job = { readonly op: 'echo' | 'spin' | 'crash'; readonly value: number };
type Reply = { readonly id: number; readonly value: number; readonly order: number };

/** Echoes after `value` ms of busy work (spin: forever), counting jobs per worker; crash exits. */
const WORKER = `
const { parentPort } = require('node:worker_threads');
let order = 0;
parentPort.on('message', (job) => {
  if (job.op === 'crash') process.exit(3);
  const until = job.op === 'spin' ? Infinity : Date.now() + job.value;
  while (Date.now() < until) {}
  parentPort.postMessage({ id: job.id, value: job.value, order: order++ });
});`;

class TimedOut extends Error {}
class Failed extends Error {}

let pool: WorkerPool<Job, Reply> | undefined;
afterEach(async () => pool?.close());

function makePool(overrides: Partial<ConstructorParameters<typeof WorkerPool<Job, Reply>>[0]> = {}): WorkerPool<Job, Reply> {
  pool = new WorkerPool<Job, Reply>({
    start: () => new Worker(WORKER, { eval: true }),
    timeoutMs: 2_000,
    timeoutError: (ms) => new TimedOut(`over ${ms} ms`),
    workerError: (message) => new Failed(message),
    ...overrides,
  });
  return pool;
}

describe('WorkerPool', () => {
  it('GIVEN three jobs at once WHEN submitted THEN they run one after the other on one worker, in order', async () => {
    const p = makePool();
    const replies = Promise.all([p.submit({ op: 'echo', value: 5 }), p.submit({ op: 'echo', value: 1 }), p.submit({ op: 'echo', value: 2 })]);
    expect(p.pending).toBe(3);
    expect((await replies).map((r) => [r.value, r.order])).toEqual([
      [5, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(p.pending).toBe(0);
    expect(p.started).toBe(1);
  });

  it('GIVEN at most 2 jobs may wait WHEN 5 are submitted at once THEN one runs, two wait, two are refused at once with the busy error; once they are done a new job is taken', async () => {
    class Busy extends Error {}
    const p = makePool({ maxWaiting: 2, busyError: () => new Busy('busy') });
    const started = performance.now();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((value) => p.submit({ op: 'echo', value: 30 + value })));
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.value : r.reason instanceof Busy ? 'busy' : 'other'))).toEqual([31, 32, 33, 'busy', 'busy']);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90); // the three that ran, one after the other
    await expect(p.submit({ op: 'echo', value: 1 })).resolves.toMatchObject({ value: 1 });
    expect(p.pending).toBe(0);
  });

  it('GIVEN no job may wait (maxWaiting 0) WHEN the pool is idle THEN a job still runs; WHEN one is running THEN the next is refused', async () => {
    const p = makePool({ maxWaiting: 0 });
    const first = p.submit({ op: 'echo', value: 40 });
    await expect(p.submit({ op: 'echo', value: 1 })).rejects.toThrow(/waiting/);
    await expect(first).resolves.toMatchObject({ value: 40 });
    await expect(p.submit({ op: 'echo', value: 2 })).resolves.toMatchObject({ value: 2 });
  });

  it('GIVEN a job that never ends WHEN the timeout passes THEN it is rejected with the timeout error and the next job runs on a new worker', async () => {
    const p = makePool({ timeoutMs: 100 });
    const stuck = p.submit({ op: 'spin', value: 0 });
    const next = p.submit({ op: 'echo', value: 7 });
    await expect(stuck).rejects.toThrow(TimedOut);
    expect(await next).toMatchObject({ value: 7, order: 0 });
    expect(p.started).toBe(2);
  });

  it('GIVEN a worker that exits WHEN its job runs THEN the job fails with the worker error and the pool recovers', async () => {
    const p = makePool();
    await expect(p.submit({ op: 'crash', value: 0 })).rejects.toThrow(Failed);
    expect(await p.submit({ op: 'echo', value: 3 })).toMatchObject({ value: 3 });
    expect(p.started).toBe(2);
  });

  it('GIVEN queued jobs WHEN the pool is closed THEN they are rejected, and later submissions too', async () => {
    const p = makePool();
    const running = expect(p.submit({ op: 'echo', value: 50 })).rejects.toThrow(Failed);
    const queued = expect(p.submit({ op: 'echo', value: 1 })).rejects.toThrow(Failed);
    await p.close();
    await running;
    await queued;
    await expect(p.submit({ op: 'echo', value: 1 })).rejects.toThrow(/closed/);
  });

  it('GIVEN a worker that cannot start WHEN a job is submitted THEN it fails with the worker error', async () => {
    const p = makePool({
      start: () => {
        throw new Error('no module');
      },
    });
    await expect(p.submit({ op: 'echo', value: 1 })).rejects.toThrow(new Failed('no module'));
  });

  it('GIVEN the process flags include V8 flags a worker refuses WHEN a worker starts with them THEN it starts without those flags and answers', async () => {
    expect(() => new Worker(WORKER, { eval: true, execArgv: ['--max-old-space-size=256'] })).toThrow(/invalid execArgv/);
    const p = makePool({ start: () => newWorkerDroppingInvalidFlags(WORKER, ['--max-old-space-size=256', '--max-semi-space-size=8', '--no-warnings']) });
    expect(await p.submit({ op: 'echo', value: 4 })).toMatchObject({ value: 4 });
  });

  it('GIVEN only flags a worker accepts WHEN a worker starts THEN they are kept and the worker answers', async () => {
    const p = makePool({ start: () => newWorkerDroppingInvalidFlags(WORKER, ['--no-warnings']) });
    expect(await p.submit({ op: 'echo', value: 2 })).toMatchObject({ value: 2 });
  });
});

describe('a gate shared by two pools', () => {
  it('GIVEN two pools sharing a one-permit gate WHEN both get jobs at once THEN the jobs never overlap, and all finish', async () => {
    const gate = new Gate(1);
    const a = makePool({ gate });
    const b = new WorkerPool<Job, Reply>({
      start: () => new Worker(WORKER, { eval: true }),
      timeoutMs: 2_000,
      timeoutError: (ms) => new TimedOut(`over ${ms} ms`),
      workerError: (message) => new Failed(message),
      gate,
    });
    const spans: [number, number][] = [];
    const timed = (p: Promise<Reply>, started: () => number) => p.then((r) => (spans.push([started(), Date.now()]), r));
    try {
      // Each job busy-waits 60 ms in its worker; with the gate, four jobs take ≥ 240 ms in all.
      const t0 = Date.now();
      await Promise.all([
        timed(a.submit({ op: 'echo', value: 60 }), () => t0),
        timed(b.submit({ op: 'echo', value: 60 }), () => t0),
        timed(a.submit({ op: 'echo', value: 60 }), () => t0),
        timed(b.submit({ op: 'echo', value: 60 }), () => t0),
      ]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(235);
      expect(spans).toHaveLength(4);
    } finally {
      await b.close();
    }
  });

  it('GIVEN a pool waiting for the gate WHEN it is closed THEN the permit passes to the next waiting pool', async () => {
    const gate = new Gate(1);
    expect(gate.tryAcquire()).toBe(true);
    const woken: string[] = [];
    gate.wait(() => woken.push('declines'));
    gate.wait(() => {
      woken.push('takes');
      expect(gate.tryAcquire()).toBe(true);
    });
    gate.release();
    expect(woken).toEqual(['declines', 'takes']);
    expect(gate.tryAcquire()).toBe(false);
  });
});

describe('render worker priority', () => {
  /** nice and scheduling policy of a thread of this process (Linux /proc). */
  function schedOf(tid: string): { nice: number; policy: number } {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { nice: Number(fields[16]), policy: Number(fields[38]) };
  }
  const SCHED_OTHER = 0;
  const SCHED_IDLE = 5;
  const hasChrt = spawnSync('chrt', ['--version']).status === 0;

  it(`GIVEN a worker thread running the low-priority bootstrap WHEN it has started THEN it runs at nice ${WORKER_NICE}, and SCHED_IDLE where chrt exists, while the main thread keeps its priority`, async () => {
    const worker = new Worker(`${LOW_PRIORITY_BOOTSTRAP} require('node:worker_threads').parentPort.postMessage(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop()); setInterval(() => {}, 1000);`, { eval: true });
    try {
      const tid = await new Promise<string>((resolve) => worker.once('message', resolve));
      // chrt runs in the background: wait (bounded) until the policy has been switched.
      const want = hasChrt ? SCHED_IDLE : SCHED_OTHER;
      for (let i = 0; i < 100 && schedOf(tid).policy !== want; i++) await new Promise((r) => setTimeout(r, 50));
      expect(schedOf(tid)).toEqual({ nice: WORKER_NICE, policy: want });
      expect(schedOf(String(process.pid)).policy).toBe(SCHED_OTHER);
      expect(schedOf(String(process.pid)).nice).not.toBe(WORKER_NICE);
    } finally {
      await worker.terminate();
    }
  });
});
