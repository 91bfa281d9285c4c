import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, StoreCorruptError, StoreUnavailableError, type Store } from '../../src/store/index.js';
import { makeSpec } from '../fixtures/spec.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { describeStoreContract, freshScope, silentLogger, withBpm } from './contract.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const ann = { id: 'u-ann', name: 'Ann' };

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describeStoreContract('redis', (config) => createStore({ redisUrl: redis.url, ...config }));

describe('redis store', () => {
  it('GIVEN data WHEN the store is closed and reopened THEN everything is still there', async () => {
    const scope = freshScope();
    const first = await createStore({ redisUrl: redis.url, logger: silentLogger });
    await first.drafts.create(scope, makeSpec(), ann);
    await first.drafts.update(scope, ann, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 140) }));
    await first.presets.save(scope.guildId, { name: 'lead', title: 'Lead', description: 'A lead', spec: makeSpec(), savedBy: ann });
    await first.close();
    const second = await createStore({ redisUrl: redis.url, logger: silentLogger });
    try {
      expect((await second.drafts.get(scope))?.spec.track.bpm).toBe(140);
      expect((await second.drafts.history(scope)).map((h) => h.version)).toEqual([2, 1]);
      expect((await second.presets.list(scope.guildId)).map((p) => p.name)).toEqual(['lead']);
      expect(second.describe()).toContain(redis.url);
    } finally {
      await second.close();
    }
  });

  it('GIVEN keys WHEN written THEN they carry exactly one "saltbot:" prefix and a TTL', async () => {
    const scope = freshScope();
    const store = await createStore({ redisUrl: redis.url, logger: silentLogger });
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      await store.drafts.create(scope, makeSpec(), ann);
      const keys = (await client.keys(`*${scope.guildId}*`)).sort();
      expect(keys).toEqual([`saltbot:draft:${scope.guildId}:${scope.channelId}`, `saltbot:history:${scope.guildId}:${scope.channelId}`]);
      expect(await client.pTTL(keys[0]!)).toBeGreaterThan(29 * 24 * 3600 * 1000);
    } finally {
      await client.close();
      await store.close();
    }
  });

  it('GIVEN a non-string Redis value at a draft key WHEN get/update THEN StoreCorruptError', async () => {
    const scope = freshScope();
    const store = await createStore({ redisUrl: redis.url, logger: silentLogger });
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      await client.hSet(store.debug.keys.draft(scope), 'spec', 'x');
      await expect(store.drafts.get(scope)).rejects.toBeInstanceOf(StoreCorruptError);
      await expect(store.drafts.update(scope, ann, 'track', (d) => d)).rejects.toBeInstanceOf(StoreCorruptError);
      await client.set(store.debug.keys.draft(scope), '"just a string"');
      await expect(store.drafts.get(scope)).rejects.toBeInstanceOf(StoreCorruptError);
    } finally {
      await client.close();
      await store.close();
    }
  });

  it('GIVEN two stores (two connections) WHEN both update one draft concurrently THEN compare-and-set retries and nothing is lost', async () => {
    const scope = freshScope();
    const a = await createStore({ redisUrl: redis.url, logger: silentLogger });
    const b = await createStore({ redisUrl: redis.url, logger: silentLogger });
    try {
      await a.drafts.create(scope, makeSpec(), ann);
      const writer = (s: Store, tag: string) =>
        Promise.all(
          Array.from({ length: 25 }, (_, i) =>
            s.drafts.update(scope, { id: tag, name: tag }, `${tag} ${i}`, async (d) => {
              await new Promise((r) => setTimeout(r, Math.random() * 2));
              return d;
            }, { parts: [`${tag}:${i}`] }),
          ),
        );
      await Promise.all([writer(a, 'a'), writer(b, 'b')]);
      const final = await a.drafts.get(scope);
      expect(final?.version).toBe(51);
      expect(final?.contributors.a?.parts).toHaveLength(25);
      expect(final?.contributors.b?.parts).toHaveLength(25);
      expect(a.stats().casRetries + b.stats().casRetries).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('GIVEN a CAS budget of 1 attempt WHEN two connections race THEN losers get StoreBusyError and every winner is counted exactly once', async () => {
    const scope = freshScope();
    const a = await createStore({ redisUrl: redis.url, logger: silentLogger, redis: { casMaxAttempts: 1 } });
    const b = await createStore({ redisUrl: redis.url, logger: silentLogger, redis: { casMaxAttempts: 1 } });
    try {
      await a.drafts.create(scope, makeSpec(), ann);
      const attempt = (s: Store, tag: string, i: number) =>
        s.drafts.update(scope, { id: tag, name: tag }, `${tag} ${i}`, async (d) => {
          await new Promise((r) => setTimeout(r, 2));
          return d;
        }, { parts: [`${tag}:${i}`] });
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => [attempt(a, 'a', i), attempt(b, 'b', i)]).flat());
      const busy = results.filter((r) => r.status === 'rejected');
      expect(busy.length).toBeGreaterThan(0);
      for (const r of busy) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'store_busy' });
      const landed = results.length - busy.length;
      const final = await a.drafts.get(scope);
      expect(final?.version).toBe(1 + landed);
      expect((final?.contributors.a?.parts.length ?? 0) + (final?.contributors.b?.parts.length ?? 0)).toBe(landed);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('GIVEN 4 processes × 50 updates to one draft WHEN they run at once THEN version is exactly +200 and every update is recorded', async () => {
    const scope = freshScope();
    const store = await createStore({ redisUrl: redis.url, logger: silentLogger });
    try {
      const created = await store.drafts.create(scope, makeSpec(), ann);
      const startAt = Date.now() + 3_000;
      const children = ['w0', 'w1', 'w2', 'w3'].map((writer) =>
        run(process.execPath, ['--import', 'tsx', 'test/store/redis-child.ts', redis.url, scope.guildId, scope.channelId, writer, '50', String(startAt)], {
          cwd: root,
          timeout: 40_000,
        }).catch((error: { message: string; stderr?: string }) => {
          throw new Error(`writer ${writer} failed: ${error.message}\n${error.stderr ?? ''}`);
        }),
      );
      const reports = (await Promise.all(children)).map(({ stdout }) => JSON.parse(stdout.trim()) as { writer: string; ms: number; casRetries: number; ops: number });
      const final = await store.drafts.get(scope);
      expect(final?.version).toBe(created.version + 200);
      for (const writer of ['w0', 'w1', 'w2', 'w3']) {
        expect(new Set(final?.contributors[writer]?.parts)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `${writer}:${i}`)));
      }
      const history = await store.drafts.history(scope);
      expect(history.map((h) => h.version)).toEqual(Array.from({ length: 25 }, (_, i) => 201 - i));
      const retries = reports.reduce((sum, r) => sum + r.casRetries, 0);
      console.info(`[store] cross-process: 4×50 updates, ${retries} CAS retries, slowest writer ${Math.round(Math.max(...reports.map((r) => r.ms)))} ms`);
    } finally {
      await store.close();
    }
  }, 55_000);

  it('GIVEN a frozen Redis (SIGSTOP) WHEN get/update THEN StoreUnavailableError within 2 s; WHEN it thaws THEN the store works and replies stay in order', async () => {
    const server = await startRedis();
    const store = await createStore({ redisUrl: server.url, logger: silentLogger });
    const scope = freshScope();
    try {
      await store.drafts.create(scope, makeSpec(), ann);
      server.pause();
      for (const attempt of [() => store.drafts.get(scope), () => store.drafts.update(scope, ann, 'track', (d) => d)]) {
        const started = performance.now();
        await expect(attempt()).rejects.toBeInstanceOf(StoreUnavailableError);
        expect(performance.now() - started).toBeLessThan(2_000);
      }
      server.resume();
      const other = freshScope();
      await store.drafts.create(other, withBpm(makeSpec(), 99), ann);
      expect((await store.drafts.get(scope))?.spec.track.bpm).toBe(128);
      expect((await store.drafts.get(other))?.spec.track.bpm).toBe(99);
      // The update sent while Redis was frozen may land when it thaws (one atomic script, sent whole,
      // its caller told "unavailable"): never half of it, never twice.
      const { record } = await store.drafts.update(scope, ann, 'track', (d) => d);
      expect([2, 3]).toContain(record.version);
      expect((await store.drafts.history(scope)).map((h) => h.version)).toEqual(Array.from({ length: record.version }, (_, i) => record.version - i));
    } finally {
      server.resume();
      await store.close();
      await server.stop();
    }
  });

  it('GIVEN Redis is not running WHEN createStore THEN StoreUnavailableError quickly', async () => {
    const down = await startRedis();
    const url = down.url;
    await down.stop();
    const started = performance.now();
    const error = await createStore({ redisUrl: url, logger: silentLogger, redis: { startupTimeoutMs: 1_000 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('GIVEN a running store WHEN Redis dies THEN get/update reject with StoreUnavailableError within 2 s; WHEN it comes back THEN the store heals by itself with the data intact', async () => {
    const server = await startRedis({ persist: true });
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const warnings: string[] = [];
    const store = await createStore({ redisUrl: server.url, logger: { info: (m) => warnings.push(m), warn: (m) => warnings.push(m) } });
    const scope = freshScope();
    try {
      await store.drafts.create(scope, makeSpec(), ann);
      await store.drafts.update(scope, ann, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 150) }));
      await server.kill();

      const timings: number[] = [];
      for (const attempt of [
        () => store.drafts.get(scope),
        () => store.drafts.update(scope, ann, 'track', (d) => d),
        () => store.votes.listOpen(),
        () => store.kv.set('commands', 'x'),
        () => store.kv.get('commands'),
        () => store.ping(),
      ]) {
        const started = performance.now();
        const error = await attempt().then(
          (value) => new Error(`resolved with ${JSON.stringify(value)}`),
          (e: unknown) => e,
        );
        timings.push(performance.now() - started);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as StoreUnavailableError).code).toBe('store_unavailable');
      }
      expect(Math.max(...timings)).toBeLessThan(2_000);

      await server.restart();
      const healStart = performance.now();
      let healed: Awaited<ReturnType<Store['drafts']['get']>>;
      for (;;) {
        try {
          healed = await store.drafts.get(scope);
          break;
        } catch (error) {
          expect(error).toBeInstanceOf(StoreUnavailableError);
          if (performance.now() - healStart > 10_000) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const healMs = performance.now() - healStart;
      expect(healed?.version).toBe(2);
      expect(healed?.spec.track.bpm).toBe(150);
      expect((await store.drafts.update(scope, ann, 'track', (d) => d)).record.version).toBe(3);
      expect(unhandled).toEqual([]);
      expect(warnings.some((w) => w.includes('lost Redis'))).toBe(true);
      console.info(`[store] outage detected in ≤ ${Math.round(Math.max(...timings))} ms per call; healed ${Math.round(healMs)} ms after restart`);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await store.close();
      await server.stop();
    }
  }, 30_000);
});
