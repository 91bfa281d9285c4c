import v8 from 'node:v8';
import vm from 'node:vm';
import { REST } from '@discordjs/rest';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordApiError } from '../../src/discord/deps.js';
import type { Reply } from '../../src/discord/reply.js';
import { createDiscordApi } from '../../src/discord/restApi.js';
import { createLogger } from '../../src/log.js';
import { startGateway, type GatewayTransport } from '../../src/transport/gateway.js';
import { createInFlight } from '../../src/transport/inflight.js';
import { DEFAULT_IDS, interactions, startStandin, type Standin } from '../standin/index.js';

const noPing = { parse: [] as never[] };

describe('DiscordApi over @discordjs/rest, against the stand-in', () => {
  let standin: Standin;
  beforeAll(async () => {
    standin = await startStandin({ strictEdits: true });
  });
  afterAll(async () => standin.close());

  it('creates, edits and follows up with files as multipart with attachments described', async () => {
    const api = createDiscordApi(new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token), standin.applicationId);
    const { id } = await api.createMessage(DEFAULT_IDS.channel, { content: 'a', allowed_mentions: noPing }, [{ name: 'x.txt', data: Buffer.from('hi'), contentType: 'text/plain' }]);
    const post = await standin.waitFor((r) => r.route === 'POST /channels/:channel/messages');
    expect(post.body).toMatchObject({ content: 'a', attachments: [{ id: 0, filename: 'x.txt' }] });
    expect(post.files[0]).toMatchObject({ field: 'files[0]', name: 'x.txt', size: 2 });
    await api.editMessage(DEFAULT_IDS.channel, id, { content: 'b', allowed_mentions: noPing });
    expect(standin.messages(DEFAULT_IDS.channel).find((m) => m.id === id)?.content).toBe('b');

    // An interaction answered through postCallback, then followed up and edited via its token.
    const ix = interactions.chatInput({ name: 'salt' });
    await api.postCallback(ix, { response: { type: 4, data: { content: 'first', allowed_mentions: noPing } } });
    const original = await api.getOriginal(ix.token);
    expect(original.id).toMatch(/^\d+$/);
    await api.editOriginal(ix.token, { content: 'edited', allowed_mentions: noPing }, [{ name: 'y.json', data: Buffer.from('{}') }]);
    const follow = await api.followUp(ix.token, { content: 'more', allowed_mentions: noPing });
    expect(follow.id).toMatch(/^\d+$/);
    const cb = standin.callbacks().find((c) => c.interactionId === ix.id);
    expect(cb).toMatchObject({ type: 4, source: 'rest' });
    // Callback and webhook routes are called without the bot token.
    expect(standin.requests.filter((r) => r.path.includes(ix.token)).every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(standin.violations()).toEqual([]);
  });

  it('maps Discord errors to DiscordApiError with status and code', async () => {
    const api = createDiscordApi(new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token), standin.applicationId);
    const error = await api.editMessage(DEFAULT_IDS.channel, '1300000000000009999', { content: 'x', allowed_mentions: noPing }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiscordApiError);
    expect(error).toMatchObject({ status: 404, code: 10008 });
    const ix = interactions.chatInput({ name: 'salt' });
    await api.postCallback(ix, { response: { type: 5 } });
    const again = await api.postCallback(ix, { response: { type: 5 } }).catch((e: unknown) => e);
    expect(again).toMatchObject({ status: 400, code: 40060 });
    expect(String((again as Error).message)).not.toContain(ix.token);
  });

  it('sends a callback with files as multipart', async () => {
    const api = createDiscordApi(new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token), standin.applicationId);
    const ix = interactions.chatInput({ name: 'salt' });
    await api.postCallback(ix, {
      response: { type: 4, data: { content: 'file', flags: 64, allowed_mentions: noPing } },
      files: [{ name: 'spec.json', data: Buffer.from('{"v":1}'), contentType: 'application/json' }],
    });
    const cb = await standin.waitForCallback((c) => c.interactionId === ix.id);
    expect(cb.files[0]).toMatchObject({ name: 'spec.json', size: 7 });
    expect(cb.data).toMatchObject({ attachments: [{ id: 0, filename: 'spec.json' }] });
  });
});

