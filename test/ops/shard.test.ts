/**
 * `npm run start:sharded` (dist/src/shard.js, discord.js ShardingManager). The stand-in serves
 * one shard per session and closes identifies for shard ids other than [0, 1], so the real run
 * uses SHARD_COUNT=auto, which asks GET /gateway/bot (the stand-in recommends 1): the manager
 * spawns dist/src/main.js as shard 0 of 1, which connects, answers an interaction and stops on
 * SIGTERM. Several shards are checked through --dry-run (the plan: script, count, ports).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDS, interactions, startStandin, type Standin } from '../standin/index.js';
import { spawnNode, startBotProcess, stopAll, tempDir, type BotProcess } from '../support/botProcess.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { shardFromEnv } from '../../src/main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SHARD = join(root, 'dist/src/shard.js');

const baseEnv = (standin: Standin, extra: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  DISCORD_TOKEN: standin.token,
  DISCORD_APPLICATION_ID: standin.applicationId,
  DISCORD_GUILD_ID: DEFAULT_IDS.guild,
  DISCORD_API_URL: standin.apiBase,
  SALT_TRANSPORT: 'gateway',
  HOST: '127.0.0.1',
  ...extra,
});

describe('GIVEN the sharding entry point', () => {
  let standin: Standin;
  let redis: RedisServer;
  let dir: string;

  beforeAll(async () => {
    [standin, redis] = await Promise.all([startStandin(), startRedis()]);
    dir = tempDir('shard');
  });
  afterAll(() => stopAll({ standin, redis, dir }));

  it('WHEN run with --dry-run and SHARD_COUNT=4 THEN it plans dist/src/main.js in four processes on PORT + shard id, spawning nothing', async () => {
    const run = spawnNode(SHARD, baseEnv(standin, { SHARD_COUNT: '4', PORT: '3000', SALT_SHARD_DRY_RUN: '1' }), dir);
    expect(await run.exited).toBe(0);
    expect(run.lines.find((l) => l.dryRun)).toEqual({
      dryRun: true,
      script: join(root, 'dist/src/main.js'),
      totalShards: 4,
      mode: 'process',
      respawn: true,
      ports: [3000, 3001, 3002, 3003],
      transport: 'gateway',
    });
    expect(standin.identifies).toHaveLength(0);
  });

  it('WHEN SHARD_COUNT is not a count, or the transport is HTTP THEN it exits 1 saying so', async () => {
    const bad = spawnNode(SHARD, baseEnv(standin, { SHARD_COUNT: 'many', PORT: '0' }), dir);
    expect(await bad.exited).toBe(1);
    expect(bad.stderr.join('')).toContain('SHARD_COUNT: must be "auto" or a whole number');
    const http = spawnNode(SHARD, baseEnv(standin, { SALT_TRANSPORT: 'http', DISCORD_PUBLIC_KEY: standin.publicKeyHex, PORT: '0' }), dir);
    expect(await http.exited).toBe(1);
    expect(http.stderr.join('')).toContain('HTTP replicas');
  });

  it('WHEN a shard process gets SHARDS / SHARD_COUNT THEN main reads its shard; a shard id outside the count is refused', () => {
    expect(shardFromEnv({})).toBeUndefined();
    expect(shardFromEnv({ SHARDS: '2', SHARD_COUNT: '4' })).toEqual({ id: 2, count: 4 });
    expect(shardFromEnv({ SHARDS: '[1]', SHARD_COUNT: '2' })).toEqual({ id: 1, count: 2 });
    expect(() => shardFromEnv({ SHARDS: '4', SHARD_COUNT: '4' })).toThrow(/invalid shard environment/);
  });

  it('WHEN run with SHARD_COUNT=auto THEN the manager spawns shard 0 of the recommended 1, which answers interactions, and SIGTERM stops both', async () => {
    let manager: BotProcess | undefined;
    try {
      manager = await startBotProcess({ standin, dir, script: SHARD, transport: 'gateway', env: { SHARD_COUNT: 'auto', REDIS_URL: redis.url }, timeoutMs: 30_000 });
      expect(standin.identifies.map((i) => i.shard)).toEqual([[0, 1]]);
      const running = manager.lines.find((l) => l.msg === 'saltbot is running');
      expect(running).toMatchObject({ shard: 0, shardCount: 1 });
      expect((await manager.health()).status).toBe(200);
      const ix = interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never });
      const cb = await manager.send(ix);
      expect(cb.type).toBe(4);
      await expect.poll(() => manager!.lines.find((l) => l.msg === 'interaction')).toMatchObject({ shard: 0, outcome: 'ok', command: 'salt new' });
      expect(manager.lines.some((l) => l.component === 'shard-manager' && l.msg === 'all shards ready')).toBe(true);
      expect((await manager.term()).code).toBe(0);
      expect(manager.lines.some((l) => l.shard === 0 && l.msg === 'stopped')).toBe(true);
    } finally {
      await manager?.term();
    }
  }, 40_000);
});
