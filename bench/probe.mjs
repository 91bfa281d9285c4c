/**
 * Benchmark-only instrumentation, preloaded into the bot process with
 * `node --import ./bench/probe.mjs dist/src/main.js` (never in production).
 *
 * It wraps @redis/client's RedisClient.prototype.sendCommand (the one funnel every command goes
 * through) to count, in the bot itself:
 *   - round trips to Redis by command name (EVAL scripts told apart: READ vs CAS);
 *   - CAS conflicts (the CAS script answered 0 → the store re-reads and retries);
 *   - the main thread's busy time (event-loop utilization), apart from the render worker threads.
 * The bench asks for the counters over the IPC channel: send 'bench:stats', get
 * { type: 'bench:stats', commands, casAttempts, casConflicts } back. 'bench:allocStart' and
 * 'bench:allocStop' bracket a sampling heap profile of everything allocated (BENCH_ALLOC_PROF).
 */
import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';

const commands = Object.create(null);
let casAttempts = 0;
let casConflicts = 0;
/** sha1 → 'cas' | 'read' for scripts seen in EVAL or SCRIPT LOAD (so EVALSHA can be told apart). */
const scripts = new Map();
const kindOf = (script) => (script.includes('return 0 end') ? 'cas' : 'read');
const remember = (script) => scripts.set(createHash('sha1').update(script).digest('hex'), kindOf(script));

// The bot runs its scripts by SHA1 (EVALSHA); Redis may know them from an earlier bot process, so
// this process may never see their text in an EVAL: learn the bot's scripts from its build.
for (const [name, value] of Object.entries(await import('../dist/src/store/redis.js'))) {
  if (name.endsWith('_SCRIPT') && typeof value === 'string') remember(value);
}

const probe = createClient({ url: 'redis://127.0.0.1:1' });
let proto = Object.getPrototypeOf(probe);
while (proto && !Object.prototype.hasOwnProperty.call(proto, 'sendCommand')) proto = Object.getPrototypeOf(proto);
if (!proto) throw new Error('bench probe: RedisClient.prototype.sendCommand not found');

const original = proto.sendCommand;
proto.sendCommand = function sendCommand(args, options) {
  let name = String(args?.[0] ?? '?').toUpperCase();
  let isCas = false;
  if (name === 'EVAL' || name === 'EVALSHA') {
    const arg = String(args[1] ?? '');
    let kind;
    if (name === 'EVAL') {
      kind = kindOf(arg);
      remember(arg);
    } else kind = scripts.get(arg.toLowerCase()) ?? 'unknown';
    isCas = kind === 'cas';
    name = `${name}(${kind})`;
  } else if (name === 'SCRIPT' && String(args[1] ?? '').toUpperCase() === 'LOAD') {
    remember(String(args[2] ?? ''));
  }
  commands[name] = (commands[name] ?? 0) + 1;
  const pending = original.call(this, args, options);
  if (isCas) {
    casAttempts++;
    pending.then(
      (reply) => {
        // 0 (conflict), 1 or an array of reads (not converted: Number([…]) joins the whole reply).
        if (reply === 0 || reply === '0') casConflicts++;
      },
      () => {},
    );
  }
  return pending;
};

// The main thread's event-loop delay (a block shows as one long delay); reset at every stats read.
const { monitorEventLoopDelay } = await import('node:perf_hooks');
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

// Stalls of the main thread (a 2 ms timer that fired more than 15 ms late) and GC pauses, with wall
// times, so the bench can tell what a slow half-second held (BENCH_DEBUG_PACED). Cleared at every stats read.
const { PerformanceObserver } = await import('node:perf_hooks');
const GC_KINDS = { 1: 'scavenge', 2: 'minor-mc', 4: 'mark-compact', 8: 'incremental', 16: 'weak-callbacks' };
let stalls = [];
let gcs = [];
let lastTick = performance.now();
setInterval(() => {
  const now = performance.now();
  if (now - lastTick > 17 && stalls.length < 2000) stalls.push({ at: performance.timeOrigin + lastTick, ms: now - lastTick - 2 });
  lastTick = now;
}, 2).unref();
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (gcs.length < 5000) gcs.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: GC_KINDS[e.detail?.kind] ?? String(e.detail?.kind) });
}).observe({ entryTypes: ['gc'] });

// Diagnostic (BENCH_ALLOC_PROF): a sampling heap profile of everything allocated between allocStart
// and allocStop, objects the GC collected included (the default profile keeps only the live ones).
const { Session } = await import('node:inspector');
let inspector;
const post = (method, params) => new Promise((resolve, reject) => inspector.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));

if (process.send) {
  process.on('message', async (message) => {
    if (message === 'bench:allocStart') {
      inspector ??= new Session();
      inspector.connect?.();
      await post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
      process.send({ type: 'bench:allocStart' });
      return;
    }
    if (message === 'bench:allocStop') {
      const { profile } = await post('HeapProfiler.stopSampling');
      inspector.disconnect();
      inspector = undefined;
      process.send({ type: 'bench:allocStop', profile });
      return;
    }
    if (message === 'bench:stalls') {
      process.send({ type: 'bench:stalls', stalls, gcs });
      stalls = [];
      gcs = [];
      return;
    }
    // The main thread's busy time (event-loop utilization: active ms), without the render workers.
    if (message === 'bench:stats') {
      process.send({ type: 'bench:stats', commands: { ...commands }, casAttempts, casConflicts, mainThreadMs: performance.eventLoopUtilization().active, loopDelayMaxMs: loopDelay.max / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6, heapUsedMb: Math.round(process.memoryUsage().heapUsed / 1e6) });
      loopDelay.reset();
    }
  });
  // The IPC channel must not keep the bot alive after it decided to exit.
  process.channel?.unref();
  // The bench was killed hard: stop this bot too (SIGTERM path, so it shuts down cleanly).
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