describe('gateway transport against the stand-in', () => {
  let standin: Standin;
  let gateway: GatewayTransport;
  const lines: string[] = [];
  const seen: APIInteraction[] = [];
  let reply: (i: APIInteraction) => Reply;

  beforeAll(async () => {
    standin = await startStandin();
    const api = createDiscordApi(new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token), standin.applicationId);
    gateway = await startGateway({
      token: standin.token,
      apiUrl: standin.apiBase,
      router: {
        async route(i) {
          seen.push(i);
          return reply(i);
        },
      },
      api,
      log: createLogger({ level: 'debug', write: (l) => void lines.push(l) }),
      inflight: createInFlight(),
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await standin.close();
  });

  it('hands the raw APIInteraction to the router, posts the callback, then runs after()', async () => {
    let afterRan = false;
    reply = () => ({ response: { type: 4, data: { content: 'hi', allowed_mentions: noPing } }, after: async () => void (afterRan = true) });
    const ix = interactions.chatInput({ name: 'salt', options: { x: 'y' } });
    standin.sendInteraction(ix);
    const cb = await standin.waitForCallback((c) => c.interactionId === ix.id);
    expect(cb).toMatchObject({ type: 4, source: 'rest' });
    // The raw payload, not a discord.js object.
    expect(seen.at(-1)).toEqual(ix);
    await expect.poll(() => afterRan).toBe(true);
    expect(gateway.status()).toMatchObject({ ok: true, status: 'Ready' });
  });

  it('GIVEN an answered interaction whose after-work waits WHEN memory is collected THEN its payload and its reply (with a 1 MB file) are gone; handle() settles once the work is released', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let afterRan = false;
    const refs: WeakRef<object>[] = [];
    reply = () => {
      const r: Reply = {
        response: { type: 4, data: { content: 'with a file', allowed_mentions: noPing } },
        files: [{ name: 'preview.wav', data: Buffer.alloc(1 << 20), contentType: 'audio/wav' }],
        after: async () => {
          await gate;
          afterRan = true;
        },
      };
      refs.push(new WeakRef(r), new WeakRef(r.files![0]!.data));
      return r;
    };
    let ix: APIInteraction | undefined = interactions.chatInput({ name: 'salt' });
    const id = ix.id;
    refs.push(new WeakRef(ix));
    let settled = false;
    const handled = gateway.handle(ix).then(() => void (settled = true));
    ix = undefined;
    await standin.waitForCallback((c) => c.interactionId === id);
    seen.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (let i = 0; i < 4; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(refs.filter((r) => r.deref() !== undefined)).toHaveLength(0);
    expect(settled).toBe(false);
    release();
    await handled;
    expect(afterRan).toBe(true);
  });

  it('logs an error thrown by after() and keeps handling interactions', async () => {
    reply = () => ({
      response: { type: 4, data: { content: 'x', allowed_mentions: noPing } },
      after: async () => {
        throw new Error('after failed');
      },
    });
    const first = interactions.chatInput({ name: 'salt' });
    standin.sendInteraction(first);
    await standin.waitForCallback((c) => c.interactionId === first.id);
    await expect.poll(() => lines.some((l) => l.includes('follow-up work after responding failed'))).toBe(true);
    reply = () => ({ response: { type: 4, data: { content: 'still here', allowed_mentions: noPing } } });
    const second = interactions.chatInput({ name: 'salt' });
    standin.sendInteraction(second);
    expect((await standin.waitForCallback((c) => c.interactionId === second.id)).data).toMatchObject({ content: 'still here' });
  });
});
