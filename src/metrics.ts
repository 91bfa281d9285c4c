/**
 * Operations telemetry: Prometheus metrics (prom-client, own registry) and the one structured log
 * line per interaction. Both transports route through `observeRouter`, so every interaction —
 * gateway or HTTP — is counted, timed and logged in exactly one place.
 *
 *   saltbot_interactions_total{type,outcome}              counter
 *   saltbot_interaction_duration_seconds{type,outcome}    histogram (router time to the first response)
 *   saltbot_store_operation_duration_seconds{op}          histogram (every Store facade call)
 *   saltbot_store_operation_errors_total{op,code}         counter   (code: a StoreError code or "other")
 *   saltbot_store_cas_retries_total                       counter   (from store.stats(), read on scrape)
 *   saltbot_votes_open                                    gauge     (store.votes.listOpen(), cached briefly)
 *   + prom-client's default process metrics (saltbot_process_*, saltbot_nodejs_*)
 *
 * Outcomes: ok | user_error (a localized UserError or a store rule such as "no draft here") |
 * unavailable (storage down or busy) | error (anything unexpected).
 *
 * The log line (info): { interactionId, guildId, type, command, ms, outcome } — never a token,
 * never what a member typed (only the command path or the custom_id's kind, e.g. `card:track`).
 */
import { InteractionType, type APIInteraction } from 'discord-api-types/v10';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { decodeAction } from './discord/customId.js';
import type { Logger } from './discord/deps.js';
import { UserError } from './discord/errors.js';
import { commandPath } from './discord/interaction.js';
import type { Router } from './discord/router.js';
import { StoreBusyError, StoreCorruptError, StoreUnavailableError, isStoreError } from './store/errors.js';
import type { Store } from './store/index.js';

export type Outcome = 'ok' | 'user_error' | 'unavailable' | 'error';
export type InteractionKind = 'ping' | 'command' | 'component' | 'autocomplete' | 'modal' | 'other';

/** How a thrown error is counted (mirrors the router's errorReply). */
export function outcomeOf(error: unknown): Outcome {
  if (error instanceof UserError) return 'user_error';
  if (error instanceof StoreUnavailableError || error instanceof StoreBusyError) return 'unavailable';
  if (error instanceof StoreCorruptError) return 'error';
  if (isStoreError(error)) return 'user_error';
  return 'error';
}

const clipName = (s: string): string => s.replace(/[^\w:. -]/g, '?').slice(0, 64);

/** The interaction's type label and what it asked for — names and custom_id kinds only, never values. */
export function describeInteraction(interaction: APIInteraction): { type: InteractionKind; command: string } {
  switch (interaction.type) {
    case InteractionType.Ping:
      return { type: 'ping', command: 'ping' };
    case InteractionType.ApplicationCommand:
    case InteractionType.ApplicationCommandAutocomplete: {
      const data = interaction.data as { name?: unknown; options?: Parameters<typeof commandPath>[0] };
      let path: string[] = [];
      try {
        path = commandPath(data.options).path;
      } catch {
        path = [];
      }
      const name = typeof data.name === 'string' ? data.name : '?';
      return { type: interaction.type === InteractionType.ApplicationCommand ? 'command' : 'autocomplete', command: clipName([name, ...path].join(' ')) };
    }
    case InteractionType.MessageComponent:
    case InteractionType.ModalSubmit: {
      const raw = (interaction.data as { custom_id?: unknown } | undefined)?.custom_id;
      const action = decodeAction(typeof raw === 'string' ? raw : '');
      const detail =
        action.kind === 'card' ? action.step
        : action.kind === 'form' || action.kind === 'next' ? action.form
        : action.kind === 'layerpick' || action.kind === 'vote' ? action.op
        : action.kind === 'confirm' ? action.what
        : undefined;
      return {
        type: interaction.type === InteractionType.MessageComponent ? 'component' : 'modal',
        command: clipName(detail === undefined ? action.kind : `${action.kind}:${detail}`),
      };
    }
    default:
      return { type: 'other', command: 'unknown' };
  }
}

const STORE_AREAS = ['drafts', 'presets', 'votes', 'kv'] as const;

export interface MetricsOptions {
  /** Metric name prefix (default "saltbot_"). */
  prefix?: string;
  /** prom-client's process metrics (default true). */
  defaultMetrics?: boolean;
  /** How long the votes-open count is reused between scrapes (default 5 s). */
  votesOpenCacheMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
  /** Fixed labels on every metric (e.g. { shard: '0' }). */
  labels?: Record<string, string>;
}

export interface InteractionObserver {
  /** Give this to createRouter as its `onError` hook: records how a thrown error is answered. */
  onError(error: unknown, interaction: APIInteraction): void;
  /** The router every transport uses: counts, times and logs each interaction once. */
  wrap(router: Router): Router;
}

