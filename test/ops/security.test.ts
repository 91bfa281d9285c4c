/**
 * Issue item 4, HTTP side, complementing test/transport/http.test.ts: signatures are checked
 * before the body is read or parsed (a stale, future-dated or missing signature is 401 even for a
 * body that is not JSON), and the 1 MiB limit holds for declared and for streamed (chunked) bodies.
 */
import { sign } from 'node:crypto';
import { request, type Server } from 'node:http';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { closeServer, createHttpServer, listen, MAX_BODY_BYTES } from '../../src/transport/http.js';
import { interactions, startStandin, type Standin } from '../standin/index.js';

describe('GIVEN the HTTP interactions endpoint', () => {
  let standin: Standin;
  let server: Server;
  let base: URL;
  const routed: APIInteraction[] = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    standin = await startStandin();
    server = createHttpServer({
      publicKeyHex: standin.publicKeyHex,
      router: { route: async (i) => (routed.push(i), { response: { type: 4, data: { content: 'ok', allowed_mentions: { parse: [] } } } }) },
      log: createLogger({ level: 'info', write: (l) => void logLines.push(l) }),
      health: { store: { kind: 'memory', ping: async () => 0 } },
    });
    base = new URL((await listen(server, 0, '127.0.0.1')).url);
  });
  afterAll(async () => {
    await closeServer(server);
    await standin.close();
  });
  beforeEach(() => {
    routed.length = 0;
    logLines.length = 0;
  });

  const signed = (body: string, timestamp: string) => ({
    'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), standin.privateKey).toString('hex'),
    'x-signature-timestamp': timestamp,
  });
  const nowS = () => Math.floor(Date.now() / 1000);

  /**
   * POSTs `chunks` one by one with chunked transfer encoding (no content-length). Resolves with the
   * status, or 'reset' when the server closed the connection (it answers and closes without
   * draining the body, so the client may see the reset before the answer).
   */
  function postChunked(headers: Record<string, string>, chunks: Buffer[]): Promise<number | 'reset'> {
    return new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path: '/interactions', method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? resolve('reset') : reject(error)));
      const write = (i: number): void => {
        if (i >= chunks.length) return void req.end();
        if (req.destroyed) return;
        req.write(chunks[i], () => setImmediate(() => write(i + 1)));
      };
      write(0);
    });
  }

  it('WHEN a non-JSON body carries a stale or a future-dated (over 5 minutes) valid signature THEN 401, not 400: the age is checked before parsing', async () => {
    const body = 'not json {';
    for (const timestamp of [String(nowS() - 301), String(nowS() + 301)]) {
      const res = await fetch(new URL('/interactions', base), { method: 'POST', headers: signed(body, timestamp), body });
      expect(res.status).toBe(401);
    }
    expect(routed).toEqual([]);
  });

  it('WHEN a validly signed interaction is replayed after 5 minutes THEN 401 and it is not routed', async () => {
    const ix = interactions.chatInput({ name: 'salt' });
    const stale = await standin.postInteractionHttp(new URL('/interactions', base).href, ix, { timestamp: String(nowS() - 6 * 60) });
    expect(stale.status).toBe(401);
    expect(routed).toEqual([]);
    expect(logLines.join('')).toContain('"reason":"stale"');
  });

  it('WHEN a signed body streams past 1 MiB without a content-length THEN 413 and nothing is routed', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const status = await postChunked(signed('x', String(nowS())), Array.from({ length: Math.ceil(MAX_BODY_BYTES / chunk.length) + 2 }, () => chunk));
    expect([413, 'reset']).toContain(status);
    expect(logLines.join('')).toContain('rejected oversized interaction request');
    expect(routed).toEqual([]);
  });

  it('WHEN an unsigned request declares a huge body THEN 401 at once, without reading it', async () => {
    const status = await postChunked({}, [Buffer.alloc(64 * 1024, 0x20)]);
    expect([401, 'reset']).toContain(status);
    expect(logLines.join('')).toContain('"reason":"missing"');
    expect(routed).toEqual([]);
  });

  it('WHEN requests are rejected THEN the log says why at info, without the body', async () => {
    const body = JSON.stringify({ type: 2, data: { name: 'salt', secret_text: 'member wrote this' } });
    await fetch(new URL('/interactions', base), { method: 'POST', headers: { 'x-signature-ed25519': '00'.repeat(64), 'x-signature-timestamp': String(nowS()) }, body });
    expect(logLines.join('')).toContain('"reason":"invalid"');
    expect(logLines.join('')).not.toContain('member wrote this');
  });
});
