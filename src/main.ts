/**
 * The bot process (`npm start` = node dist/src/main.js):
 *
 *   configuration (fail fast, every problem listed) → store (Redis or file; one line saying
 *   which) → REST + DiscordApi → vote scheduler (re-arms open votes) → router → command
 *   registration → transport
 *   (gateway, with /healthz on PORT; or the HTTP interactions endpoint on PORT/HOST).
 *
 * Every interaction is counted, timed and logged once (src/metrics.ts wraps the router); the store
 * is instrumented the same way; GET /metrics serves Prometheus text next to /healthz.
 *
 * Sharding: under discord.js's ShardingManager (src/shard.ts, `npm run start:sharded`) each shard
 * process gets SHARDS / SHARD_COUNT in its environment; discord.js's Client picks them up. Such a
 * process listens on PORT + shard id (when PORT is not 0), labels its metrics and logs with the
 * shard, and only shard 0 registers commands. Every process re-arms vote deadlines: the store
 * closes a vote exactly once, so a deadline armed in several processes still closes it once.
 *
 * SIGTERM/SIGINT: stop taking interactions, wait (at most 10 s) for those in flight and their
 * after-work, close the store, exit 0. A second signal exits at once.
 */
import { createServer, type Server } from 'node:http';
import { REST, type RESTOptions } from '@discordjs/rest';
import { registry } from '../commands/index.js';
import { outdatedReply } from '../commands/salt/draft.js';
import { loadConfigOrExit, type Config } from './config.js';
import { closeVoteOnTimer } from '../commands/salt/vote.js';
import type { Deps } from './discord/deps.js';
import { createDiscordApi, globalRequestsPerSecond, interactionRestOptions } from './discord/restApi.js';
import { createPacer } from './util/pacer.js';
import { createRouter } from './discord/router.js';
import { createVoteScheduler, type RunningVoteScheduler } from './discord/voteScheduler.js';
import { createLogger, type AppLogger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { registerCommands } from './register.js';
import { createStore, type Store } from './store/index.js';
// discord.js (gateway only) is loaded on demand: the HTTP transport starts faster and smaller without it.
import type { GatewayTransport } from './transport/gateway.js';
import { healthOnly, type HealthDeps } from './transport/health.js';
import { closeServer, createHttpServer, listen } from './transport/http.js';
import { createInFlight } from './transport/inflight.js';
import { isEntryModule } from './util/entry.js';
import { createLogThrottle } from './util/logThrottle.js';

export const SHUTDOWN_GRACE_MS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RunningBot {
  readonly config: Config;
  readonly store: Store;
  /** Where the HTTP server (interactions or health) listens. */
  readonly url: string | undefined;
  /** The process's Prometheus registry (served at GET /metrics). */
  readonly metrics: Metrics;
  stop(reason: string): Promise<void>;
}

/** This process's shard when started by discord.js's ShardingManager (SHARDS / SHARD_COUNT), else undefined. */
export function shardFromEnv(env: Record<string, string | undefined>): { id: number; count: number } | undefined {
  if (env.SHARDS === undefined || env.SHARDS.trim() === '') return undefined;
  let ids: unknown;
  try {
    ids = JSON.parse(env.SHARDS);
  } catch {
    ids = undefined;
  }
  const first = Array.isArray(ids) ? ids[0] : ids;
  const count = Number(env.SHARD_COUNT);
  if (!Number.isInteger(first) || (first as number) < 0 || !Number.isInteger(count) || count < 1 || (first as number) >= count) {
    throw new Error(`invalid shard environment: SHARDS=${env.SHARDS} SHARD_COUNT=${env.SHARD_COUNT ?? ''}`);
  }
  return { id: first as number, count };
}

export interface StartOptions {
  /** Set when this process is one shard of several (see shardFromEnv). */
  shard?: { id: number; count: number };
}

export async function startBot(config: Config, log: AppLogger, options: StartOptions = {}): Promise<RunningBot> {
  const { shard } = options;
  const metrics = createMetrics(shard ? { labels: { shard: String(shard.id) } } : {});
  const rawStore = await createStore({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : { filePath: config.SALT_DATA_FILE }),
    draftTtlMs: config.SALT_DRAFT_TTL_DAYS * DAY_MS,
    logger: { info: (message) => log.info({ component: 'store' }, message), warn: (message) => log.warn({ component: 'store' }, message) },
  });
  const store = metrics.instrumentStore(rawStore);
  log.info({ store: store.kind }, `store: ${store.describe()}`);

  const inflight = createInFlight();
  let gateway: GatewayTransport | undefined;
  let server: Server | undefined;
  let votes: RunningVoteScheduler | undefined;

  const cleanup = async (): Promise<void> => {
    await gateway?.close().catch(() => undefined);
    if (server) await closeServer(server).catch(() => undefined);
    votes?.stop();
    await store.close().catch(() => undefined);
  };

  try {
    // One line per 10 s at most (a busy channel waits on its bucket many times a second).
    const rateLimited = createLogThrottle<{ route: string; retryAfterMs: number; global: boolean }>(
      (fields, folded) => log.warn({ ...fields, foldedSinceLastLine: folded }, 'rate limited by Discord'),
      10_000,
    );
    const restClient = (options: Partial<RESTOptions> = {}): REST => {
      const client = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}), ...options }).setToken(config.DISCORD_TOKEN);
      client.on('rateLimited', (info) => rateLimited({ route: info.route, retryAfterMs: info.retryAfter, global: info.global }));
      return client;
    };
    const rest = restClient();
    // Interaction routes are outside Discord's global rate limit: their own REST, without the 50/s
    // cap, and sweeping its per-token route handlers every 10 s.
    const interactionRest = restClient(interactionRestOptions());
    const api = createDiscordApi(
      rest,
      config.DISCORD_APPLICATION_ID,
      interactionRest,
      createPacer(globalRequestsPerSecond(config.SALT_DISCORD_REQUESTS_PER_SECOND, shard?.count)),
    );

    // The scheduler needs a closer and the closer needs deps: bind late.
    let scheduler: RunningVoteScheduler | undefined;
    const deps: Deps = {
      store,
      api,
      log,
      now: Date.now,
      votes: { schedule: (voteId, closesAt) => scheduler?.schedule(voteId, closesAt) },
      editRatePerMinute: config.SALT_EDIT_RATE_PER_MINUTE,
    };
    const closeOnTimer = closeVoteOnTimer(deps);
    // Deadline closes count as in-flight work, so shutdown waits for one that already started.
    scheduler = votes = createVoteScheduler(deps, (voteId) => inflight.run(() => closeOnTimer(voteId)));
    const observer = metrics.observeInteractions(log);
    const router = observer.wrap(createRouter(registry, deps, (inv) => outdatedReply(inv), { onError: observer.onError }));

    try {
      await registerCommands({
        rest,
        applicationId: config.DISCORD_APPLICATION_ID,
        guildId: config.DISCORD_GUILD_ID,
        definitions: registry.definitions,
        store,
        // One shard registers for all of them.
        mode: shard && shard.id !== 0 ? 'never' : config.SALT_REGISTER_COMMANDS,
        log,
      });
    } catch (error) {
      // Commands registered earlier keep working; the next start tries again.
      log.error({ err: error instanceof Error ? error.message : String(error) }, 'command registration failed');
    }

    // Re-arms open votes' deadlines; closes those that passed while the bot was down.
    await votes.start();

    let url: string | undefined;
    // Shards of one manager share a host: each takes its own port.
    const port = shard && config.PORT !== 0 ? config.PORT + shard.id : config.PORT;
    if (config.SALT_TRANSPORT === 'http') {
      const health: HealthDeps = { store, metrics };
      server = createHttpServer({ publicKeyHex: config.DISCORD_PUBLIC_KEY ?? '', router, log, health, inflight });
      const bound = await listen(server, port, config.HOST);
      url = bound.url;
      log.info({ transport: 'http', port: bound.port, host: config.HOST }, `listening for interactions on ${bound.url}/interactions`);
    } else {
      const { startGateway } = await import('./transport/gateway.js');
      gateway = await startGateway({
        token: config.DISCORD_TOKEN,
        ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
        router,
        api,
        log,
        inflight,
      });
      const gw = gateway;
      const health: HealthDeps = { store, metrics, extra: () => ({ gateway: gw.status() }) };
      server = createServer(healthOnly(health));
      const bound = await listen(server, port, config.HOST);
      url = bound.url;
      log.info({ transport: 'gateway', port: bound.port, host: config.HOST }, `health check on ${bound.url}/healthz, metrics on ${bound.url}/metrics`);
    }

    let stopping: Promise<void> | undefined;
    return {
      config,
      store,
      url,
      metrics,
      stop(reason) {
        stopping ??= (async () => {
          log.info({ reason, inFlight: inflight.size }, 'shutting down');
          inflight.close();
          votes?.stop();
          // No new interactions: the gateway disconnects, the HTTP server stops accepting connections.
          await gateway?.close().catch((error: unknown) => log.warn({ err: String(error) }, 'gateway close failed'));
          const closing = server ? closeServer(server) : Promise.resolve();
          const drained = await inflight.drain(SHUTDOWN_GRACE_MS);
          if (!drained) log.warn({ inFlight: inflight.size }, `interactions still running after ${SHUTDOWN_GRACE_MS} ms; stopping anyway`);
          server?.closeAllConnections();
          await closing;
          await store.close();
          log.info({}, 'stopped');
        })();
        return stopping;
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

export async function main(): Promise<void> {
  const config = loadConfigOrExit();
  let shard: StartOptions['shard'];
  try {
    shard = shardFromEnv(process.env);
  } catch (error) {
    console.error(`saltbot: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const rootLog = createLogger({ level: config.LOG_LEVEL, pretty: config.SALT_PRETTY_LOGS, secrets: [config.DISCORD_TOKEN] });
  const log = shard ? rootLog.child({ shard: shard.id }) : rootLog;

  process.on('unhandledRejection', (reason) => log.error({ err: reason }, 'unhandled promise rejection'));

  let bot: RunningBot;
  try {
    bot = await startBot(config, log, shard ? { shard } : {});
  } catch (error) {
    log.error({ err: error instanceof Error ? error.message : String(error) }, 'start-up failed');
    process.exit(1);
  }
  log.info({ transport: config.SALT_TRANSPORT, application: config.DISCORD_APPLICATION_ID, guild: config.DISCORD_GUILD_ID ?? null, ...(shard ? { shardCount: shard.count } : {}) }, 'saltbot is running');

  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    bot.stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}


if (isEntryModule(import.meta.url)) {
  void main();
}
