/**
 * `npm run start:sharded` (node dist/src/shard.js): runs the gateway bot as several shards with
 * discord.js's ShardingManager — one `dist/src/main.js` process per shard, all on the same store
 * (use Redis: REDIS_URL; the file store is one process only).
 *
 *   SHARD_COUNT   "auto" (default: Discord's recommendation from GET /gateway/bot) or a number.
 *   --dry-run     (or SALT_SHARD_DRY_RUN=1) prints the plan as JSON and exits without spawning.
 *
 * Each shard process gets SHARDS / SHARD_COUNT from the manager (src/main.ts reads them): it
 * listens for /healthz and /metrics on PORT + shard id, labels its logs and metrics with the
 * shard, and only shard 0 registers commands. Every shard re-arms vote deadlines; the store closes
 * a vote exactly once, so a deadline armed in several processes still closes it once.
 *
 * SIGTERM: no respawns; each shard gets SIGTERM (finishing its in-flight interactions), then the
 * manager exits. SIGINT (Ctrl-C in a terminal) already reaches every shard through the process
 * group, so it is not forwarded; the manager only waits for them.
 */
import { join } from 'node:path';
import { REST } from '@discordjs/rest';
import { Routes, type RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { ShardingManager } from 'discord.js';
import { ConfigError, loadConfigOrExit, type Config } from './config.js';
import { createLogger } from './log.js';
import { projectRoot } from './util/root.js';
import { isEntryModule } from './util/entry.js';

export const SHARD_STOP_GRACE_MS = 15_000;

export interface ShardPlan {
  /** The script each shard runs. */
  script: string;
  totalShards: number | 'auto';
  mode: 'process';
  respawn: true;
  /** Each shard's /healthz + /metrics port (PORT + shard id; all 0 when PORT is 0). */
  ports: number[] | 'PORT + shard id';
  transport: Config['SALT_TRANSPORT'];
}

/** SHARD_COUNT: "auto" / unset, or a whole number from 1 to 1000. */
export function parseShardCount(raw: string | undefined): number | 'auto' {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'auto') return 'auto';
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new ConfigError([`SHARD_COUNT: must be "auto" or a whole number from 1 to 1000 (got ${JSON.stringify(raw)})`]);
  return n;
}

export function shardPlan(config: Config, env: Record<string, string | undefined>): ShardPlan {
  const totalShards = parseShardCount(env.SHARD_COUNT);
  if (config.SALT_TRANSPORT !== 'gateway') {
    throw new ConfigError(['SALT_TRANSPORT: sharding is for the gateway transport; run HTTP replicas behind a load balancer instead']);
  }
  return {
    script: join(projectRoot(), 'dist/src/main.js'),
    totalShards,
    mode: 'process',
    respawn: true,
    ports: totalShards === 'auto' ? 'PORT + shard id' : Array.from({ length: totalShards }, (_, id) => (config.PORT === 0 ? 0 : config.PORT + id)),
    transport: config.SALT_TRANSPORT,
  };
}

/** Discord's recommended shard count (GET /gateway/bot), through DISCORD_API_URL when set. */
export async function recommendedShards(config: Config): Promise<number> {
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) }).setToken(config.DISCORD_TOKEN);
  const info = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  return Math.max(1, info.shards);
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const config = loadConfigOrExit();
  let plan: ShardPlan;
  try {
    plan = shardPlan(config, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`saltbot: ${error.message}`);
      console.error('See .env.example for every variable.');
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger({ level: config.LOG_LEVEL, pretty: config.SALT_PRETTY_LOGS, secrets: [config.DISCORD_TOKEN], base: { component: 'shard-manager' } });

  if (argv.includes('--dry-run') || process.env.SALT_SHARD_DRY_RUN === '1') {
    process.stdout.write(`${JSON.stringify({ dryRun: true, ...plan })}\n`);
    return;
  }
  if (!config.REDIS_URL) log.warn({}, 'REDIS_URL is not set: the file store is for one process only; use Redis with several shards');

  const totalShards = plan.totalShards === 'auto' ? await recommendedShards(config) : plan.totalShards;
  const manager = new ShardingManager(plan.script, { totalShards, token: config.DISCORD_TOKEN, mode: 'process', respawn: true, execArgv: ['--max-semi-space-size=32', '--heap-growing-percent=400', '--v8-pool-size=1'] });
  manager.on('shardCreate', (shard) => {
    log.info({ shardId: shard.id, totalShards }, 'shard spawned');
    shard.on('ready', () => log.info({ shardId: shard.id }, 'shard ready'));
    shard.on('death', (child) => {
      const code = 'exitCode' in child ? child.exitCode : null;
      log.warn({ shardId: shard.id, code, respawn: manager.respawn }, 'shard process exited');
    });
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    log.info({ signal }, 'stopping shards');
    const exits = [...manager.shards.values()].map((shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (signal === 'SIGTERM') child.kill('SIGTERM');
      return exited;
    });
    const timer = setTimeout(() => {
      log.warn({}, `shards still running after ${SHARD_STOP_GRACE_MS} ms; killing them`);
      for (const shard of manager.shards.values()) shard.process?.kill('SIGKILL');
      process.exit(1);
    }, SHARD_STOP_GRACE_MS);
    void Promise.all(exits).then(() => {
      clearTimeout(timer);
      log.info({}, 'all shards stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  try {
    // Each shard must report ready (its gateway session) within the timeout; spawned 5.5 s apart
    // by default, as Discord's identify rate limit wants.
    await manager.spawn({ amount: totalShards, timeout: 60_000 });
    log.info({ totalShards }, 'all shards ready');
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'spawning shards failed');
    manager.respawn = false;
    for (const shard of manager.shards.values()) shard.process?.kill('SIGTERM');
    process.exit(1);
  }
}

if (isEntryModule(import.meta.url)) {
  void main();
}
