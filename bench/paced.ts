/**
 * The benchmark's request pools and its paced, open-loop sender.
 *
 * The paced sender (the latency phases) runs on its own worker thread: its own V8 heap, small and
 * young. On the bench's main thread it shared a heap of ~130 MB with everything the earlier phases
 * left, and its own garbage collections (incremental marking steps of 10–18 ms, scavenges of
 * 4–9 ms) delayed sends and answers: stalls of the load generator, counted against the bot.
 *
 * Pool items are plain data (they cross to the worker): a request signed ahead, or a form submit
 * built and signed when sent, on the latest version the answers reported (or one to four behind).
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import * as w from './workload.js';

/** A form submit signed when sent, on the channel's live version less `behind` (an older base). */
export interface LiveForm {
  live: 'form';
  channel: string;
  member: number;
  form: w.BenchForm;
  i: number;
  behind: number;
  /** The request's kind in the report, e.g. `form track` or `form hot`. */
  kind: string;
}
export type PoolItem = w.SignedRequest | LiveForm;

export type Counts = Record<string, number>;

export interface Outcomes {
  /** Interactions sent, by kind. */
  sent: Counts;
  formSaved: number;
  formNotSaved: number;
  notSavedSample?: string;
}

/** The request to send for `item` now. */
export function resolveItem(item: PoolItem, signer: w.Signer, liveVersions: Map<string, number>): w.SignedRequest {
  if (!('live' in item)) return item;
  const base = Math.max(1, (liveVersions.get(item.channel) ?? 1) - item.behind);
  return signer.sign(w.formSubmit(item.channel, item.member, item.form, base, item.i), item.kind, item.channel);
}

/** A form answer: saved (the draft's new version becomes the channel's live version) or not. */
export function noteAnswer(outcomes: Outcomes, liveVersions: Map<string, number>, kind: string, channel: string | undefined, body: string): void {
  if (!kind.startsWith('form')) return;
  const m = /\(version (\d+)\)/.exec(body);
  if (m && /Saved \*\*/.test(body)) {
    outcomes.formSaved++;
    if (channel && Number(m[1]) > (liveVersions.get(channel) ?? 0)) liveVersions.set(channel, Number(m[1]));
  } else {
    outcomes.formNotSaved++;
    outcomes.notSavedSample ??= body.slice(0, 300);
  }
}

export interface PacedOptions {
  url: string;
  seconds: number;
  connections: number;
  rate: number;
  /** Keep a per-request trace and this thread's stalls and collections (BENCH_DEBUG_PACED). */
  debug: boolean;
}

export interface PacedResult {
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
  /** Sorted, ms. */
  latencies: Float64Array;
  outcomes: Outcomes;
  /** The live versions the answers reported (merged into the caller's). */
  liveVersions: [string, number][];
  /** The sender's event-loop delay, ms. */
  loop: { p99: number; max: number };
  /** performance.timeOrigin + the start of the window (ms since the epoch), to line up with the bot's clock. */
  startedWall: number;
  /** Debug only: each request (due and latency in ms since the window started), the sender's stalls and collections. */
  trace: { due: number; ms: number; kind: string }[];
  ownStalls: { at: number; ms: number }[];
  ownGcs: { at: number; ms: number; kind: number }[];
}

interface Job {
  pacedSender: true;
  options: PacedOptions;
  pool: PoolItem[];
  privateKeyPem: string;
  liveVersions: [string, number][];
}

/**
 * Open-loop load at a steady rate (for latency at a fixed rate): request i is due at start + i/rate s
 * whatever the answers, on up to `connections` keep-alive sockets (more in flight wait for a free
 * one, as they would at a server). Latency runs from the moment a request was due (a late send
 * counts against the bot, never hides: no coordinated omission). Runs on a worker thread.
 */
