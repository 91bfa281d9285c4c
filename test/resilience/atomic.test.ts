/**
 * Atomic updates across processes: four real `node` processes (test/resilience/worker.ts, each the
 * real router over the Redis store, like four bot replicas) × four concurrent editors make ≥ 1,000
 * edits to ONE draft through modal submits (track, details and layer forms, so the field-wise merge
 * and the compare-and-set run for real), while 1,000 members (some twice) vote on ONE vote.
 *
 * Every acknowledged edit carries the version it created ("Saved … (version N)"): the acknowledged
 * versions must be exactly initial+1 … final, each once (nothing lost, nothing counted twice); the
 * history must be contiguous and newest-first with one entry per acknowledged edit; every field in
 * the final draft and in every kept history entry must hold the newest acknowledged value written
 * to it up to that version (the merge never dropped another member's field). The vote's ballots
 * must equal each member's last acknowledged pick, and the closing tally must be exact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Spec } from '../../src/domain/spec.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { interactions } from '../standin/index.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { customIds } from '../support/botProcess.js';
import type { EditAck, WorkerConfig, WorkerResult } from './worker.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const WORKERS = 4;
const EDITORS = 4;
const EDITS_PER_EDITOR = 63; // 4 × 4 × 63 = 1,008 edits
const MEMBERS = 1000;
const CHANGERS_PER_WORKER = 25; // 100 members vote twice: 1,100 ballots
const VOTE_OPTIONS = ['calling', 'big-room-festival', 'deep-progressive', 'euphoric-sun'];

interface Run {
  results: WorkerResult[];
  wallMs: number;
  initialVersion: number;
  initialSpec: Spec;
  voteId: string;
  layers: string[];
}

function fieldValue(spec: Spec, key: string): string | undefined {
  if (key === 'style') return spec.track.style;
  if (key === 'spectralNotes') return spec.spectral.notes;
  if (key === 'attack') return spec.attack?.description;
  if (key === 'arrangement') return spec.arrangement?.intent;
  if (key.startsWith('qualifier:')) return spec.layers.find((l) => l.id === key.slice('qualifier:'.length))?.ltv.movement.qualifier;
  throw new Error(`unknown field ${key}`);
}

function startWorker(config: WorkerConfig): { child: ChildProcess; ready: Promise<void>; result: Promise<WorkerResult> } {
  const child = spawn(process.execPath, [...(process.env.RESIL_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RESIL_PROF}`] : []), '--import', 'tsx', 'test/resilience/worker.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', WORKER: JSON.stringify(config) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const lines = createInterface({ input: child.stdout! });
  let onReady!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const result = new Promise<WorkerResult>((resolve, reject) => {
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { ready?: boolean; result?: WorkerResult };
      if (msg.ready) onReady();
      if (msg.result) resolve(msg.result);
    });
    child.once('exit', (code) => reject(new Error(`worker ${config.worker} exited with ${code}:\n${stderr}`)));
  });
  result.catch(() => undefined);
  return { child, ready: Promise.race([ready, result.then(() => undefined)]), result };
}

describe('GIVEN four bot processes sharing one Redis', () => {
  let redis: RedisServer;
  let store: Store;
  let bot: TestBot;
  const run = {} as Run;
  const scope = { guildId: '', channelId: '' };

  beforeAll(async () => {
    redis = await startRedis();
    store = await createStore({ redisUrl: redis.url, logger: { info() {}, warn() {} } });
    bot = await makeBot({ store, now: Date.now() });
    const created = await bot.run(interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'reference-anchored' }] }] as never }));
    expect(created.response.type).toBe(4);
    const vote = await bot.run(
      interactions.chatInput({
        name: 'salt',
        options: [{ type: 1, name: 'vote', options: [{ type: 3, name: 'presets', value: VOTE_OPTIONS.join(', ') }, { type: 4, name: 'minutes', value: 1440 }] }] as never,
      }),
    );
    const pick = customIds((vote.response as { data?: { components?: unknown } }).data?.components).find((id) => id.startsWith('s1:vote:pick:'));
    run.voteId = pick!.split(':')[3]!;
    const ix = interactions.button({ customId: 's1:card:track' });
    scope.guildId = ix.guild_id!;
    scope.channelId = ix.channel_id!;
    const record = (await store.drafts.get(scope))!;
    expect(record.cardMessageId).toBeDefined();
    run.initialVersion = record.version;
    run.initialSpec = record.spec;
    run.layers = record.spec.layers.map((l) => l.id);

    const perWorker = MEMBERS / WORKERS;
    const workers = Array.from({ length: WORKERS }, (_, w) =>
      startWorker({
        redisUrl: redis.url,
        worker: w,
        editors: EDITORS,
        editsPerEditor: EDITS_PER_EDITOR,
        layers: run.layers,
        voteId: run.voteId,
        options: VOTE_OPTIONS,
        members: [w * perWorker, perWorker],
        changers: CHANGERS_PER_WORKER,
        voters: 4,
      }),
    );
    await Promise.all(workers.map((w) => w.ready));
    const started = performance.now();
    for (const w of workers) w.child.stdin!.write('go\n');
    run.results = await Promise.all(workers.map((w) => w.result));
    run.wallMs = Math.round(performance.now() - started);
    const casRetries = run.results.reduce((n, r) => n + r.casRetries, 0);
    const edits = run.results.reduce((n, r) => n + r.edits.length, 0);
    const ballots = run.results.reduce((n, r) => n + r.ballots.length, 0);
    const refused = run.results.reduce((n, r) => n + r.refused, 0);
    console.info(
      `[atomic] ${WORKERS} processes: ${edits} edits + ${ballots} ballots in ${run.wallMs} ms; CAS retries ${casRetries} (${run.results.map((r) => r.casRetries).join(' + ')}); saves refused as busy and retried: ${refused}`,
    );
  }, 60_000);

  afterAll(async () => {
    await bot?.close();
    await redis?.stop();
  });

  const acks = (): EditAck[] => run.results.flatMap((r) => r.edits).sort((a, b) => a.version - b.version);

  it('WHEN ≥ 1,000 edits race on one draft THEN every one is acknowledged with its own version, and the final version counts them exactly', async () => {
    expect(run.results.flatMap((r) => r.editFailures)).toEqual([]);
    const all = acks();
    expect(all.length).toBe(WORKERS * EDITORS * EDITS_PER_EDITOR);
    expect(all.length).toBeGreaterThanOrEqual(1000);
    // initial+1 … initial+N, each exactly once: no lost update, no duplicated one.
    expect(all.map((a) => a.version)).toEqual(Array.from({ length: all.length }, (_, i) => run.initialVersion + 1 + i));
    const final = (await store.drafts.get(scope))!;
    expect(final.version).toBe(run.initialVersion + all.length);
    // Every editor's acknowledged edits are in version order (each editor works sequentially).
    for (const r of run.results) {
      const byEditor = new Map<string, number[]>();
      for (const e of r.edits) byEditor.set(e.editor, [...(byEditor.get(e.editor) ?? []), e.version]);
      for (const versions of byEditor.values()) expect(versions).toEqual([...versions].sort((a, b) => a - b));
    }
  });

  it('WHEN the edits are done THEN the history is newest-first, contiguous and names each acknowledged edit once', async () => {
    const final = (await store.drafts.get(scope))!;
    const history = await store.drafts.history(scope);
    const byVersion = new Map(acks().map((a) => [a.version, a]));
    expect(history.length).toBeGreaterThanOrEqual(20);
    expect(history.map((h) => h.version)).toEqual(Array.from({ length: history.length }, (_, i) => final.version - i));
    expect(new Set(history.map((h) => h.actor.name)).size).toBe(history.length);
    for (const entry of history) {
      const ack = byVersion.get(entry.version)!;
      expect(entry.actor.name).toBe(ack.value.slice(0, -1)); // the member's nick for that edit
    }
    expect(history[0]!.spec).toEqual(final.spec);
  });

  it('WHEN members saved different fields concurrently THEN the final draft and every kept version hold the newest acknowledged value of each field', async () => {
    const final = (await store.drafts.get(scope))!;
    const history = await store.drafts.history(scope);
    const all = acks();
    const keys = [...new Set(all.map((a) => a.field))];
    const gaps = all.map((a) => a.version - a.base);
    console.info(`[atomic] versions between opening and saving a form: max ${Math.max(...gaps)}, over 24: ${gaps.filter((g) => g > 24).length}`);
    expect(keys.length).toBe(4 + run.layers.length);
    const expectedAt = (version: number, key: string): string | undefined => {
      const last = all.filter((a) => a.field === key && a.version <= version).at(-1);
      return last ? last.value : fieldValue(run.initialSpec, key);
    };
    for (const key of keys) expect({ key, value: fieldValue(final.spec, key) }).toEqual({ key, value: expectedAt(final.version, key) });
    for (const entry of history) {
      for (const key of keys) expect({ v: entry.version, key, value: fieldValue(entry.spec, key) }).toEqual({ v: entry.version, key, value: expectedAt(entry.version, key) });
    }
  });

  it('WHEN 1,000 members vote on one vote (100 of them twice) THEN each member holds exactly their last pick and the tally is exact', async () => {
    expect(run.results.flatMap((r) => r.voteFailures)).toEqual([]);
    const ballots = run.results.flatMap((r) => r.ballots);
    expect(ballots.length).toBe(MEMBERS + WORKERS * CHANGERS_PER_WORKER);
    const expected = new Map<string, string>();
    for (const r of run.results) for (const b of r.ballots) expected.set(b.member, b.option); // per worker, in acknowledgement order
    expect(expected.size).toBe(MEMBERS);
    const vote = (await store.votes.get(run.voteId))!;
    expect(vote.ballots).toEqual(Object.fromEntries(expected));

    const counts = Object.fromEntries(VOTE_OPTIONS.map((o) => [o, [...expected.values()].filter((v) => v === o).length]));
    const creator = vote.createdBy.id;
    const closing = await bot.run(interactions.button({ customId: `s1:vote:close:${run.voteId}`, user: { id: creator } }));
    expect(closing.response.type).toBe(6);
    const closed = (await store.votes.get(run.voteId))!;
    expect(closed.closed?.tally).toEqual(counts);
    expect(Object.values(closed.closed!.tally).reduce((a, b) => a + b, 0)).toBe(MEMBERS);
  });
});
