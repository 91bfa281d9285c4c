/**
 * Micro-benchmark of the store's hot paths on a real redis-server (one process, sequential, so the
 * CPU figure is this process's CPU per operation):
 *   npx tsx bench/store.ts            STORE_SRC=<dir of another checkout's src/store> to compare
 * - update of a draft (the 'calling' preset's 4 KB spec) with a full history (the save of an up-to-date form);
 * - update of a stale form (reads the history since its base version);
 * - setCardMessage;
 * - a vote pick (info + cast) at 5,000 ballots.
 * Prints CPU ms per operation and Redis round trips (top-level commands) per operation.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient } from '@redis/client';
import type { Store, StoreConfig } from '../src/store/index.js';
import { startRedis } from '../test/support/redis.js';
import { readFileSync } from 'node:fs';
import type { Spec } from '../src/domain/spec.js';

const src = process.env.STORE_SRC ? path.resolve(process.env.STORE_SRC, 'index.js') : path.resolve(import.meta.dirname, '../src/store/index.js');
const { createStore } = (await import(pathToFileURL(src).href)) as { createStore: (config: StoreConfig) => Promise<Store> };
const N = Number(process.env.STORE_BENCH_N ?? 400);
const BALLOTS = 5_000;

const redis = await startRedis();
const store = await createStore({ redisUrl: redis.url, logger: { info: () => {}, warn: () => {} } });
const client = createClient({ url: redis.url });
await client.connect();

async function topLevelCalls(): Promise<number> {
  const text = await client.info('commandstats');
  // Round trips: EVAL/EVALSHA (these paths send nothing else); commands run inside scripts are excluded.
  let calls = 0;
  for (const m of text.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
    if (['eval', 'evalsha'].includes(m[1]!)) calls += Number(m[2]);
  }
  return calls;
}

async function measure(name: string, n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 20; i++) await fn(i); // warm-up
  const calls0 = await topLevelCalls();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const calls = (await topLevelCalls()) - calls0 - 1; // minus the INFO itself
  console.log(
    `${name.padEnd(34)} cpu ${((cpu.user + cpu.system) / 1000 / n).toFixed(3)} ms/op  wall ${(wall / n).toFixed(3)} ms/op  redis round trips ${(calls / n).toFixed(2)}/op`,
  );
}

const ann = { id: 'u-ann', name: 'Ann' };
const scope = { guildId: 'g-bench', channelId: 'c-bench' };
// The 'calling' preset: a realistic 4 KB spec (a full history is then ~107 KB, as in the bot).
const spec = (JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../presets/calling.json'), 'utf8')) as { spec: Spec }).spec;
await store.drafts.create(scope, spec, ann);
for (let i = 0; i < 30; i++) await store.drafts.update(scope, ann, `warm ${i}`, (d) => ({ ...d, spec: { ...d.spec, track: { ...d.spec.track, bpm: 100 + i } } }));
console.log(`store: ${src}`);

await measure('update, full history, up to date', N, (i) =>
  store.drafts.update(scope, ann, `step ${i}`, (d) => ({ ...d, spec: { ...d.spec, track: { ...d.spec.track, bpm: 100 + (i % 40) } } }), { parts: ['track'] }),
);
await measure('update, stale form (base −3)', N, (i) =>
  store.drafts.update(scope, ann, `stale ${i}`, async (d, context) => {
    const ctx = context as unknown as { history: unknown };
    const entries = typeof ctx.history === 'function' ? await (ctx.history as (v: number) => Promise<unknown[]>)(d.version - 3) : (ctx.history as unknown[]);
    if (!entries.length) throw new Error('no history');
    return d;
  }),
);
await measure('setCardMessage', N, (i) => store.drafts.setCardMessage(scope, String(1_000_000 + i)));

const voteId = 'v-bench';
await store.votes.create({ id: voteId, guildId: scope.guildId, channelId: scope.channelId, options: ['a', 'b', 'c'], ballots: {}, createdBy: ann, createdAt: Date.now(), closesAt: Date.now() + 3_600_000 });
for (let i = 0; i < BALLOTS; i++) await store.votes.cast(voteId, `m${i}`, ['a', 'b', 'c'][i % 3]!);
// What the bot's pick does: the vote without its ballots (votes.info; a store without it: votes.get), then cast.
const votes = store.votes as Store['votes'] & { info?: (id: string) => Promise<unknown> };
const lookup = votes.info ? 'info' : 'get';
await measure(`vote pick (${lookup} + cast), ${BALLOTS} ballots`, Math.max(50, Math.round(N / 4)), async (i) => {
  await (votes.info ? votes.info(voteId) : votes.get(voteId));
  await store.votes.cast(voteId, `m${i}`, ['a', 'b', 'c'][(i + 1) % 3]!);
});

await client.close();
await store.close();
await redis.stop();
