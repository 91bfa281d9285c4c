/**
 * The gateway transport: a discord.js Client keeps the gateway connection; each raw
 * INTERACTION_CREATE payload (an APIInteraction, never a discord.js object) goes to the router,
 * the reply is POSTed to the interaction callback route, then its after-work runs. Errors in
 * after-work are logged and never crash the process.
 */
import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import { GatewayDispatchEvents, type APIInteraction } from 'discord-api-types/v10';
import type { Logger } from '../discord/deps.js';
import type { RestDiscordApi } from '../discord/restApi.js';
import type { Router } from '../discord/router.js';
import { createInFlight, runAfterWork, type InFlight } from './inflight.js';

export interface GatewayTransportDeps {
  readonly token: string;
  /** DISCORD_API_URL (REST base, e.g. http://127.0.0.1:8080/api); Discord's by default. */
  readonly apiUrl?: string;
  readonly router: Router;
  readonly api: Pick<RestDiscordApi, 'postCallback'>;
  readonly log: Logger;
  readonly inflight?: InFlight;
  /** Give up waiting for READY after this long (default 60 s). */
  readonly readyTimeoutMs?: number;
}

export interface GatewayTransport {
  readonly client: Client;
  /** For /healthz. */
  status(): { ok: boolean; status: string; pingMs: number | null };
  /** Handles one raw interaction (exported for tests): route → callback → after. */
  handle(interaction: APIInteraction): Promise<void>;
  close(): Promise<void>;
}

/** Logs in and resolves once the client is ready. */
export async function startGateway(deps: GatewayTransportDeps): Promise<GatewayTransport> {
  const { log, router, api } = deps;
  const inflight = deps.inflight ?? createInFlight();
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(deps.apiUrl ? { rest: { api: deps.apiUrl } } : {}),
  });

  /** Routes and answers; the reply's after-work, once the answer was delivered. */
  async function respond(interaction: APIInteraction): Promise<(() => Promise<void>) | undefined> {
    const reply = await router.route(interaction);
    try {
      await api.postCallback(interaction, reply);
    } catch (error) {
      log.warn({ interactionId: interaction.id, type: interaction.type, err: error }, 'could not answer the interaction');
      return undefined;
    }
    return reply.after;
  }

  // Not an async function: while the after-work runs (a card refresh may wait its turn for seconds),
  // nothing but the work itself is held; the payload and the reply (its files) are let go.
  function handle(interaction: APIInteraction): Promise<void> {
    const id = interaction.id;
    return respond(interaction).then((after) => (after ? runAfterWork(after, id, log) : undefined));
  }

  client.ws.on(GatewayDispatchEvents.InteractionCreate, (raw: APIInteraction) => {
    if (!inflight.accepting) {
      log.info({ interactionId: raw.id }, 'shutting down: interaction not handled');
      return;
    }
    void inflight.run(() => handle(raw)).catch((error: unknown) => {
      log.error({ interactionId: raw.id, err: error }, 'interaction handling failed');
    });
  });

  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn({ detail: message }, 'discord client warning'));
  client.on(Events.ShardDisconnect, (event, shardId) => log.warn({ shardId, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, 'gateway reconnecting'));
  client.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, 'gateway resumed'));

  const ready = new Promise<void>((resolve, reject) => {
    const timeoutMs = deps.readyTimeoutMs ?? 60_000;
    const timer = setTimeout(() => reject(new Error(`the gateway was not ready after ${timeoutMs} ms`)), timeoutMs);
    client.once(Events.ClientReady, () => {
      clearTimeout(timer);
      resolve();
    });
  });
  try {
    await client.login(deps.token);
    await ready;
  } catch (error) {
    await client.destroy().catch(() => undefined);
    throw error;
  }
  log.info({ user: client.user?.id, guilds: client.guilds.cache.size }, 'gateway ready');

  return {
    client,
    handle,
    status() {
      const ok = client.isReady() && client.ws.status === Status.Ready;
      return { ok, status: Status[client.ws.status] ?? String(client.ws.status), pingMs: client.ws.ping >= 0 ? client.ws.ping : null };
    },
    async close() {
      inflight.close();
      await client.destroy();
    },
  };
}
