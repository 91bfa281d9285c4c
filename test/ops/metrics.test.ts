/**
 * src/metrics.ts: the router wrapper (one log line + counters per interaction, outcome by how the
 * router answered), the store instrumentation (latency and errors per facade call, CAS retries,
 * open votes) and GET /metrics on both transports' HTTP servers.
 */
import { createServer, type Server } from 'node:http';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { outdatedReply } from '../../commands/salt/draft.js';
import type { Deps } from '../../src/discord/deps.js';
import { createRouter } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import { createMetrics, describeInteraction, outcomeOf } from '../../src/metrics.js';
import { createStore, StoreUnavailableError, type Store, type VoteRecord } from '../../src/store/index.js';
import { healthOnly } from '../../src/transport/health.js';
import { createHttpServer, listen, closeServer } from '../../src/transport/http.js';
import { UserError } from '../../src/discord/errors.js';
import { RecordingApi } from '../support/bot.js';
import { sample } from '../support/botProcess.js';
import { interactions, DEFAULT_IDS } from '../standin/index.js';

const TOKEN = 'MTMwMDAwMDAwMDAwMDAwMDAwMQ.Z2F0ZQ.c3RhbmRpbi10b2tlbi1ub3QtYS1yZWFsLXNlY3JldA';
const SECRET_TEXT = 'my very private hook idea';

interface Rig {
  metrics: ReturnType<typeof createMetrics>;
  store: Store;
  lines: string[];
  route(ix: APIInteraction): Promise<unknown>;
}

async function rig(options: { store?: Store; level?: 'info' | 'debug' } = {}): Promise<Rig> {
  const metrics = createMetrics({ defaultMetrics: false, votesOpenCacheMs: 0 });
  const store = metrics.instrumentStore(options.store ?? (await createStore({ memory: true })));
  const lines: string[] = [];
  const log = createLogger({ level: options.level ?? 'info', secrets: [TOKEN], write: (l) => void lines.push(l) });
  const deps: Deps = { store, api: new RecordingApi(), log, now: () => Date.UTC(2026, 10, 26, 12), votes: { schedule() {} } };
  const observer = metrics.observeInteractions(log);
  const router = observer.wrap(createRouter(registry, deps, (inv) => outdatedReply(inv), { onError: observer.onError }));
  cleanups.push(() => store.close());
  return { metrics, store, lines, route: (ix) => router.route(ix) };
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const newDraft = (overrides: Parameters<typeof interactions.chatInput>[0] extends infer O ? Partial<O> : never = {}) =>
  interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never, token: TOKEN, ...overrides });

const interactionLines = (lines: string[]) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'interaction');

