import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from '@discordjs/rest';
import { describe, expect, it } from 'vitest';
import { createDiscordApi, interactionRestOptions } from '../../src/discord/restApi.js';
import { createPacer } from '../../src/util/pacer.js';

/** A REST stand-in that records which instance got which route (no network). */
function recordingRest(name: string, calls: string[]): REST {
  const record = (method: string) => async (route: string) => {
    calls.push(`${name} ${method} ${route.replace(/\/[A-Za-z0-9_.-]{20,}/g, '/:token')}`);
    return { id: '1400000000000000001', channel_id: '1300000000000000200' };
  };
  return { post: record('POST'), patch: record('PATCH'), get: record('GET'), delete: record('DELETE') } as unknown as REST;
}

describe('Discord API routes over two REST instances', () => {
  it('GIVEN a REST for the bot and one for interaction routes WHEN every call is made THEN channel messages use the bot’s, callbacks, follow-ups and @original the interaction one', async () => {
    const calls: string[] = [];
    const api = createDiscordApi(recordingRest('bot', calls), '1300000000000000001', recordingRest('interactions', calls));
    const token = 'aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg';
    await api.createMessage('1300000000000000200', { content: 'card' });
    await api.editMessage('1300000000000000200', '1400000000000000001', { content: 'card' });
    await api.followUp(token, { content: 'follow-up' });
    await api.editOriginal(token, { content: 'edit' });
    await api.getOriginal(token);
    await api.deleteOriginal(token);
    await api.postCallback({ id: '1400000000000000009', token } as never, { response: { type: 4, data: { content: 'x' } } } as never);
    expect(calls).toEqual([
      'bot POST /channels/1300000000000000200/messages',
      'bot PATCH /channels/1300000000000000200/messages/1400000000000000001',
      'interactions POST /webhooks/1300000000000000001/:token',
      'interactions PATCH /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions GET /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions DELETE /webhooks/1300000000000000001/:token/messages/%40original',
      'interactions POST /interactions/1400000000000000009/:token/callback',
    ]);
  });

  it('GIVEN one REST only WHEN interaction routes are called THEN they use it', async () => {
    const calls: string[] = [];
    const api = createDiscordApi(recordingRest('only', calls), '1300000000000000001');
    await api.followUp('aW50ZXJhY3Rpb246MTQwMDAwMDAwMDAwMDAwMDAwMTp0b2tlbg', { content: 'x' });
    expect(calls).toEqual(['only POST /webhooks/1300000000000000001/:token']);
  });
});

describe('a card edit whose body is drawn on its turn', () => {
  it('GIVEN an edit waiting behind another for its turn on the global rate limit WHEN its body is a function THEN the function is called when the request starts, not when the edit was asked', async () => {
    const timers: (() => void)[] = [];
    let now = 0;
    const pacer = createPacer(10, { now: () => now, setTimeout: (fn) => timers.push(fn) });
    const sent: unknown[] = [];
    const rest = { patch: async (_route: string, options: { body: unknown }) => sent.push(options.body) } as unknown as REST;
    const api = createDiscordApi(rest, '1300000000000000001', rest, pacer);
    let draws = 0;
    await api.editMessage('1300000000000000200', '1400000000000000001', { content: 'first' });
    const second = api.editMessage('1300000000000000200', '1400000000000000001', () => ({ content: `drawn ${++draws}` }));
    await Promise.resolve();
    expect({ draws, sent: sent.length, timers: timers.length }).toEqual({ draws: 0, sent: 1, timers: 1 });
    now = 100;
    timers.shift()!();
    await second;
    expect(draws).toBe(1);
    expect(sent).toEqual([{ content: 'first' }, { content: 'drawn 1' }]);
  });
});

