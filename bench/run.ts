/**
 * `npm run bench`: saltbot's HTTP-interactions benchmark (not a test; CI does not run it).
 *
 * Starts a real redis-server, a fast REST sink (bench/sink.ts, own process) and the bot
 * (`node dist/src/main.js`, SALT_TRANSPORT=http) on loopback, then drives the bot from this
 * process with pre-signed interactions (autocannon):
 *
 *   cold start   spawn → GET /healthz 200 (median of 3 starts); idle RSS after settling
 *   seed         200 channels × /salt new, 4 open votes
 *   sequential   one client, uncontended edits: Redis round trips per edit (bot-side counter)
 *   floor        PING only (signature check + PONG)
 *   mix          70 % modal submits (track/sidechain/timing/details, current or stale base),
 *                20 % vote picks (many members), 10 % /salt show and /salt publish
 *   hot          50 concurrent editors on one draft
 *   fixed rate   the mix at 1,000 interactions/s → latency percentiles; paced open loop (firePaced:
 *                one request due every millisecond, latency from when it was due), for the same
 *                reason as the renders phase below
 *   renders      PING + /salt show at 100/s idle, then while /salt listen (8 bars) and /salt publish
 *                (chart) renders stream through the bot: p99 within 2x idle (+1 ms). Paced open-loop
 *                requests (one every 10 ms), not autocannon's overallRate: that one lets each
 *                connection send its 10 requests of a second back to back when the second starts,
 *                a 100-request burst per second, so its "idle" p99 (~11 ms) was the queue behind
 *                the burst. Four alternating pairs of 5 s windows (idle, busy), percentiles over
 *                each kind's pooled 2,000 samples (a p99 from 600 samples is the 6th worst)
 *   audio & picture  benchAudio() (bench/audio.ts) and chartBenchmark() (src/chart/bench.ts) plus the
 *                chart worker's round trip, against 300 ms for 8 bars and 50 ms for a picture
 *
 * Prints every figure with PASS/MISS against the targets, writes bench/results/latest.json and
 * bench/results/<date>.json. Every phase is bounded; all processes are stopped on exit or failure.
 *
 * Env: BENCH_DEBUG_PACED=1 (the paced phase's latency per half second), BENCH_PHASE_S (default 10), BENCH_CONNECTIONS (50), BENCH_CHANNELS (200), BENCH_NO_PUBLISH=1
 * (diagnostic: the mix without publishes), BENCH_QUICK=1 (diagnostic: floor and mix only), BENCH_CPU_PROF=1
 * (writes a .cpuprofile per bot thread into a temp dir; summarise one with bench/profile.ts),
 * BENCH_ALLOC_PROF=<file> (the bot's allocations during the paced phase, collected ones included:
 * `npx tsx bench/profile.ts --alloc <file>`),
 * BENCH_BOT_NODE_ARGS (extra node flags for the measured bot, e.g. "--trace-gc"), BENCH_BOT_OUTPUT
 * (a file that gets the measured bot's stdout and stderr).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createClient } from '@redis/client';
import { freePort, startRedis, type RedisServer } from '../test/support/redis.js';
import { benchAudio } from './audio.js';
import { firePaced as firePacedOnWorker, noteAnswer, resolveItem, type Counts, type Outcomes, type PoolItem } from './paced.js';
import * as w from './workload.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const PHASE_S = Number(process.env.BENCH_PHASE_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CHANNELS = Number(process.env.BENCH_CHANNELS ?? 200);
const FIXED_RATE = 1000;
const HOT_EDITORS = 50;
const SEQ_EDITS = 200;
/** Diagnostic: BENCH_NO_PUBLISH=1 replaces the mix's publishes by /salt show (publish draws a PNG chart). */
const NO_PUBLISH = process.env.BENCH_NO_PUBLISH === '1';
/** Diagnostic: BENCH_QUICK=1 runs the floor and the mix only (for profiling), then stops. */
const QUICK = process.env.BENCH_QUICK === '1';
/** Diagnostic: BENCH_ALLOC_PROF=<file> writes the bot's allocations during the paced phase (a sampling heap profile that keeps collected objects). */
const ALLOC_PROF = process.env.BENCH_ALLOC_PROF;
/** Diagnostic: BENCH_DEBUG_PACED=1 prints the paced phase's latency per half second. */
const DEBUG_PACED = process.env.BENCH_DEBUG_PACED === '1';

const TARGETS = {
  mixRatio: 0.5,
  mixRps: 2000,
  p99AtFixedMs: 20,
  roundTripsPerEdit: 3,
  coldStartMs: 1000,
  idleRssMb: 120,
  render8BarsMs: 300,
  chartMs: 50,
};
/**
 * Phase (e): PING + /salt show at this rate (paced, on up to OTHERS_CONNECTIONS connections), in
 * RENDER_WINDOWS pairs of RENDER_WINDOW_S windows, idle and while renders run (a listen + a publish,
 * then RENDER_INTERVAL_MS of rest): 2,000 samples of each kind at the defaults.
 */
const OTHERS_RATE = 100;
const OTHERS_CONNECTIONS = 10;
const RENDER_WINDOWS = 4;
const RENDER_WINDOW_S = 5;
const RENDER_INTERVAL_MS = 300;
const r1 = (x: number): number => Math.round(x * 10) / 10;

/** The chart drawn on the chart worker (cache off): the first job (worker start) and the median of 10 more. */
async function chartWorkerRoundTrip(): Promise<{ coldMs: number; medianMs: number }> {
  const { ChartPool } = await import('../src/chart/pool.js');
  const { getBuiltinPreset } = await import('../src/domain/presets.js');
  const pool = new ChartPool({ cacheSize: 0 });
  const spec = getBuiltinPreset('calling')!.spec;
  try {
    let t = performance.now();
    await pool.render(spec);
    const coldMs = performance.now() - t;
    const times: number[] = [];
    for (let i = 0; i < 10; i++) {
      t = performance.now();
      await pool.render(spec);
      times.push(performance.now() - t);
    }
    return { coldMs, medianMs: times.sort((a, b) => a - b)[5]! };
  } finally {
    await pool.close();
  }
}

// ---------------------------------------------------------------- processes & cleanup

const children = new Set<ChildProcess>();
let redis: RedisServer | undefined;

async function cleanup(): Promise<void> {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
  await redis?.stop().catch(() => undefined);
  redis = undefined;
}

process.on('SIGINT', () => void cleanup().then(() => process.exit(130)));
// A hard bound on the whole run, whatever hangs.
setTimeout(() => {
  log('bench: time limit (240 s) reached; stopping');
  void cleanup().then(() => process.exit(2));
}, 240_000).unref();
process.on('SIGTERM', () => void cleanup().then(() => process.exit(143)));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => child.once('exit', () => r()));
}