describe('GIVEN the router wrapped by the interaction observer', () => {
  it('WHEN a command succeeds THEN one info line with id, guild, type, command, latency and outcome ok, and the counters move', async () => {
    const r = await rig();
    const ix = newDraft();
    await r.route(ix);
    const [line, ...more] = interactionLines(r.lines);
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', interactionId: ix.id, guildId: DEFAULT_IDS.guild, type: 'command', command: 'salt new', outcome: 'ok' });
    expect(typeof line!.ms).toBe('number');
    const text = (await r.metrics.render()).body;
    expect(sample(text, 'saltbot_interactions_total', { type: 'command', outcome: 'ok' })).toBe(1);
    expect(sample(text, 'saltbot_interaction_duration_seconds_count', { type: 'command', outcome: 'ok' })).toBe(1);
  });

  it('WHEN a command is unknown THEN it is counted as user_error (answered with a localized message)', async () => {
    const r = await rig();
    await r.route(newDraft());
    await r.route(interactions.chatInput({ name: 'nope' }));
    expect(interactionLines(r.lines).map((l) => l.outcome)).toEqual(['ok', 'user_error']);
    expect(sample((await r.metrics.render()).body, 'saltbot_interactions_total', { type: 'command', outcome: 'user_error' })).toBe(1);
  });

  it('WHEN storage is down THEN the outcome is unavailable and the store error is counted by operation and code', async () => {
    const base = await createStore({ memory: true });
    const down = new Proxy(base, {
      get(t, p, r) {
        if (p === 'drafts') return new Proxy(t.drafts, { get: (d, q) => (q === 'get' || q === 'create' ? () => Promise.reject(new StoreUnavailableError('redis down')) : Reflect.get(d, q)) });
        return Reflect.get(t, p, r);
      },
    });
    const r = await rig({ store: down });
    await r.route(newDraft());
    expect(interactionLines(r.lines)[0]).toMatchObject({ outcome: 'unavailable' });
    const text = (await r.metrics.render()).body;
    expect(text).toMatch(/saltbot_store_operation_errors_total\{op="drafts\.(get|create)",code="store_unavailable"\} 1/);
  });

  it('WHEN a member submits text THEN neither the text nor the interaction token appears at info level (only at debug)', async () => {
    const r = await rig();
    await r.route(newDraft());
    const submit = interactions.modalSubmit({ customId: 's1:form:track:1', components: { bpm: '128', notes: SECRET_TEXT, title: SECRET_TEXT }, token: TOKEN });
    await r.route(submit);
    const all = r.lines.join('');
    expect(all).not.toContain(SECRET_TEXT);
    expect(all).not.toContain(TOKEN);
    expect(interactionLines(r.lines)[1]).toMatchObject({ type: 'modal', command: 'form:track' });
  });

  it('WHEN handlers throw THEN outcomeOf classifies user errors, outages and the unexpected', () => {
    expect(outcomeOf(new UserError('errors.generic'))).toBe('user_error');
    expect(outcomeOf(new StoreUnavailableError('x'))).toBe('unavailable');
    expect(outcomeOf(new TypeError('x'))).toBe('error');
  });

  it('WHEN a custom_id is forged THEN the logged kind is the decoded kind, never the raw id', () => {
    const ix = interactions.button({ customId: `s1:card:${'<@&1>'.repeat(20)}` });
    expect(describeInteraction(ix)).toEqual({ type: 'component', command: 'outdated' });
    expect(describeInteraction(interactions.button({ customId: 's1:card:track' }))).toEqual({ type: 'component', command: 'card:track' });
  });
});

describe('GIVEN an instrumented store', () => {
  it('WHEN operations run THEN their latency is observed per operation, and open votes and CAS retries are exposed on scrape', async () => {
    const r = await rig();
    const vote: VoteRecord = {
      id: 'v1', guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel, options: ['calling', 'naive'], ballots: {},
      createdBy: { id: '1', name: 'a' }, createdAt: 0, closesAt: Date.now() + 60_000,
    };
    await r.store.votes.create(vote);
    await r.store.votes.cast('v1', '2', 'naive');
    const text = (await r.metrics.render()).body;
    expect(sample(text, 'saltbot_store_operation_duration_seconds_count', { op: 'votes.create' })).toBe(1);
    expect(sample(text, 'saltbot_store_operation_duration_seconds_count', { op: 'votes.cast' })).toBe(1);
    expect(sample(text, 'saltbot_votes_open')).toBe(1);
    expect(sample(text, 'saltbot_store_cas_retries_total')).toBe(0);
    await r.store.votes.close('v1', { id: '1', name: 'a' });
    expect(sample((await r.metrics.render()).body, 'saltbot_votes_open')).toBe(0);
  });
});

describe('GIVEN the transports’ HTTP servers', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    while (servers.length) await closeServer(servers.pop()!);
  });

  it('WHEN GET /metrics on the HTTP transport and on the gateway side server THEN Prometheus text next to /healthz', async () => {
    const r = await rig();
    const health = { store: r.store, metrics: r.metrics };
    const http = createHttpServer({ publicKeyHex: '00'.repeat(32), router: { route: async () => ({ response: { type: 1 } }) }, log: createLogger({ level: 'silent' }), health });
    const side = createServer(healthOnly(health));
    servers.push(http, side);
    for (const server of [http, side]) {
      const { url } = await listen(server, 0, '127.0.0.1');
      const metrics = await fetch(`${url}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get('content-type')).toContain('text/plain');
      const body = await metrics.text();
      for (const name of ['saltbot_interactions_total', 'saltbot_interaction_duration_seconds', 'saltbot_store_operation_duration_seconds', 'saltbot_store_operation_errors_total', 'saltbot_store_cas_retries_total', 'saltbot_votes_open']) {
        expect(body).toContain(`# TYPE ${name} `);
      }
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/nope`)).status).toBe(404);
    }
  });
});