describe('the REST instance for interaction routes', () => {
  it('GIVEN follow-ups for 40 interactions (40 tokens, 40 routes) WHEN the sweep interval has passed THEN their 40 route handlers and the bucket hash are gone', async () => {
    // A Discord stand-in for the one route: every follow-up answers 200 with a message and, as
    // Discord does, the rate-limit bucket of its webhook (so @discordjs/rest learns a hash per token).
    let bucket = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, {
          'content-type': 'application/json',
          'x-ratelimit-bucket': `bucket-${++bucket}`,
          'x-ratelimit-limit': '5',
          'x-ratelimit-remaining': '4',
          'x-ratelimit-reset-after': '1',
          'x-ratelimit-reset': String(Date.now() / 1000 + 1),
        });
        res.end(JSON.stringify({ id: '1400000000000000001', channel_id: '1300000000000000200' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const rest = new REST({ api: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`, ...interactionRestOptions(150) }).setToken('bot-token');
    try {
      const api = createDiscordApi(rest, '1300000000000000001', rest);
      await Promise.all(Array.from({ length: 40 }, (_, i) => api.followUp(`token-${i}-${'x'.repeat(40)}`, { content: `follow-up ${i}` })));
      // One handler per token (a webhook's token is part of its major parameter), one learned bucket hash.
      expect(rest.handlers.size).toBeGreaterThanOrEqual(40);
      expect(rest.hashes.size).toBeGreaterThanOrEqual(1);
      const deadline = Date.now() + 3_000;
      while ((rest.handlers.size > 0 || rest.hashes.size > 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rest.handlers.size).toBe(0);
      expect(rest.hashes.size).toBe(0);
    } finally {
      rest.clearHandlerSweeper();
      rest.clearHashSweeper();
      server.close();
    }
  });
});

describe('card edits and posts on the global rate limit', () => {
  it('GIVEN 30 card edits at once and 30 follow-ups WHEN sent through a real REST to a local stand-in THEN the edits arrive spread out at 45/s (no burst, no rateLimited event from the REST library) while the follow-ups are not held back', async () => {
    const arrivals: { path: string; at: number }[] = [];
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        arrivals.push({ path: req.url ?? '', at: performance.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: '1400000000000000001', channel_id: '1300000000000000200' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
    const rest = new REST({ api, retries: 0 }).setToken('bot-token');
    const hooks = new REST({ api, retries: 0, ...interactionRestOptions() }).setToken('bot-token');
    let rateLimited = 0;
    rest.on('rateLimited', () => rateLimited++);
    try {
      const discord = createDiscordApi(rest, '1300000000000000001', hooks);
      const started = performance.now();
      const edits = Array.from({ length: 30 }, (_, i) => discord.editMessage(String(1300000000000000200n + BigInt(i)), '1400000000000000001', { content: `card ${i}` }));
      const followUps = Array.from({ length: 30 }, (_, i) => discord.followUp(`token-${i}-${'x'.repeat(40)}`, { content: `follow-up ${i}` }));
      await Promise.all(followUps);
      const followUpsDoneMs = performance.now() - started;
      await Promise.all(edits);
      const editTimes = arrivals.filter((a) => a.path.startsWith('/api/v10/channels/')).map((a) => a.at);
      expect(editTimes).toHaveLength(30);
      // 45 per second: one every 22.2 ms, so 4-5 in any 100 ms (6 allowed for socket jitter; unpaced, all 30 come within a few ms).
      const most100ms = Math.max(...editTimes.map((at) => editTimes.filter((b) => b >= at && b < at + 100).length));
      expect(most100ms).toBeLessThanOrEqual(6);
      expect(editTimes.at(-1)! - editTimes[0]!).toBeGreaterThanOrEqual(29 * 20);
      expect(followUpsDoneMs).toBeLessThan(29 * 20);
      expect(rateLimited).toBe(0);
    } finally {
      rest.clearHandlerSweeper();
      rest.clearHashSweeper();
      hooks.clearHandlerSweeper();
      hooks.clearHashSweeper();
      server.close();
    }
  });
});
