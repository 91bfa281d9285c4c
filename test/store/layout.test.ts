/**
 * The storage layout: history as a list (pushed and trimmed with the draft, read lazily), ballots as
 * a hash, and data written in the older layout (history as one array value, ballots inside the vote
 * value) still loading on every backend and converted on the next write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@redis/client';
import { defaultDeserialize, defaultSerialize } from '@keyv/serialize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, DraftMissingError, StoreCorruptError, VoteClosedError, type HistoryEntry, type Store, type StoreConfig, type VoteRecord } from '../../src/store/index.js';
import { makeSpec } from '../fixtures/spec.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { freshScope, silentLogger, withBpm } from './contract.js';

const ann = { id: 'u-ann', name: 'Ann' };
const bob = { id: 'u-bob', name: 'Bob' };

let redis: RedisServer;
const dir = mkdtempSync(path.join(os.tmpdir(), 'saltbot-layout-'));
let files = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backends: [string, (config?: Partial<StoreConfig>) => Promise<Store>][] = [
  ['memory', (config) => createStore({ memory: true, logger: silentLogger, ...config })],
  ['file', (config) => createStore({ filePath: path.join(dir, `s${++files}`, 'saltbot.json'), logger: silentLogger, ...config })],
  ['redis', (config) => createStore({ redisUrl: redis.url, logger: silentLogger, ...config })],
];

function oldHistory(versions: number[], bpmOf = (v: number) => 100 + v): HistoryEntry[] {
  return versions.map((version) => ({ version, at: 1_000 + version, actor: version % 2 ? ann : bob, summary: `step ${version}`, spec: withBpm(makeSpec(), bpmOf(version)) }));
}

function oldVote(overrides: Partial<VoteRecord> = {}): VoteRecord {
  const { guildId, channelId } = freshScope();
  return { id: `v-${guildId}`, guildId, channelId, options: ['calling', 'pluck'], ballots: {}, createdBy: ann, createdAt: 1, closesAt: Date.now() + 60_000, ...overrides };
}

describe.each(backends)('store layout: %s', (_name, makeStore) => {
  it('GIVEN a draft whose history is stored in the older layout (one array value) WHEN get, history, update and undo THEN it loads and the history continues', async () => {
    const s = await makeStore();
    try {
      const scope = freshScope();
      const history = oldHistory([3, 2, 1]);
      await s.debug.putRaw(s.debug.keys.draft(scope), { spec: history[0]!.spec, version: 3, createdBy: ann, createdAt: 1, updatedAt: 3, contributors: {} });
      await s.debug.putRaw(s.debug.keys.history(scope), history);
      expect((await s.drafts.get(scope))?.version).toBe(3);
      expect((await s.drafts.history(scope, 2)).map((h) => h.version)).toEqual([3, 2]);
      const { record } = await s.drafts.update(scope, bob, 'track', async (d, context) => {
        expect((await context.history(2)).map((h) => [h.version, h.spec.track.bpm])).toEqual([
          [3, 103],
          [2, 102],
        ]);
        return { ...d, spec: withBpm(d.spec, 140) };
      });
      expect(record.version).toBe(4);
      expect((await s.drafts.history(scope)).map((h) => h.version)).toEqual([4, 3, 2, 1]);
      expect((await s.drafts.undo(scope, ann)).spec.track.bpm).toBe(103);
    } finally {
      await s.close();
    }
  });

  it('GIVEN a vote stored in the older layout (ballots inside it) WHEN get, cast, change and close THEN every member counts once with their latest pick', async () => {
    const s = await makeStore();
    try {
      const vote = oldVote({ ballots: { m1: 'calling', m2: 'calling', m3: 'pluck' } });
      await s.debug.putRaw(s.debug.keys.vote(vote.id), vote);
      expect((await s.votes.get(vote.id))?.ballots).toEqual(vote.ballots);
      const cast = await s.votes.cast(vote.id, 'm1', 'pluck'); // changes an older ballot
      expect(cast).toMatchObject({ tally: { calling: 1, pluck: 2 }, ballotCount: 3 });
      expect((await s.votes.get(vote.id))?.ballots).toEqual({ m1: 'pluck', m2: 'calling', m3: 'pluck' });
      const last = await s.votes.cast(vote.id, 'm4', 'calling');
      expect(last).toMatchObject({ tally: { calling: 2, pluck: 2 }, ballotCount: 4 });
      const closed = await s.votes.close(vote.id, ann);
      expect(closed.closed.tally).toEqual(last.tally);
      expect(closed.ballots).toEqual({ m1: 'pluck', m2: 'calling', m3: 'pluck', m4: 'calling' });
      expect((await s.votes.get(vote.id))?.ballots).toEqual(closed.ballots);
    } finally {
      await s.close();
    }
  });

  it('GIVEN a vote whose ballots value is not a hash of ballots WHEN get THEN StoreCorruptError naming the ballots key', async () => {
    const s = await makeStore();
    try {
      const vote = oldVote();
      await s.votes.create(vote);
      await s.debug.putRaw(s.debug.keys.ballots(vote.id), 'nope');
      const error = await s.votes.get(vote.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreCorruptError);
      expect((error as StoreCorruptError).key).toBe(s.debug.keys.ballots(vote.id));
    } finally {
      await s.close();
    }
  });

  it('GIVEN a newer history entry with a corrupt spec WHEN a stale form reads the history since its base THEN the base spec and every name load; that spec alone is StoreCorruptError', async () => {
    const s = await makeStore();
    try {
      const scope = freshScope();
      const [v3, v2, v1] = oldHistory([3, 2, 1]);
      const broken = { ...v3!, spec: { ...v3!.spec, track: { ...v3!.spec.track, bpm: 'fast' } } };
      await s.debug.putRaw(s.debug.keys.draft(scope), { spec: v3!.spec, version: 3, createdBy: ann, createdAt: 1, updatedAt: 3, contributors: {} });
      await s.debug.putRaw(s.debug.keys.history(scope), [broken, v2, v1]);
      const seen: unknown[] = [];
      const error = await s.drafts
        .update(scope, bob, 'track', async (d, context) => {
          const since = await context.history(2);
          seen.push(since.map((h) => h.actor.name), since[1]!.spec.track.bpm);
          void since[0]!.spec;
          return d;
        })
        .catch((e: unknown) => e);
      expect(seen).toEqual([['Ann', 'Bob'], 102]);
      expect(error).toBeInstanceOf(StoreCorruptError);
    } finally {
      await s.close();
    }
  });

  it('GIVEN a stale form WHEN its mutate reads the history since its base THEN only those entries, newest first; a base past the current version gives none', async () => {
    const s = await makeStore();
    try {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      for (let i = 0; i < 6; i++) await s.drafts.update(scope, i % 2 ? ann : bob, `step ${i}`, (d) => ({ ...d, spec: withBpm(d.spec, 120 + i) }));
      let since: number[] = [];
      let future: number[] = [];
      let all = 0;
      await s.drafts.update(scope, ann, 'track', async (d, context) => {
        since = (await context.history(4)).map((h) => h.version);
        future = (await context.history(9)).map((h) => h.version);
        all = (await context.history()).length;
        return d;
      });
      expect(since).toEqual([7, 6, 5, 4]);
      expect(future).toEqual([]);
      expect(all).toBe(7);
    } finally {
      await s.close();
    }
  });

  it('GIVEN a corrupt history entry beyond the ones read WHEN history(limit) and an up-to-date update THEN they work; reading that entry THEN StoreCorruptError', async () => {
    const s = await makeStore();
    try {
      const scope = freshScope();
      const history: unknown[] = [...oldHistory([3, 2]), { version: 'x' }];
      await s.debug.putRaw(s.debug.keys.draft(scope), { spec: makeSpec(), version: 3, createdBy: ann, createdAt: 1, updatedAt: 3, contributors: {} });
      await s.debug.putRaw(s.debug.keys.history(scope), history);
      expect((await s.drafts.history(scope, 2)).map((h) => h.version)).toEqual([3, 2]);
      expect((await s.drafts.update(scope, ann, 'track', (d) => d)).record.version).toBe(4);
      await expect(s.drafts.history(scope)).rejects.toBeInstanceOf(StoreCorruptError);
    } finally {
      await s.close();
    }
  });
});

describe('store layout: redis keys and round trips', () => {
  /**
   * A store and a plain client on Redis, closed afterwards: on the shared server, or on a server of
   * its own (for tests that read Redis' command counters, which other tests would disturb).
   */
  async function withRedis(where: 'shared server' | 'own server', body: (s: Store, client: ReturnType<typeof createClient>, url: string) => Promise<void>): Promise<void> {
    const server = where === 'own server' ? await startRedis() : undefined;
    const url = server?.url ?? redis.url;
    const s = await createStore({ redisUrl: url, logger: silentLogger });
    const client = createClient({ url });
    await client.connect();
    try {
      await body(s, client, url);
    } finally {
      await client.close();
      await s.close();
      await server?.stop();
    }
  }

  async function stats(client: ReturnType<typeof createClient>): Promise<Record<string, number>> {
    const text = await client.info('commandstats');
    return Object.fromEntries([...text.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map((m) => [m[1]!, Number(m[2])]));
  }
  const delta = (after: Record<string, number>, before: Record<string, number>, name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  /** Script round trips: EVALSHA, or EVAL the first time a script runs. */
  const scriptRuns = (after: Record<string, number>, before: Record<string, number>) => delta(after, before, 'eval') + delta(after, before, 'evalsha');

  it('GIVEN Redis forgot its scripts (SCRIPT FLUSH, as after a restart) WHEN a draft is updated THEN the scripts are sent again once and the update lands', async () => {
    await withRedis('own server', async (s, client, url) => {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      await s.drafts.update(scope, ann, 'warm', (d) => d);
      await client.scriptFlush();
      // This process wrote the draft last: the compare-and-set alone (its text sent once).
      let before = await stats(client);
      const { record } = await s.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 151) }));
      let after = await stats(client);
      expect(record.spec.track.bpm).toBe(151);
      expect(delta(after, before, 'eval')).toBe(1);
      // Another process (nothing known): the read script's text goes once too (the CAS is known again).
      const t = await createStore({ redisUrl: url, logger: silentLogger });
      try {
        before = await stats(client);
        await t.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 152) }));
        after = await stats(client);
        expect(delta(after, before, 'eval')).toBe(1);
        before = await stats(client);
        await t.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 153) }));
        after = await stats(client);
        expect(delta(after, before, 'eval')).toBe(0);
        expect(delta(after, before, 'evalsha')).toBe(1);
      } finally {
        await t.close();
      }
      expect((await s.drafts.get(scope))?.spec.track.bpm).toBe(153);
    });
  });

  it('GIVEN a draft this process wrote WHEN another process changes it and this one updates THEN the update applies to the version the other wrote (one failed compare-and-set, then read and write)', async () => {
    await withRedis('own server', async (s, client, url) => {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      await s.drafts.update(scope, ann, 'bpm 140', (d) => ({ ...d, spec: withBpm(d.spec, 140) }));
      const t = await createStore({ redisUrl: url, logger: silentLogger });
      try {
        await t.drafts.update(scope, bob, 'bpm 141', (d) => ({ ...d, spec: withBpm(d.spec, 141) }));
        const before = await stats(client);
        const seen: number[] = [];
        const { record, previous } = await s.drafts.update(scope, ann, 'bpm +1', (d) => {
          seen.push(d.spec.track.bpm);
          return { ...d, spec: withBpm(d.spec, d.spec.track.bpm + 1) };
        });
        const after = await stats(client);
        // Tried on what it wrote (140), refused; re-run on what the other process wrote (141).
        expect(seen).toEqual([140, 141]);
        expect(previous.version).toBe(3);
        expect(record).toMatchObject({ version: 4, spec: { track: { bpm: 142 } } });
        expect(scriptRuns(after, before)).toBe(3);
        expect((await t.drafts.history(scope)).map((h) => [h.version, h.summary])).toEqual([
          [4, 'bpm +1'],
          [3, 'bpm 141'],
          [2, 'bpm 140'],
          [1, 'create'],
        ]);
      } finally {
        await t.close();
      }
    });
  });

  it('GIVEN a process that keeps 2 known values WHEN it wrote 3 drafts THEN the oldest costs a read again (2 round trips), the newest none (1); knownKeys 0 always reads', async () => {
    await withRedis('own server', async (_s, client, url) => {
      for (const [knownKeys, oldest, newest] of [
        [2, 2, 1],
        [0, 2, 2],
      ] as const) {
        const s = await createStore({ redisUrl: url, logger: silentLogger, redis: { knownKeys } });
        try {
          const scopes = [freshScope(), freshScope(), freshScope()];
          for (const scope of scopes) await s.drafts.create(scope, makeSpec(), ann);
          for (const scope of scopes) await s.drafts.update(scope, ann, 'warm', (d) => d);
          let before = await stats(client);
          await s.drafts.update(scopes[2]!, ann, 'newest', (d) => d);
          let after = await stats(client);
          expect(scriptRuns(after, before)).toBe(newest);
          before = await stats(client);
          await s.drafts.update(scopes[0]!, ann, 'oldest', (d) => d);
          after = await stats(client);
          expect(scriptRuns(after, before)).toBe(oldest);
        } finally {
          await s.close();
        }
      }
    });
  });

  it('GIVEN a draft this process wrote WHEN it reads it THEN Redis answers in a few bytes, not the draft; WHEN another process changed it THEN the read returns the change', async () => {
    await withRedis('own server', async (s, client, url) => {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      await s.drafts.update(scope, ann, 'bpm 140', (d) => ({ ...d, spec: withBpm(d.spec, 140) }));
      const stored = (await client.get(s.debug.keys.draft(scope)))!.length;
      const counter = async () => Number(/total_net_output_bytes:(\d+)/.exec(await client.info('stats'))![1]);
      // Bytes Redis sent while `read` ran, less one INFO reply (the counter's own).
      const info = -(await counter()) + (await counter());
      const sent = async (read: () => Promise<unknown>) => {
        const before = await counter();
        await read();
        return (await counter()) - before - info;
      };
      let read: Awaited<ReturnType<typeof s.drafts.get>>;
      expect(await sent(async () => (read = await s.drafts.get(scope)))).toBeLessThan(100);
      expect(read?.spec.track.bpm).toBe(140);
      const t = await createStore({ redisUrl: url, logger: silentLogger });
      try {
        await t.drafts.update(scope, bob, 'bpm 141', (d) => ({ ...d, spec: withBpm(d.spec, 141) }));
      } finally {
        await t.close();
      }
      let changed: typeof read;
      expect(await sent(async () => (changed = await s.drafts.get(scope)))).toBeGreaterThan(stored);
      expect(changed).toMatchObject({ version: 3, spec: { track: { bpm: 141 } } });
    });
  });

  it('GIVEN a draft this process wrote WHEN another process deletes it (or it expires) and this one updates THEN DraftMissingError, nothing written', async () => {
    await withRedis('own server', async (s, client) => {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      await s.drafts.update(scope, ann, 'warm', (d) => d);
      await client.del(s.debug.keys.draft(scope));
      await expect(s.drafts.update(scope, ann, 'track', (d) => d)).rejects.toBeInstanceOf(DraftMissingError);
      expect(await client.exists(s.debug.keys.draft(scope))).toBe(0);
      expect(await client.lLen(s.debug.keys.history(scope))).toBe(2);
    });
  });

  it('GIVEN a vote this process read open WHEN another process closes it and a member here casts THEN VoteClosedError (decided on the fresh value), no ballot written', async () => {
    await withRedis('own server', async (s, client, url) => {
      const vote = oldVote();
      await s.votes.create(vote);
      await s.votes.cast(vote.id, 'm1', 'pluck');
      const t = await createStore({ redisUrl: url, logger: silentLogger });
      try {
        await t.votes.close(vote.id, bob);
      } finally {
        await t.close();
      }
      await expect(s.votes.cast(vote.id, 'm2', 'calling')).rejects.toBeInstanceOf(VoteClosedError);
      expect(await client.hGetAll(s.debug.keys.ballots(vote.id))).toEqual({ m1: 'pluck' });
    });
  });

  it('GIVEN a draft with a full history WHEN an up-to-date update and setCardMessage THEN one round trip each (this process wrote the draft last), the history is pushed (never read) and stays a trimmed list', async () => {
    await withRedis('own server', async (s, client) => {
      const scope = freshScope();
      await s.drafts.create(scope, makeSpec(), ann);
      for (let i = 0; i < 30; i++) await s.drafts.update(scope, ann, `step ${i}`, (d) => d);
      const hk = s.debug.keys.history(scope);
      expect(await client.type(hk)).toBe('list');
      expect(await client.lLen(hk)).toBe(25);
      expect(await client.pTTL(hk)).toBeGreaterThan(29 * 24 * 3600 * 1000);

      let before = await stats(client);
      await s.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 150) }));
      let after = await stats(client);
      // No read: the compare-and-set checks the draft this process wrote.
      expect(scriptRuns(after, before)).toBe(1);
      // The script is known to Redis by now: only its SHA1 goes over the wire.
      expect(delta(after, before, 'evalsha')).toBe(1);
      expect(delta(after, before, 'lrange')).toBe(0);
      expect(delta(after, before, 'lpush')).toBe(1);

      before = await stats(client);
      await s.drafts.setCardMessage(scope, '1234');
      after = await stats(client);
      expect(scriptRuns(after, before)).toBe(1);
      expect(delta(after, before, 'lpush') + delta(after, before, 'lrange')).toBe(0);
      expect((await s.drafts.get(scope))?.cardMessageId).toBe('1234');
      expect(await client.lLen(hk)).toBe(25);
    });
  });

  it('GIVEN a long draft whose text goes past U+00FF (em dash, arrows, CJK, emoji) WHEN this process saves it twice THEN Redis holds Keyv’s exact UTF-8 text, another process reads every character back, and the second save is still one round trip (its compare token matched the stored bytes)', async () => {
    await withRedis('own server', async (s, client, url) => {
      const scope = freshScope();
      const style = 'Progressive — cold → euphoric, 夜明け 🎹 «wide» '.repeat(2);
      const spec = makeSpec({ track: { bpm: 128, key: 'F minor', style: style.slice(0, 120), references: [] } });
      const want = spec.track.style;
      expect(want).toContain('🎹');
      await s.drafts.create(scope, spec, ann);
      await s.drafts.update(scope, ann, 'bpm 131 — “first”', (d) => ({ ...d, spec: withBpm(d.spec, 131) }));
      const before = await stats(client);
      const { record } = await s.drafts.update(scope, bob, 'bpm 132 — “second” 🎚', (d) => ({ ...d, spec: withBpm(d.spec, 132) }));
      const after = await stats(client);
      expect(scriptRuns(after, before)).toBe(1);
      expect(delta(after, before, 'evalsha')).toBe(1);

      const raw = await client.get(s.debug.keys.draft(scope));
      expect(raw!.length).toBeGreaterThan(1024);
      // Exactly Keyv's text for what it holds (Keyv reads it back and writes the same characters), and what it holds is the record.
      const envelope = defaultDeserialize<{ value: unknown; expires: number }>(raw!);
      expect(defaultSerialize(envelope)).toBe(raw);
      expect(envelope.value).toEqual(JSON.parse(JSON.stringify(record)));
      const t = await createStore({ redisUrl: url, logger: silentLogger });
      try {
        expect((await t.drafts.get(scope))?.spec.track.style).toBe(want);
        expect((await t.drafts.history(scope)).map((h) => [h.version, h.summary, h.spec.track.style])).toEqual([
          [3, 'bpm 132 — “second” 🎚', want],
          [2, 'bpm 131 — “first”', want],
          [1, 'create', want],
        ]);
        // The other process saves on top; this one's next save is refused once, then applies on the other's.
        await t.drafts.update(scope, bob, 'bpm 133', (d) => ({ ...d, spec: withBpm(d.spec, 133) }));
      } finally {
        await t.close();
      }
      const seen: number[] = [];
      await s.drafts.update(scope, ann, 'bpm +1', (d) => {
        seen.push(d.spec.track.bpm);
        return { ...d, spec: withBpm(d.spec, d.spec.track.bpm + 1) };
      });
      expect(seen).toEqual([132, 133]);
      expect((await s.drafts.get(scope))?.spec.track.bpm).toBe(134);
    });
  });

  it('GIVEN an older-layout history WHEN the draft is updated THEN the key becomes a list with the old entries under the new one, TTL kept', async () => {
    await withRedis('shared server', async (s, client) => {
      const scope = freshScope();
      const hk = s.debug.keys.history(scope);
      await s.debug.putRaw(s.debug.keys.draft(scope), { spec: makeSpec(), version: 2, createdBy: ann, createdAt: 1, updatedAt: 2, contributors: {} });
      await s.debug.putRaw(hk, oldHistory([2, 1]));
      await client.pExpire(hk, 60_000);
      expect(await client.type(hk)).toBe('string');
      await s.drafts.update(scope, ann, 'track', (d) => d);
      expect(await client.type(hk)).toBe('list');
      expect((await s.drafts.history(scope)).map((h) => h.version)).toEqual([3, 2, 1]);
    });
  });

  it('GIVEN a vote WHEN members cast THEN the ballots are a hash and the vote value holds none', async () => {
    await withRedis('shared server', async (s, client) => {
      const vote = oldVote();
      await s.votes.create(vote);
      await s.votes.cast(vote.id, 'm1', 'pluck');
      await s.votes.cast(vote.id, 'm2', 'calling');
      expect(await client.hGetAll(s.debug.keys.ballots(vote.id))).toEqual({ m1: 'pluck', m2: 'calling' });
      expect(await client.get(s.debug.keys.vote(vote.id))).not.toContain('m1');
    });
  });

  it('GIVEN a vote with 2,000 ballots WHEN a member changes their pick THEN the ballot and the tally hash change in one script, no ballot is read back', async () => {
    await withRedis('own server', async (s, client) => {
      const vote = oldVote();
      await s.votes.create(vote);
      for (let i = 0; i < 2000; i++) await s.votes.cast(vote.id, `m${i}`, i % 2 ? 'pluck' : 'calling');
      const bk = s.debug.keys.ballots(vote.id);
      // Every command Redis runs (scripts' included) that names the ballots hash.
      const seen: string[] = [];
      const monitor = client.duplicate();
      await monitor.connect();
      await monitor.monitor((line: string) => {
        if (line.includes(`"${bk}"`) && !/"(EVAL|EVALSHA|eval|evalsha)"/.test(line)) seen.push(line.replace(/^.*?\] /, '').split(' ')[0]!.toUpperCase());
      });
      const before = await stats(client);
      const cast = await s.votes.cast(vote.id, 'm0', 'pluck');
      const after = await stats(client);
      await monitor.close();
      expect(cast).toMatchObject({ tally: { calling: 999, pluck: 1001 }, ballotCount: 2000 });
      // The vote value this process read on the earlier casts is checked by the cast script itself.
      expect(scriptRuns(after, before)).toBe(1);
      expect(seen.sort()).toEqual(['"HGET"', '"HLEN"', '"HSET"', '"TYPE"']);
      expect(await client.hGetAll(s.debug.keys.tally(vote.id))).toEqual({ '': '2001', calling: '999', pluck: '1001' });
    });
  });

  it('GIVEN ballots written by a version without tallies (a hash and a counter, no tally key) WHEN a member casts THEN every earlier ballot counts', async () => {
    await withRedis('shared server', async (s, client) => {
      const { ballots: _ballots, ...info } = oldVote();
      await s.debug.putRaw(s.debug.keys.vote(info.id), info);
      await client.hSet(s.debug.keys.ballots(info.id), { m1: 'calling', m2: 'calling', m3: 'pluck' });
      await client.set(s.debug.keys.ballotsRev(info.id), '3');
      const cast = await s.votes.cast(info.id, 'm3', 'calling');
      expect(cast).toMatchObject({ tally: { calling: 3, pluck: 0 }, ballotCount: 3 });
      expect((await s.votes.close(info.id, ann)).closed.tally).toEqual(cast.tally);
    });
  });

  it('GIVEN a tally WHEN a process of a version without tallies changes a ballot THEN the next cast counts from the ballots again', async () => {
    await withRedis('shared server', async (s, client) => {
      const vote = oldVote();
      await s.votes.create(vote);
      await s.votes.cast(vote.id, 'm1', 'calling');
      await s.votes.cast(vote.id, 'm2', 'calling');
      // What that version's cast did: HSET the ballot, INCR the counter.
      await client.hSet(s.debug.keys.ballots(vote.id), 'm2', 'pluck');
      await client.hSet(s.debug.keys.ballots(vote.id), 'm3', 'pluck');
      await client.incrBy(s.debug.keys.ballotsRev(vote.id), 2);
      const cast = await s.votes.cast(vote.id, 'm4', 'calling');
      expect(cast).toMatchObject({ tally: { calling: 2, pluck: 2 }, ballotCount: 4 });
      expect((await s.votes.close(vote.id, ann)).closed.tally).toEqual(cast.tally);
    });
  });
});