export function firePaced(options: PacedOptions, pool: PoolItem[], signer: w.Signer, liveVersions: Map<string, number>): Promise<PacedResult> {
  const job: Job = { pacedSender: true, options, pool, privateKeyPem: signer.privateKeyPem, liveVersions: [...liveVersions] };
  return new Promise((resolve, reject) => {
    // The worker loads this file as TypeScript through tsx's loader, registered in the worker first
    // (a worker's entry does not go through hooks given in execArgv on Node 20).
    const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
    const worker = new Worker(boot, { eval: true, workerData: job });
    worker.once('message', (result: PacedResult) => {
      for (const [channel, version] of result.liveVersions) if (version > (liveVersions.get(channel) ?? 0)) liveVersions.set(channel, version);
      resolve(result);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the paced sender exited with ${code} before answering`)));
  });
}

async function run(job: Job): Promise<PacedResult> {
  const { Agent, request } = await import('node:http');
  const { monitorEventLoopDelay, PerformanceObserver } = await import('node:perf_hooks');
  const { url, seconds, connections, rate, debug } = job.options;
  const signer = w.createSigner(job.privateKeyPem);
  const liveVersions = new Map(job.liveVersions);
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const outcomes: Outcomes = { sent: {}, formSaved: 0, formNotSaved: 0 };
  const latencies = new Float64Array(Math.round(seconds * rate));
  let answeredCount = 0;
  let errors = 0;
  let non2xx = 0;
  const trace: PacedResult['trace'] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  // Debug: when this thread stalled (over 10 ms between 5 ms ticks), and its collections.
  const ownStalls: PacedResult['ownStalls'] = [];
  const ownGcs: PacedResult['ownGcs'] = [];
  let lastTick = performance.now();
  const ticker = debug
    ? setInterval(() => {
        const now = performance.now();
        if (now - lastTick > 15) ownStalls.push({ at: lastTick, ms: now - lastTick - 5 });
        lastTick = now;
      }, 5)
    : undefined;
  const gcObserver = debug
    ? new PerformanceObserver((list) => {
        for (const e of list.getEntries()) ownGcs.push({ at: e.startTime, ms: e.duration, kind: ((e as unknown as { detail: { kind: number } }).detail).kind });
      })
    : undefined;
  gcObserver?.observe({ entryTypes: ['gc'] });
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  // No promise per request, nothing kept of it once answered: the sender's garbage dies young.
  let pending = 0;
  let sent = false;
  let allAnswered = (): void => {};
  const answered = new Promise<void>((resolve) => (allAnswered = resolve));
  const settle = (): void => {
    if (--pending === 0 && sent) allAnswered();
  };
  const started = performance.now();
  const total = latencies.length;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const r = resolveItem(job.pool[i % job.pool.length]!, signer, liveVersions);
    const kind = r.kind.split(' ')[0]!;
    outcomes.sent[kind] = (outcomes.sent[kind] ?? 0) + 1;
    pending++;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      settle();
    };
    const req = request(
      { host: target.hostname, port: target.port, path: r.path, method: r.method, headers: { ...r.headers, 'content-length': String(Buffer.byteLength(r.body)) }, agent, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const ms = performance.now() - due;
          latencies[answeredCount++] = ms;
          if (debug) trace.push({ due: due - started, ms, kind: r.kind });
          if (res.statusCode !== 200) non2xx++;
          if (r.kind.startsWith('form')) noteAnswer(outcomes, liveVersions, r.kind, r.channel, Buffer.concat(chunks).toString('utf8'));
          finish();
        });
        res.on('error', () => {
          errors++;
          finish();
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => {
      errors++;
      finish();
    });
    req.end(r.body);
  }
  sent = true;
  if (pending === 0) allAnswered();
  await answered;
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  loop.disable();
  clearInterval(ticker);
  gcObserver?.disconnect();
  return {
    requests: answeredCount,
    errors,
    non2xx,
    seconds: elapsed,
    latencies: latencies.subarray(0, answeredCount).sort(),
    outcomes,
    liveVersions: [...liveVersions],
    loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
    startedWall: performance.timeOrigin + started,
    trace,
    ownStalls: ownStalls.map((s) => ({ at: s.at - started, ms: s.ms })),
    ownGcs: ownGcs.map((g) => ({ ...g, at: g.at - started })),
  };
}

if (!isMainThread && (workerData as Partial<Job> | undefined)?.pacedSender) {
  const result = await run(workerData as Job);
  parentPort!.postMessage(result, [result.latencies.buffer as ArrayBuffer]);
}