/** Builds when dist/src/main.js is missing or older than any source file. */
function buildIfNeeded(): void {
  const out = path.join(root, 'dist/src/main.js');
  let builtAt = 0;
  try {
    builtAt = statSync(out).mtimeMs;
  } catch {
    builtAt = 0;
  }
  const newest = (dir: string): number => {
    let max = 0;
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.(ts|json)$/.test(entry.name)) max = Math.max(max, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
    }
    return max;
  };
  if (builtAt > Math.max(newest('src'), newest('commands'), newest('locales'))) return;
  log('building (npm run build) …');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    // tsc still emits on type errors (another change in progress): go on if there is a bot to run.
    try {
      statSync(out);
    } catch {
      throw new Error('npm run build failed');
    }
    log('warning: npm run build reported errors; benchmarking the JavaScript it emitted');
  }
}

/** orphanPids: stopped by the sink if this process dies without cleaning up (kill -9). */
async function startSink(orphanPids: number[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/sink.ts')], {
    cwd: root,
    env: { ...process.env, BENCH_ORPHAN_PIDS: orphanPids.filter(Number.isFinite).join(',') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the REST sink did not start within 10 s')), 10_000);
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const m = /sink listening (\d+)/.exec(text);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the REST sink exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

interface Bot {
  child: ChildProcess;
  url: string;
  readyMs: number;
  output: () => string;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`);
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

async function startBot(env: Record<string, string>, opts: { probe: boolean; cpuProf?: string }): Promise<Bot> {
  const port = await freePort();
  const args = [
    ...(opts.probe ? ['--import', path.join(root, 'bench/probe.mjs')] : []),
    // One .cpuprofile per thread (main, render workers) in that directory.
    ...(opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : []),
    // As `npm start` and the Docker image run it.
    '--max-semi-space-size=32',
    '--heap-growing-percent=400',
    '--v8-pool-size=1',
    ...(process.env.BENCH_BOT_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    path.join(root, 'dist/src/main.js'),
  ];
  let output = '';
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe', ...(opts.probe ? (['ipc'] as const) : [])],
  });
  children.add(child);
  child.stdout!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  if (opts.probe && process.env.BENCH_BOT_OUTPUT) {
    const file = createWriteStream(process.env.BENCH_BOT_OUTPUT);
    child.stdout!.on('data', (c: Buffer) => file.write(c));
    child.stderr!.on('data', (c: Buffer) => file.write(c));
  }
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the bot exited with ${child.exitCode} during start-up:\n${output}`);
    if (await healthy(url)) return { child, url, readyMs: performance.now() - started, output: () => output };
    await sleep(5);
  }
  throw new Error(`the bot did not answer /healthz within 15 s:\n${output}`);
}

async function stopBot(bot: Bot): Promise<void> {
  bot.child.kill('SIGTERM');
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), 15_000);
  await exited(bot.child);
  clearTimeout(timer);
  children.delete(bot.child);
}

function rssMb(pid: number, field: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : NaN;
}

/** CPU seconds (user+system) a process has used so far. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100/s)
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------- counters

interface Snapshot {
  redisCalls: Counts; // INFO commandstats (includes commands run inside scripts)
  botCommands: Counts; // round trips the bot sent (probe)
  casAttempts: number;
  casConflicts: number;
  /** The bot's main thread busy time so far (ms, event-loop utilization; render workers not included). */
  mainThreadMs: number;
  metricsCasRetries: number | undefined;
  sink: { total: number; routes: Counts };
  cpu: { bot: number; redis: number; sink: number; bench: number };
}

function diff(a: Counts, b: Counts): Counts {
  const out: Counts = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = (b[k] ?? 0) - (a[k] ?? 0);
    if (d) out[k] = d;
  }
  return out;
}

const sum = (c: Counts): number => Object.values(c).reduce((x, y) => x + y, 0);

// ---------------------------------------------------------------- load

interface PhaseResult {
  name: string;
  seconds: number;
  requests: number;
  rps: number;
  errors: number;
  non2xx: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** autocannon's own p99 (corrected for coordinated omission when paced). */
  autocannonP99Ms: number;
  redisCallsPerInteraction: number;
  redisRoundTripsPerInteraction: number | undefined;
  casRetries: number | undefined;
  /** CAS conflicts the bench probe saw (cross-check of the /metrics counter). */
  casConflictsProbe: number;
  casRetriesPerInteraction: number | undefined;
  sinkRequests: number;
  cpuSeconds: Snapshot['cpu'];
  botRssMbAfter: number;
  /** Modal submits that saved / did not (e.g. refused: base version no longer in the history). */
  edits: Outcomes;
  /** 1-minute load average after the phase (other work on the machine skews wall-clock figures). */
  loadAvg1: number;
  /** Bot CPU time per interaction (robust to other load on the machine). */
  botCpuMsPerInteraction: number;
  /** The main thread's share (event-loop busy time): the part one bot process cannot spread over cores. */
  botMainThreadMsPerInteraction?: number;
  mix?: Counts;
}

/** p50/p95/p99/max/mean of sorted latencies (ms). */
function latencySummary(sorted: Float64Array): PhaseResult['latencyMs'] {
  const n = sorted.length || 1;
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
    mean: Math.round((sorted.reduce((a, b) => a + b, 0) / n) * 100) / 100,
  };
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i]! * 100) / 100;
}

/** The latest draft version each channel's answers reported ("Saved … (version N)"). */
const liveVersions = new Map<string, number>();
/** The bench's signing key (set in main). */
let signer: w.Signer;