export interface Metrics {
  readonly registry: Registry;
  /** A Store whose facade calls are timed and whose failures are counted; also watches CAS retries and open votes. */
  instrumentStore(store: Store): Store;
  observeInteractions(log: Logger): InteractionObserver;
  /** The Prometheus text exposition. */
  render(): Promise<{ contentType: string; body: string }>;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const prefix = options.prefix ?? 'saltbot_';
  const now = options.now ?? (() => performance.now());
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix });

  const interactions = new Counter({
    name: `${prefix}interactions_total`,
    help: 'Interactions handled, by type and outcome.',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const interactionSeconds = new Histogram({
    name: `${prefix}interaction_duration_seconds`,
    help: 'Time from receiving an interaction to its first response being ready (router time).',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const storeSeconds = new Histogram({
    name: `${prefix}store_operation_duration_seconds`,
    help: 'Store facade call latency, by operation (e.g. drafts.update).',
    labelNames: ['op'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const storeErrors = new Counter({
    name: `${prefix}store_operation_errors_total`,
    help: 'Store facade calls that failed, by operation and error code (store_unavailable, store_busy, draft_missing, …; "other" for unexpected errors).',
    labelNames: ['op', 'code'] as const,
    registers: [registry],
  });

  const watched: Store[] = [];
  let lastCas = 0;
  new Counter({
    name: `${prefix}store_cas_retries_total`,
    help: 'Compare-and-set conflicts that made an atomic store update re-read and retry.',
    registers: [registry],
    collect() {
      const total = watched.reduce((sum, s) => sum + s.stats().casRetries, 0);
      if (total > lastCas) this.inc(total - lastCas);
      lastCas = Math.max(lastCas, total);
    },
  });
  const cacheMs = options.votesOpenCacheMs ?? 5000;
  let votesOpen: { value: number; at: number } | undefined;
  new Gauge({
    name: `${prefix}votes_open`,
    help: 'Votes not closed yet (shared by every process on the same store; cached for a few seconds).',
    registers: [registry],
    async collect() {
      const store = watched[0];
      if (!store) return;
      const t = Date.now();
      if (!votesOpen || t - votesOpen.at >= cacheMs) {
        try {
          let timer: NodeJS.Timeout | undefined;
          const open = await Promise.race([
            store.votes.listOpen(),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('timeout')), 1000);
            }),
          ]).finally(() => clearTimeout(timer));
          votesOpen = { value: open.length, at: t };
        } catch {
          // Storage down: keep the last value (the store errors counter tells the story).
          votesOpen = { value: votesOpen?.value ?? 0, at: t };
        }
      }
      this.set(votesOpen.value);
    },
  });

  function timed<F extends (...args: never[]) => unknown>(op: string, fn: F, self: unknown): F {
    return function (this: unknown, ...args: Parameters<F>) {
      const started = now();
      const done = (error?: unknown): void => {
        storeSeconds.observe({ op }, (now() - started) / 1000);
        if (error !== undefined) storeErrors.inc({ op, code: isStoreError(error) ? error.code : 'other' });
      };
      let result: unknown;
      try {
        result = fn.apply(self, args);
      } catch (error) {
        done(error);
        throw error;
      }
      if (result instanceof Promise) {
        return result.then(
          (value) => {
            done();
            return value;
          },
          (error: unknown) => {
            done(error ?? new Error('rejected'));
            throw error;
          },
        );
      }
      done();
      return result;
    } as F;
  }

  function instrumentArea<T extends object>(area: string, target: T): T {
    const cache = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get(t, prop, receiver) {
        const value = Reflect.get(t, prop, receiver) as unknown;
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        let wrapped = cache.get(prop);
        if (!wrapped) {
          wrapped = timed(`${area}.${prop}`, value as (...args: never[]) => unknown, t);
          cache.set(prop, wrapped);
        }
        return wrapped;
      },
    });
  }

  return {
    registry,

    instrumentStore(store) {
      watched.push(store);
      const areas = new Map<PropertyKey, unknown>(STORE_AREAS.map((a) => [a, instrumentArea(a, store[a])]));
      const ping = timed('ping', store.ping, store);
      return new Proxy(store, {
        get(t, prop, receiver) {
          if (areas.has(prop)) return areas.get(prop);
          if (prop === 'ping') return ping;
          const value = Reflect.get(t, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
        },
      });
    },

    observeInteractions(log) {
      const errors = new WeakMap<APIInteraction, Outcome>();
      return {
        onError(error, interaction) {
          if (interaction && typeof interaction === 'object') errors.set(interaction, outcomeOf(error));
        },
        wrap(router) {
          return {
            async route(interaction) {
              const started = now();
              let outcome: Outcome = 'ok';
              try {
                return await router.route(interaction);
              } catch (error) {
                outcome = outcomeOf(error);
                throw error;
              } finally {
                if (outcome === 'ok') outcome = errors.get(interaction) ?? 'ok';
                const ms = now() - started;
                const { type, command } = describeInteraction(interaction);
                interactions.inc({ type, outcome });
                interactionSeconds.observe({ type, outcome }, ms / 1000);
                const guildId = (interaction as { guild_id?: unknown }).guild_id;
                const line = {
                  interactionId: typeof interaction.id === 'string' ? interaction.id : null,
                  guildId: typeof guildId === 'string' ? guildId : null,
                  type,
                  command,
                  ms: Math.round(ms * 100) / 100,
                  outcome,
                };
                if (ms > 2500) log.warn(line, 'slow interaction (Discord allows 3 s for the first response)');
                else log.info(line, 'interaction');
              }
            },
          };
        },
      };
    },

    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