async function fire(
  url: string,
  pool: PoolItem[],
  opts: { seconds: number; connections: number; overallRate?: number; amount?: number },
): Promise<{ requests: number; errors: number; non2xx: number; seconds: number; latencies: Float64Array; acP99: number; outcomes: Outcomes }> {
  let next = 0;
  const outcomes: Outcomes = { sent: {}, formSaved: 0, formNotSaved: 0 };
  const latencies: number[] = [];
  const started = performance.now();
  const instance = autocannon({
    url,
    connections: opts.connections,
    pipelining: 1,
    ...(opts.amount ? { amount: opts.amount } : { duration: opts.seconds }),
    ...(opts.overallRate ? { overallRate: opts.overallRate } : {}),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: '/interactions',
        setupRequest: (req: Record<string, unknown>, context: Record<string, unknown>) => {
          const item = pool[next++ % pool.length]!;
          const r = resolveItem(item, signer, liveVersions);
          context.kind = r.kind;
          const kind = r.kind.split(' ')[0]!;
          outcomes.sent[kind] = (outcomes.sent[kind] ?? 0) + 1;
          context.channel = r.channel;
          return { ...req, method: r.method, path: r.path, headers: r.headers, body: r.body };
        },
        onResponse: (_status: number, body: string, context: Record<string, unknown>) => {
          if (typeof context.kind === 'string') noteAnswer(outcomes, liveVersions, context.kind, context.channel as string | undefined, body);
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await new Promise<Record<string, any>>((resolve, reject) => {
    instance.on('done', resolve);
    instance.on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    errors: Number(result.errors ?? 0) + Number(result.timeouts ?? 0),
    non2xx: Number(result.non2xx ?? 0),
    seconds,
    latencies: sorted,
    acP99: Number(result.latency?.p99 ?? NaN),
    outcomes,
  };
}

/**
 * The paced, open-loop sender (bench/paced.ts, on its own worker thread) at `rate` per second.
 * autocannon's overallRate is not used here: it releases each connection's per-second budget at
 * once, so "1,000/s" arrived as bursts at every second boundary and the p99 measured the queue
 * behind a burst. With BENCH_DEBUG_PACED, prints latency per half second next to the bot's stalls
 * and collections and the sender's own.
 */
async function firePaced(
  url: string,
  pool: PoolItem[],
  opts: { seconds: number; connections: number; rate: number; stalls?: () => Promise<{ stalls: { at: number; ms: number }[]; gcs: { at: number; ms: number; kind: string }[] }> },
): Promise<{ requests: number; errors: number; non2xx: number; seconds: number; latencies: Float64Array; acP99: number; outcomes: Outcomes }> {
  if (DEBUG_PACED) await opts.stalls?.(); // clears the bot's record
  const run = await firePacedOnWorker({ url, seconds: opts.seconds, connections: opts.connections, rate: opts.rate, debug: DEBUG_PACED }, pool, signer, liveVersions);
  log(`  load generator event-loop delay: p99 ${run.loop.p99.toFixed(1)} ms, max ${run.loop.max.toFixed(1)} ms`);
  if (DEBUG_PACED) {
    // Diagnostic: latency percentiles per half second, and the kinds of the requests over 100 ms.
    const halfOf = (msSinceStart: number) => Math.floor(msSinceStart / 500);
    const by = new Map<number, number[]>();
    for (const t of run.trace) by.set(halfOf(t.due), [...(by.get(halfOf(t.due)) ?? []), t.ms]);
    // The bot's main-thread stalls and GC pauses in the same half second (wall clock).
    const bot = (await opts.stalls?.()) ?? { stalls: [], gcs: [] };
    const half = (at: number) => halfOf(at - run.startedWall);
    const gcName = (kind: number) => ({ 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weak callbacks' })[kind] ?? String(kind);
    for (const [b, ls] of [...by].sort((x, y) => x[0] - y[0])) {
      ls.sort((a, c) => a - c);
      const stalls = bot.stalls.filter((x) => half(x.at) === b).map((x) => Math.round(x.ms));
      const gcs: Record<string, number[]> = {};
      for (const g of bot.gcs) if (half(g.at) === b) (gcs[g.kind] ??= []).push(Math.round(g.ms * 10) / 10);
      const gcText = Object.entries(gcs)
        .map(([kind, ms]) => `${kind} ×${ms.length} max ${Math.max(...ms)} ms`)
        .join(', ');
      const own = run.ownStalls.filter((x) => halfOf(x.at) === b).map((x) => Math.round(x.ms));
      const ownGc = run.ownGcs.filter((x) => halfOf(x.at) === b && x.ms > 2).map((x) => `${gcName(x.kind)} ${x.ms.toFixed(1)}`);
      log(
        `  paced ${b / 2}s: n ${ls.length} p50 ${ls[Math.floor(ls.length / 2)]!.toFixed(1)} p99 ${ls[Math.floor(ls.length * 0.99)]!.toFixed(1)} max ${ls.at(-1)!.toFixed(1)} ms` +
          (opts.stalls ? ` | bot stalls ${stalls.length ? stalls.join('/') : '-'} ms | gc ${gcText || '-'}` : '') +
          (own.length ? ` | load generator stalls ${own.join('/')} ms` : '') +
          (ownGc.length ? ` (its gc ${ownGc.join(', ')} ms)` : ''),
      );
    }
    if (process.env.BENCH_DEBUG_SLOW) {
      // Diagnostic: each request over 20 ms (due time since start, latency, kind): one stall shows as a falling ramp.
      for (const t of run.trace) if (t.ms > 20) log(`    slow: due ${t.due.toFixed(1)} ms, took ${t.ms.toFixed(1)} ms, ${t.kind}`);
    }
    const slow: Counts = {};
    for (const t of run.trace) if (t.ms > 100) slow[t.kind] = (slow[t.kind] ?? 0) + 1;
    log(`  requests over 100 ms by kind: ${JSON.stringify(slow)}`);
  }
  return { requests: run.requests, errors: run.errors, non2xx: run.non2xx, seconds: run.seconds, latencies: run.latencies, acP99: percentile(run.latencies, 99), outcomes: run.outcomes };
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const startedAt = new Date();
  const t0 = performance.now();
  buildIfNeeded();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? '?', memGb: Math.round(totalmem() / 2 ** 30), node: process.version };
  log(`saltbot bench — ${startedAt.toISOString()} — ${machine.cpus} × ${machine.cpuModel}, ${machine.memGb} GB, Node ${machine.node}`);

  redis = await startRedis();
  const redisPid = Number((await redisInfo('server')).match(/process_id:(\d+)/)?.[1]);
  const sink = await startSink([redisPid]);
  signer = w.createSigner();
  const env = {
    SALT_TRANSPORT: 'http',
    REDIS_URL: redis.url,
    DISCORD_API_URL: `${sink.url}/api`,
    DISCORD_TOKEN: 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.bench.bench-token-not-a-real-secret',
    DISCORD_APPLICATION_ID: '1300000000000000001',
    DISCORD_GUILD_ID: w.GUILD,
    DISCORD_PUBLIC_KEY: signer.publicKeyHex,
    SALT_EDIT_RATE_PER_MINUTE: '0',
    SALT_REGISTER_COMMANDS: 'changed',
    LOG_LEVEL: 'warn',
  };

  // -- cold start and idle RSS: three plain starts (no probe), median.
  const starts: number[] = [];
  const idle: number[] = [];
  for (let i = 0; i < 3; i++) {
    const bot = await startBot(env, { probe: false });
    starts.push(bot.readyMs);
    await sleep(1500);
    idle.push(rssMb(bot.child.pid!));
    await stopBot(bot);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const coldStartMs = Math.round(med(starts));
  const idleRssMb = med(idle);
  log(`cold start to ready: ${starts.map((s) => Math.round(s)).join(' / ')} ms (median ${coldStartMs}); idle RSS ${idle.join(' / ')} MB`);

  // -- the measured bot (with the counting probe).
  const cpuProf = process.env.BENCH_CPU_PROF === '1' ? path.join(tmpdir(), `saltbot-bench-${Date.now()}`) : undefined;
  if (cpuProf) log(`CPU profiles of the bot's threads → ${cpuProf}/ (summary: npx tsx bench/profile.ts ${cpuProf}/<file>.cpuprofile)`);
  const bot = await startBot(env, { probe: true, ...(cpuProf ? { cpuProf } : {}) });
  const botPid = bot.child.pid!;
  const sinkPid = sink.child.pid!;

  /** Asks the bot's probe (bench/probe.mjs) over IPC: sends `bench:<what>`, resolves with the answer of that type. */
  function askProbe<T>(what: 'stats' | 'stalls' | 'allocStart' | 'allocStop'): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bot probe did not answer')), 5000);
      const onMessage = (m: any) => {
        if (m?.type !== `bench:${what}`) return;
        clearTimeout(timer);
        bot.child.off('message', onMessage);
        resolve(m as T);
      };
      bot.child.on('message', onMessage);
      bot.child.send(`bench:${what}`);
    });
  }
  const probeStats = () =>
    askProbe<{ commands: Counts; casAttempts: number; casConflicts: number; mainThreadMs: number; loopDelayMaxMs?: number; loopDelayP99Ms?: number; heapUsedMb?: number }>('stats');
  /** Diagnostic (BENCH_DEBUG_PACED): the bot's main-thread stalls and GC pauses since the last call, wall-clock times. */
  const probeStalls = () => askProbe<{ stalls: { at: number; ms: number }[]; gcs: { at: number; ms: number; kind: string }[] }>('stalls');

  async function metricsCasRetries(): Promise<number | undefined> {
    try {
      const res = await fetch(`${bot.url}/metrics`);
      const text = await res.text();
      if (res.status !== 200) return undefined;
      let total: number | undefined;
      for (const line of text.split('\n')) {
        const m = /^(\w*cas\w*retr\w*?)(?:_total)?(\{[^}]*\})?\s+([0-9.eE+-]+)$/.exec(line);
        if (m) total = (total ?? 0) + Number(m[3]);
      }
      return total;
    } catch {
      return undefined;
    }
  }

  /** Counters; /metrics is read outside the window the Redis counters cover (it may read the store). */
  async function snapshot(when: 'before' | 'after'): Promise<Snapshot> {
    const metricsCas = when === 'before' ? await metricsCasRetries() : undefined;
    const probe = await probeStats();
    const redisCalls = await commandStats();
    const sinkStats = await fetch(`${sink.url}/__stats`).then((r) => r.json() as Promise<{ total: number; routes: Counts }>);
    const metricsAfter = when === 'after' ? await metricsCasRetries() : metricsCas;
    return {
      redisCalls,
      botCommands: probe.commands,
      casAttempts: probe.casAttempts,
      casConflicts: probe.casConflicts,
      mainThreadMs: probe.mainThreadMs,
      metricsCasRetries: metricsAfter,
      sink: sinkStats,
      cpu: { bot: cpuSeconds(botPid), redis: cpuSeconds(redisPid), sink: cpuSeconds(sinkPid), bench: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6 },
    };
  }

  /** Waits until the bot's after-work (card refreshes, follow-ups) has drained (or at most maxMs). */
  async function quiesce(maxMs = 10_000): Promise<void> {
    const deadline = Date.now() + maxMs;
    let last = -1;
    let stable = 0;
    while (Date.now() < deadline) {
      const s = await fetch(`${sink.url}/__stats`).then((r) => r.json() as Promise<{ total: number }>);
      const calls = sum(await commandStats());
      const now = s.total + calls;
      stable = now === last ? stable + 1 : 0;
      // @discordjs/rest sends at most 50 requests per second and then pauses: stable for > 1 s.
      if (stable >= 3) return;
      last = now;
      await sleep(400);
    }
  }

  async function send(req: w.SignedRequest): Promise<any> {
    const res = await fetch(`${bot.url}${req.path}`, { method: 'POST', headers: req.headers, body: req.body });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${req.kind}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text);
  }

  async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
    for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
  }

  // -- seed: drafts in CHANNELS channels, 4 open votes.
  const seedStarted = performance.now();
  const channels = Array.from({ length: CHANNELS }, (_, i) => w.channelId(i));
  await inBatches(channels, 16, async (ch) => {
    const reply = await send(signer.sign(w.saltNew(ch, 0), 'new'));
    if (reply.type !== 4) throw new Error(`/salt new answered type ${reply.type}: ${JSON.stringify(reply).slice(0, 300)}`);
  });
  const votes: { channel: string; customId: string }[] = [];
  for (let v = 0; v < 4; v++) {
    const ch = channels[v * 7]!;
    const reply = await send(signer.sign(w.saltVote(ch, 1), 'vote open'));
    const found = JSON.stringify(reply).match(/s1:vote:pick:[A-Za-z0-9_-]+/);
    if (!found) throw new Error(`/salt vote gave no pick select: ${JSON.stringify(reply).slice(0, 300)}`);
    votes.push({ channel: ch, customId: found[0] });
  }
  await quiesce();
  log(`seeded ${CHANNELS} drafts and ${votes.length} open votes in ${Math.round(performance.now() - seedStarted)} ms`);

  const redisReader = createClient({ url: redis.url });
  await redisReader.connect();
  async function versions(): Promise<Map<string, number>> {
    const keys = channels.map((ch) => `saltbot:draft:${w.GUILD}:${ch}`);
    const raw = await redisReader.mGet(keys);
    const out = new Map<string, number>();
    raw.forEach((v, i) => out.set(channels[i]!, v ? Number((JSON.parse(v) as { value: { version: number } }).value.version) : 1));
    return out;
  }

  // -- sanity: one of each kind, checked.
  {
    const ver = await versions();
    const ch = channels[1]!;
    for (const form of w.FORMS) {
      const reply = await send(signer.sign(w.formSubmit(ch, 2, form, ver.get(ch)!, 3), `form ${form}`));
      const text = JSON.stringify(reply);
      if (reply.type !== 4 || !/Saved/.test(text)) throw new Error(`form ${form} was not saved: ${text.slice(0, 400)}`);
      ver.set(ch, ver.get(ch)! + 1);
    }
    const stale = await send(signer.sign(w.formSubmit(ch, 3, 'track', 1, 5), 'form stale'));
    if (stale.type !== 4 || !/Saved/.test(JSON.stringify(stale))) throw new Error(`stale form was not saved: ${JSON.stringify(stale).slice(0, 400)}`);
    const pick = await send(signer.sign(w.votePick(votes[0]!.channel, 5, votes[0]!.customId, 'calling'), 'vote pick'));
    if (pick.type !== 7) throw new Error(`vote pick answered ${JSON.stringify(pick).slice(0, 300)}`);
    const show = await send(signer.sign(w.saltShow(ch, 2), 'show'));
    if (show.type !== 4) throw new Error(`/salt show answered ${JSON.stringify(show).slice(0, 300)}`);
    const publish = await send(signer.sign(w.saltPublish(channels[2]!, 2), 'publish'));
    if (publish.type !== 5) throw new Error(`/salt publish answered ${JSON.stringify(publish).slice(0, 300)} (expected a deferred reply)`);
    await quiesce();
    log('sanity: every interaction kind answered as expected (modal saved ×5, vote 7, show 4, publish 5 + follow-up)');
  }

  const phases: PhaseResult[] = [];
  async function measure(name: string, pool: PoolItem[], opts: { seconds: number; connections: number; overallRate?: number; amount?: number; paced?: boolean }): Promise<PhaseResult> {
    const before = await snapshot('before');
    if (ALLOC_PROF && opts.paced) await askProbe('allocStart');
    const run = opts.paced && opts.overallRate ? await firePaced(bot.url, pool, { seconds: opts.seconds, connections: opts.connections, rate: opts.overallRate, stalls: probeStalls }) : await fire(bot.url, pool, opts);
    if (ALLOC_PROF && opts.paced) {
      const { profile } = await askProbe<{ profile: unknown }>('allocStop');
      writeFileSync(ALLOC_PROF, JSON.stringify(profile));
      log(`  allocation profile of the paced phase (every allocation sampled, collected or not): ${ALLOC_PROF} (npx tsx bench/profile.ts --alloc ${ALLOC_PROF})`);
    }
    const loop = await probeStats();
    if (loop.loopDelayMaxMs !== undefined) log(`  bot event-loop delay during ${name}: p99 ${loop.loopDelayP99Ms!.toFixed(1)} ms, max ${loop.loopDelayMaxMs.toFixed(1)} ms; heap used ${loop.heapUsedMb} MB`);
    await quiesce();
    const after = await snapshot('after');
    const redisCalls = diff(before.redisCalls, after.redisCalls);
    const botCommands = diff(before.botCommands, after.botCommands);
    const casRetries =
      after.metricsCasRetries !== undefined && before.metricsCasRetries !== undefined
        ? after.metricsCasRetries - before.metricsCasRetries
        : after.casConflicts - before.casConflicts;
    const n = run.requests || 1;
    const result: PhaseResult = {
      name,
      seconds: Math.round(run.seconds * 100) / 100,
      requests: run.requests,
      rps: Math.round(run.requests / run.seconds),
      errors: run.errors,
      non2xx: run.non2xx,
      latencyMs: latencySummary(run.latencies),
      autocannonP99Ms: run.acP99,
      redisCallsPerInteraction: Math.round((sum(redisCalls) / n) * 100) / 100,
      redisRoundTripsPerInteraction: Math.round((sum(botCommands) / n) * 100) / 100,
      casRetries,
      casConflictsProbe: after.casConflicts - before.casConflicts,
      casRetriesPerInteraction: Math.round((casRetries / n) * 1000) / 1000,
      sinkRequests: after.sink.total - before.sink.total,
      cpuSeconds: {
        bot: Math.round((after.cpu.bot - before.cpu.bot) * 100) / 100,
        redis: Math.round((after.cpu.redis - before.cpu.redis) * 100) / 100,
        sink: Math.round((after.cpu.sink - before.cpu.sink) * 100) / 100,
        bench: Math.round((after.cpu.bench - before.cpu.bench) * 100) / 100,
      },
      botRssMbAfter: rssMb(botPid),
      edits: run.outcomes,
      loadAvg1: Math.round(loadavg()[0]! * 100) / 100,
      botCpuMsPerInteraction: Math.round(((after.cpu.bot - before.cpu.bot) * 1000 * 1000) / n) / 1000,
      botMainThreadMsPerInteraction: Math.round(((after.mainThreadMs - before.mainThreadMs) * 1000) / n) / 1000,
      mix: run.outcomes.sent,
    };
    phases.push(result);
    const l = result.latencyMs;
    log(
      `${name.padEnd(12)} ${String(result.rps).padStart(6)} req/s  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  ` +
        `redis ${result.redisRoundTripsPerInteraction} round trips (${result.redisCallsPerInteraction} calls)/interaction  ` +
        `CAS retries ${casRetries}  edits saved ${run.outcomes.formSaved}/${run.outcomes.formSaved + run.outcomes.formNotSaved}  errors ${run.errors + run.non2xx}  bot cpu ${result.botCpuMsPerInteraction} ms/interaction (main thread ${result.botMainThreadMsPerInteraction})  load ${result.loadAvg1}  cpu s bot ${result.cpuSeconds.bot} redis ${result.cpuSeconds.redis} sink ${result.cpuSeconds.sink} bench ${result.cpuSeconds.bench}`,
    );
    if (run.outcomes.notSavedSample) log(`             first submit that did not save: ${run.outcomes.notSavedSample.slice(0, 200)}`);
    if (DEBUG_PACED || QUICK) log(`  REST calls the sink got in the window, by route: ${JSON.stringify(diff(before.sink.routes, after.sink.routes))}; mix sent ${JSON.stringify(run.outcomes.sent)}`);
    return result;
  }

  // -- sequential, uncontended edits: round trips per edit (request path + card refresh).
  let seqDetail: { roundTripsPerEdit: number; byCommand: Counts; redisCallsPerEdit: number; sinkPerEdit: number };
  {
    const ver = await versions();
    const pool = Array.from({ length: SEQ_EDITS }, (_, i) => {
      const ch = channels[i % channels.length]!;
      const base = ver.get(ch)!;
      ver.set(ch, base + 1);
      return signer.sign(w.formSubmit(ch, 10 + (i % 50), w.FORMS[i % w.FORMS.length]!, base, i), `form ${w.FORMS[i % w.FORMS.length]}`);
    });
    const before = await snapshot('before');
    const run = await fire(bot.url, pool, { seconds: 30, connections: 1, amount: SEQ_EDITS });
    await quiesce();
    const after = await snapshot('after');
    const byCommand = diff(before.botCommands, after.botCommands);
    seqDetail = {
      roundTripsPerEdit: Math.round((sum(byCommand) / run.requests) * 100) / 100,
      byCommand: Object.fromEntries(Object.entries(byCommand).map(([k, v]) => [k, Math.round((v / run.requests) * 100) / 100])),
      redisCallsPerEdit: Math.round((sum(diff(before.redisCalls, after.redisCalls)) / run.requests) * 100) / 100,
      sinkPerEdit: Math.round(((after.sink.total - before.sink.total) / run.requests) * 100) / 100,
    };
    const sorted = run.latencies;
    log(
      `sequential   ${run.requests} uncontended edits, p50 ${percentile(sorted, 50)} ms p99 ${percentile(sorted, 99)} ms: ` +
        `${seqDetail.roundTripsPerEdit} Redis round trips per edit ${JSON.stringify(seqDetail.byCommand)} ` +
        `(${seqDetail.redisCallsPerEdit} commands incl. inside scripts); CAS conflicts ${after.casConflicts - before.casConflicts}`,
    );
  }

  // -- (a) PING floor.
  const pingPool = Array.from({ length: 2000 }, () => signer.sign(w.ping(), 'ping'));
  const floor = await measure('ping floor', pingPool, { seconds: PHASE_S, connections: CONNECTIONS });

  // -- (b) the realistic mix over many channels.
  let member = 100;
  /** Edits are signed when sent, on the latest version the answers reported (or one to four behind). */
  async function mixPool(size: number): Promise<PoolItem[]> {
    for (const [ch, v] of await versions()) if (v > (liveVersions.get(ch) ?? 0)) liveVersions.set(ch, v);
    const pool: PoolItem[] = [];
    for (let i = 0; i < size; i++) {
      const r = (i * 7919) % 100; // deterministic spread of kinds
      const ch = channels[(i * 31) % channels.length]!;
      const m = member++ % 5000;
      if (r < 70) {
        // Half on the latest version the answers reported, half one to four behind.
        const form = w.FORMS[i % w.FORMS.length]!;
        pool.push({ live: 'form', channel: ch, member: m, form, i, behind: i % 2 === 0 ? 0 : 1 + (i % 4), kind: `form ${form}` });
      } else if (r < 90) {
        const vote = votes[i % votes.length]!;
        pool.push(signer.sign(w.votePick(vote.channel, m, vote.customId, w.VOTE_OPTIONS[i % w.VOTE_OPTIONS.length]!), 'vote'));
      } else if (r < 95 || NO_PUBLISH) {
        pool.push(signer.sign(w.saltShow(ch, m), 'show'));
      } else {
        pool.push(signer.sign(w.saltPublish(ch, m), 'publish'));
      }
    }
    return pool;
  }
  const mix = await measure('mix', await mixPool(30_000), { seconds: PHASE_S, connections: CONNECTIONS });
  if (QUICK) {
    // Diagnostic: floor, mix and the paced mix at 1,000/s only; no verdicts, no results files.
    await measure('mix@1000/s', await mixPool(FIXED_RATE * PHASE_S + 2000), { seconds: PHASE_S, connections: CONNECTIONS, overallRate: FIXED_RATE, paced: true });
    log(`quick: mix/floor ${Math.round((mix.rps / floor.rps) * 100)} %; stopping (BENCH_QUICK=1)`);
    if (DEBUG_PACED) log(`redis slowlog (commands over 10 ms): ${JSON.stringify(await redisReader.sendCommand(['SLOWLOG', 'GET', '10'])).slice(0, 1500)}`);
    // What an edit moves: the size of a draft record and of its history list (median over the channels).
    const sizes = { record: [] as number[], historyItems: [] as number[], historyBytes: [] as number[] };
    for (const ch of channels.slice(0, 50)) {
      sizes.record.push(Number(await redisReader.sendCommand(['STRLEN', `saltbot:draft:${w.GUILD}:${ch}`])));
      sizes.historyItems.push(Number(await redisReader.sendCommand(['LLEN', `saltbot:history:${w.GUILD}:${ch}`])));
      sizes.historyBytes.push(Number(await redisReader.sendCommand(['MEMORY', 'USAGE', `saltbot:history:${w.GUILD}:${ch}`])));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    log(`stored sizes (median of 50 channels): draft record ${median(sizes.record)} B, history ${median(sizes.historyItems)} entries in ${median(sizes.historyBytes)} B`);
    await redisReader.close();
    await stopBot(bot);
    return;
  }

  // -- (c) hot channel: 50 concurrent editors on one draft.
  {
    const hot = channels[3]!;
    for (const [ch, v] of await versions()) if (v > (liveVersions.get(ch) ?? 0)) liveVersions.set(ch, v);
    // Each editor submits on the latest version it has seen, or one or two behind (opened a moment ago).
    const pool: PoolItem[] = Array.from({ length: 5000 }, (_, i) => ({
      live: 'form' as const,
      channel: hot,
      member: 3000 + (i % HOT_EDITORS),
      form: w.FORMS[i % w.FORMS.length]!,
      i,
      behind: i % 3,
      kind: 'form hot',
    }));
    await measure('hot channel', pool, { seconds: PHASE_S, connections: HOT_EDITORS });
  }

  // -- (d) fixed 1,000 interactions/s: latency.
  // Paced (open loop, one request every millisecond): see firePaced.
  const fixed = await measure('mix@1000/s', await mixPool(FIXED_RATE * PHASE_S + 2000), { seconds: PHASE_S, connections: CONNECTIONS, overallRate: FIXED_RATE, paced: true });

  // -- (e) other interactions while renders run: PING + /salt show at OTHERS_RATE, paced (open
  // loop: one request every 1000/OTHERS_RATE ms whatever the answers, on up to 10 keep-alive
  // connections; latency from when a request was due to the end of its answer: firePaced), in RENDER_WINDOWS pairs of
  // windows: idle, then while a stream of /salt listen (8 bars, audio worker) and /salt publish
  // (chart worker) runs through the bot. Pairs alternate so that load from outside the bench
  // hits both kinds alike; each kind's percentiles are over its pooled samples.
  // Target: busy p99 within 2x idle (+1 ms of timer noise).
  const renderWindowS = Math.min(PHASE_S, RENDER_WINDOW_S);
  const othersPool = (size: number): w.SignedRequest[] =>
    Array.from({ length: size }, (_, i) =>
      i % 2 === 0 ? signer.sign(w.ping(), 'ping') : signer.sign(w.saltShow(channels[(i * 13) % channels.length]!, 7000 + (i % 500)), 'show'),
    );
  const stream = { listens: 0, publishes: 0, publishAsked: 0, firstResponseMs: [] as number[], failures: 0 };
  let streamed = 0;
  /** A listen + a publish, then RENDER_INTERVAL_MS of rest, until `seconds` have passed. */
  async function renderStream(seconds: number): Promise<void> {
    const ends = performance.now() + seconds * 1000;
    while (performance.now() < ends) {
      const i = streamed++;
      const ch = channels[(i * 17 + 5) % channels.length]!;
      const started = performance.now();
      const answers = await Promise.allSettled([send(signer.sign(w.saltListen(ch, 8000 + i, 8), 'listen')), send(signer.sign(w.saltPublish(channels[(i * 29 + 11) % channels.length]!, 8000 + i), 'publish'))]);
      stream.firstResponseMs.push(performance.now() - started);
      const [listen, publish] = answers;
      if (listen!.status === 'rejected' || listen!.value?.type !== 5) stream.failures++;
      // A publish with lint warnings asks first (type 4, no chart): counted, not a failure.
      if (publish!.status === 'fulfilled' && publish!.value?.type === 4) stream.publishAsked++;
      else if (publish!.status === 'rejected' || publish!.value?.type !== 5) stream.failures++;
      stream.listens++;
      stream.publishes++;
      await sleep(RENDER_INTERVAL_MS);
    }
  }
  type OthersKind = 'idle' | 'busy';
  const others: Record<OthersKind, { latencies: number[]; windowP99s: number[]; errors: number; non2xx: number; seconds: number; sent: Counts; diffs: Snapshot[] }> = {
    idle: { latencies: [], windowP99s: [], errors: 0, non2xx: 0, seconds: 0, sent: {}, diffs: [] },
    busy: { latencies: [], windowP99s: [], errors: 0, non2xx: 0, seconds: 0, sent: {}, diffs: [] },
  };
  const sinkBefore = await fetch(`${sink.url}/__stats`).then((r) => r.json() as Promise<{ routes: Counts }>);
  for (let win = 0; win < RENDER_WINDOWS; win++) {
    for (const kind of ['idle', 'busy'] as const) {
      const before = await snapshot('before');
      const renders = kind === 'busy' ? renderStream(renderWindowS) : undefined;
      const run = await firePaced(bot.url, othersPool(OTHERS_RATE * renderWindowS + 100), { seconds: renderWindowS, connections: OTHERS_CONNECTIONS, rate: OTHERS_RATE });
      await renders;
      // Wait for the uploads and card refreshes to drain, so that the next window starts quiet.
      await quiesce(30_000);
      const after = await snapshot('after');
      const acc = others[kind];
      acc.latencies.push(...run.latencies);
      acc.windowP99s.push(percentile(run.latencies, 99));
      acc.errors += run.errors;
      acc.non2xx += run.non2xx;
      acc.seconds += run.seconds;
      for (const [k, v] of Object.entries(run.outcomes.sent)) acc.sent[k] = (acc.sent[k] ?? 0) + v;
      acc.diffs.push(before, after);
    }
    log(`others       window ${win + 1}/${RENDER_WINDOWS}: p99 idle ${others.idle.windowP99s[win]} ms, during renders ${others.busy.windowP99s[win]} ms`);
  }
  /** One PhaseResult for a kind's windows together (latencies pooled, counters summed). */
  function othersResult(name: string, kind: OthersKind): PhaseResult {
    const acc = others[kind];
    const d = (f: (s: Snapshot) => number): number => acc.diffs.reduce((total, s, i) => total + (i % 2 === 1 ? f(s) - f(acc.diffs[i - 1]!) : 0), 0);
    const sorted = Float64Array.from(acc.latencies).sort();
    const n = sorted.length || 1;
    const casConflicts = d((s) => s.casConflicts);
    const cpu = (k: keyof Snapshot['cpu']): number => Math.round(d((s) => s.cpu[k]) * 100) / 100;
    const result: PhaseResult = {
      name,
      seconds: Math.round(acc.seconds * 100) / 100,
      requests: sorted.length,
      rps: Math.round(sorted.length / acc.seconds),
      errors: acc.errors,
      non2xx: acc.non2xx,
      latencyMs: latencySummary(sorted),
      autocannonP99Ms: NaN,
      redisCallsPerInteraction: Math.round((d((s) => sum(s.redisCalls)) / n) * 100) / 100,
      redisRoundTripsPerInteraction: Math.round((d((s) => sum(s.botCommands)) / n) * 100) / 100,
      casRetries: casConflicts,
      casConflictsProbe: casConflicts,
      casRetriesPerInteraction: Math.round((casConflicts / n) * 1000) / 1000,
      sinkRequests: d((s) => s.sink.total),
      cpuSeconds: { bot: cpu('bot'), redis: cpu('redis'), sink: cpu('sink'), bench: cpu('bench') },
      botRssMbAfter: rssMb(botPid),
      edits: { sent: acc.sent, formSaved: 0, formNotSaved: 0 },
      loadAvg1: Math.round(loadavg()[0]! * 100) / 100,
      botCpuMsPerInteraction: Math.round((d((s) => s.cpu.bot) * 1000 * 1000) / n) / 1000,
      botMainThreadMsPerInteraction: Math.round((d((s) => s.mainThreadMs) * 1000) / n) / 1000,
      mix: acc.sent,
    };
    phases.push(result);
    const l = result.latencyMs;
    log(
      `${name.padEnd(12)} ${String(result.rps).padStart(6)} req/s  p50 ${l.p50} ms  p95 ${l.p95} ms  p99 ${l.p99} ms  max ${l.max} ms  (${result.requests} requests in ${RENDER_WINDOWS} windows; ` +
        `window p99s ${acc.windowP99s.join(' / ')} ms)  errors ${result.errors + result.non2xx}  bot cpu ${result.botCpuMsPerInteraction} ms/interaction (main thread ${result.botMainThreadMsPerInteraction})  load ${result.loadAvg1}`,
    );
    return result;
  }
  const othersIdle = othersResult('others idle', 'idle');
  const othersBusy = othersResult('others+renders', 'busy');
  const sinkAfter = await fetch(`${sink.url}/__stats`).then((r) => r.json() as Promise<{ routes: Counts }>);
  const delivered = diff(sinkBefore.routes, sinkAfter.routes);
  const rendersDetail = {
    ...stream,
    firstResponseMs: undefined,
    firstResponseP99Ms: percentile(Float64Array.from(stream.firstResponseMs).sort(), 99),
    listenEditsAndPublishFollowUps: (delivered['PATCH /webhooks/:app/:token/messages/@original'] ?? 0) + (delivered['POST /webhooks/:app/:token'] ?? 0),
    botRssMbWithWorkers: rssMb(botPid),
  };
  const othersLimitMs = Math.round((2 * othersIdle.latencyMs.p99 + 1) * 100) / 100;
  log(
    `renders      ${stream.listens} × /salt listen (8 bars) + ${stream.publishes} × /salt publish in ${RENDER_WINDOWS} × ${renderWindowS} s; first responses p99 ${rendersDetail.firstResponseP99Ms} ms, ` +
      `${stream.publishAsked} publishes asked first (lint), ${stream.failures} failed; ${rendersDetail.listenEditsAndPublishFollowUps} WAV edits + publish follow-ups delivered; bot RSS ${rendersDetail.botRssMbWithWorkers} MB`,
  );

  const peakRssMb = rssMb(botPid, 'VmHWM');
  const sinkRoutes = (await fetch(`${sink.url}/__stats`).then((r) => r.json())) as { total: number; routes: Counts };
  await redisReader.close();
  await stopBot(bot);
  const botOutput = bot.output();
  const warnings = botOutput.split('\n').filter((l) => /"level":(40|50|60)/.test(l));

  // -- audio & picture (in this process, the bot stopped): render speed against the issue's targets.
  log('audio & picture');
  const audioFigures = await benchAudio();
  for (const f of audioFigures) log(`  ${f.name.padEnd(54)} ${String(f.value).padStart(8)} ${f.unit}${f.pass === undefined ? '' : `  ${f.pass ? 'PASS' : 'MISS'} (≤ ${f.max} ${f.unit})`}`);
  const { chartBenchmark } = await import('../src/chart/bench.js');
  const chart = chartBenchmark();
  const chartWorker = await chartWorkerRoundTrip();
  log(`  chart in-process: SVG ${r1(chart.svgMedianMs)} ms, SVG + PNG median ${r1(chart.totalMedianMs)} ms, p95 ${r1(chart.totalP95Ms)} ms, ${chart.pngBytes} bytes`);
  log(`  chart on the worker (round trip, cache off): cold ${r1(chartWorker.coldMs)} ms, warm median ${r1(chartWorker.medianMs)} ms`);
  const render8 = audioFigures.find((f) => f.name.startsWith('audio render 8 bars calling (wall'))!;

  // -- verdicts.
  const ratio = Math.round((mix.rps / floor.rps) * 100) / 100;
  const checks = [
    { target: `mix throughput ≥ ${TARGETS.mixRatio * 100} % of the PING floor`, value: `${mix.rps} / ${floor.rps} req/s = ${Math.round(ratio * 100)} %`, pass: ratio >= TARGETS.mixRatio },
    { target: `mix throughput ≥ ${TARGETS.mixRps} interactions/s`, value: `${mix.rps} req/s`, pass: mix.rps >= TARGETS.mixRps },
    { target: `p99 ≤ ${TARGETS.p99AtFixedMs} ms at ${FIXED_RATE} interactions/s`, value: `p99 ${fixed.latencyMs.p99} ms (achieved ${fixed.rps} req/s)`, pass: fixed.latencyMs.p99 <= TARGETS.p99AtFixedMs && fixed.rps >= FIXED_RATE * 0.95 },
    { target: `≤ ${TARGETS.roundTripsPerEdit} Redis round trips per uncontended edit`, value: `${seqDetail.roundTripsPerEdit}`, pass: seqDetail.roundTripsPerEdit <= TARGETS.roundTripsPerEdit },
    { target: `cold start to ready ≤ ${TARGETS.coldStartMs} ms`, value: `${coldStartMs} ms`, pass: coldStartMs <= TARGETS.coldStartMs },
    { target: `idle RSS ≤ ${TARGETS.idleRssMb} MB`, value: `${idleRssMb} MB`, pass: idleRssMb <= TARGETS.idleRssMb },
    { target: `8 bars of calling render ≤ ${TARGETS.render8BarsMs} ms (≥ 50× real time)`, value: `${render8.value} ms`, pass: render8.value <= TARGETS.render8BarsMs },
    { target: `a picture renders ≤ ${TARGETS.chartMs} ms`, value: `${r1(chart.totalMedianMs)} ms in-process (worker round trip ${r1(chartWorker.medianMs)} ms)`, pass: chart.totalMedianMs <= TARGETS.chartMs },
    {
      target: `others' p99 during renders ≤ 2× idle (+1 ms)`,
      value: `${othersBusy.latencyMs.p99} ms vs ${othersIdle.latencyMs.p99} ms idle (limit ${othersLimitMs} ms) at ${OTHERS_RATE}/s, ${othersBusy.requests} + ${othersIdle.requests} paced requests`,
      pass: othersBusy.latencyMs.p99 <= othersLimitMs,
    },
  ];
  log('');
  log('targets');
  for (const c of checks) log(`  ${c.pass ? 'PASS' : 'MISS'}  ${c.target.padEnd(50)} ${c.value}`);
  log(`  info  peak bot RSS ${peakRssMb} MB; sink requests ${sinkRoutes.total}; bot warnings/errors logged: ${warnings.length}`);
  if (warnings.length) log(`        first: ${warnings[0]!.slice(0, 300)}`);
  log(`total ${Math.round((performance.now() - t0) / 1000)} s`);

  const summary = {
    date: startedAt.toISOString(),
    machine,
    settings: { noPublish: NO_PUBLISH, phaseSeconds: PHASE_S, connections: CONNECTIONS, channels: CHANNELS, hotEditors: HOT_EDITORS, fixedRate: FIXED_RATE, redis: (await redisVersion()) },
    coldStartMs,
    coldStartRunsMs: starts.map(Math.round),
    idleRssMb,
    idleRssRunsMb: idle,
    peakRssMb,
    sequentialEdits: seqDetail,
    floorRps: floor.rps,
    mixRps: mix.rps,
    mixOverFloor: ratio,
    phases,
    sinkRoutes,
    botWarnings: warnings.length,
    botWarningSamples: warnings.slice(0, 5),
    audioAndPicture: {
      audio: audioFigures,
      chart,
      chartWorker,
      others: {
        ratePerS: OTHERS_RATE,
        paced: true,
        windows: RENDER_WINDOWS,
        windowSeconds: renderWindowS,
        idleP99Ms: othersIdle.latencyMs.p99,
        busyP99Ms: othersBusy.latencyMs.p99,
        limitMs: othersLimitMs,
        idleWindowP99sMs: others.idle.windowP99s,
        busyWindowP99sMs: others.busy.windowP99s,
      },
      renders: rendersDetail,
    },
    targets: checks,
    casRetriesSource: 'saltbot_store_cas_retries_total on /metrics when present, else the bench probe (bench/probe.mjs); casConflictsProbe is the probe’s count',
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  const text = `${JSON.stringify(summary, null, 2)}\n`;
  writeFileSync(path.join(root, 'bench/results/latest.json'), text);
  writeFileSync(path.join(root, 'bench/results', `${startedAt.toISOString().slice(0, 10)}.json`), text);
  log('wrote bench/results/latest.json');
}

// ---------------------------------------------------------------- redis helpers

async function redisCommand(...args: string[]): Promise<string> {
  if (!redis) throw new Error('redis is not running');
  const port = redis.port;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const payload = `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
    let buf = Buffer.alloc(0);
    socket.setTimeout(3000, () => {
      socket.destroy();
      reject(new Error('redis did not answer'));
    });
    socket.on('error', reject);
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const text = buf.toString('utf8');
      const m = /^\$(\d+)\r\n/.exec(text);
      if (m && buf.length >= m[0].length + Number(m[1]) + 2) {
        socket.end();
        resolve(buf.subarray(m[0].length, m[0].length + Number(m[1])).toString('utf8'));
      } else if (/^[+-:]/.test(text) && text.includes('\r\n')) {
        socket.end();
        resolve(text.trim());
      }
    });
  });
}

const redisInfo = (section: string) => redisCommand('INFO', section);

async function redisVersion(): Promise<string> {
  return (await redisInfo('server')).match(/redis_version:(\S+)/)?.[1] ?? '?';
}

/** INFO commandstats → { command: calls } (commands run inside scripts are counted too). */
async function commandStats(): Promise<Counts> {
  const out: Counts = {};
  for (const m of (await redisInfo('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    if (m[1] === 'info') continue;
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

main()
  .catch((error: unknown) => {
    process.exitCode = 1;
    log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  })
  .finally(() => cleanup());
