import { generateKeyPairSync, sign } from 'node:crypto';
import type { Server } from 'node:http';
import type { APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/discord/reply.js';
import type { Router } from '../../src/discord/router.js';
import { createLogger } from '../../src/log.js';
import { closeServer, createHttpServer, listen, MAX_BODY_BYTES, publicKeyFromHex, verifySignature } from '../../src/transport/http.js';
import { createInFlight } from '../../src/transport/inflight.js';
import { interactions, parseMultipart, boundaryOf, startStandin, type Standin } from '../standin/index.js';

const noPing = { parse: [] as never[] };

describe('HTTP interactions transport', () => {
  let standin: Standin;
  let server: Server;
  let base: string;
  const routed: APIInteraction[] = [];
  const afterRuns: string[] = [];
  let nextReply: (i: APIInteraction) => Reply = () => ({ response: { type: 4, data: { content: 'ok', allowed_mentions: noPing } } });
  let storeUp = true;
  const logLines: string[] = [];

  beforeAll(async () => {
    standin = await startStandin();
    const router: Router = {
      async route(interaction) {
        routed.push(interaction);
        return nextReply(interaction);
      },
    };
    server = createHttpServer({
      publicKeyHex: standin.publicKeyHex,
      router,
      log: createLogger({ level: 'debug', write: (l) => void logLines.push(l) }),
      health: {
        store: {
          kind: 'memory',
          ping: async () => {
            if (!storeUp) throw new Error('down');
            return 0.5;
          },
        },
      },
      inflight: createInFlight(),
    });
    base = (await listen(server, 0, '127.0.0.1')).url;
  });

  afterAll(async () => {
    await closeServer(server);
    await standin.close();
  });

  beforeEach(() => {
    routed.length = 0;
    afterRuns.length = 0;
    storeUp = true;
    nextReply = () => ({ response: { type: 4, data: { content: 'ok', allowed_mentions: noPing } } });
  });

  const post = (body: string, headers: Record<string, string>): Promise<Response> =>
    fetch(`${base}/interactions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  function signed(body: string, timestamp = String(Math.floor(Date.now() / 1000))): Record<string, string> {
    return { 'x-signature-ed25519': sign(null, Buffer.from(timestamp + body), standin.privateKey).toString('hex'), 'x-signature-timestamp': timestamp };
  }

  it('GIVEN a validly signed command WHEN posted THEN 200 with the router response, and after() runs once it is sent', async () => {
    const ix = interactions.chatInput({ name: 'salt' });
    nextReply = () => ({
      response: { type: 4, data: { content: 'hello', allowed_mentions: noPing } },
      after: async () => void afterRuns.push(ix.id),
    });
    const result = await standin.postInteractionHttp(`${base}/interactions`, ix);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ type: 4, data: { content: 'hello', allowed_mentions: noPing } });
    expect(routed.map((i) => i.id)).toEqual([ix.id]);
    await expect.poll(() => afterRuns).toEqual([ix.id]);
    expect(standin.violations()).toEqual([]);
  });

  it('GIVEN a PING WHEN posted THEN PONG (type 1) without routing', async () => {
    const result = await standin.postInteractionHttp(`${base}/interactions`, { id: '1', type: 1, token: 't', application_id: standin.applicationId, version: 1 });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ type: 1 });
    expect(routed).toEqual([]);
  });

  it('GIVEN no signature headers WHEN posted THEN 401 and nothing is parsed or routed', async () => {
    const res = await post(JSON.stringify(interactions.chatInput({ name: 'salt' })), {});
    expect(res.status).toBe(401);
    expect(routed).toEqual([]);
  });

  it('GIVEN a malformed signature or timestamp WHEN posted THEN 401', async () => {
    const body = JSON.stringify(interactions.chatInput({ name: 'salt' }));
    const good = signed(body);
    expect((await post(body, { ...good, 'x-signature-ed25519': 'zz' })).status).toBe(401);
    expect((await post(body, { ...good, 'x-signature-ed25519': 'ab'.repeat(63) })).status).toBe(401);
    expect((await post(body, { ...good, 'x-signature-timestamp': 'yesterday' })).status).toBe(401);
    expect(routed).toEqual([]);
  });

  it('GIVEN a signature from another key, or over another body WHEN posted THEN 401', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const other = await standin.postInteractionHttp(`${base}/interactions`, interactions.chatInput({ name: 'salt' }), { privateKey });
    expect(other.status).toBe(401);
    const body = JSON.stringify(interactions.chatInput({ name: 'salt' }));
    const tampered = await post(body.replace('"salt"', '"SALT"'), signed(body));
    expect(tampered.status).toBe(401);
    expect(routed).toEqual([]);
  });

  it('GIVEN a correctly signed but non-JSON body WHEN posted THEN the signature is checked first (401 for a bad one, 400 for a good one)', async () => {
    const body = 'not json {';
    expect((await post(body, { ...signed(body), 'x-signature-ed25519': '00'.repeat(64) })).status).toBe(401);
    expect((await post(body, signed(body))).status).toBe(400);
    expect(routed).toEqual([]);
  });

  it('GIVEN a timestamp older than 5 minutes (validly signed) WHEN posted THEN 401', async () => {
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    const result = await standin.postInteractionHttp(`${base}/interactions`, interactions.chatInput({ name: 'salt' }), { timestamp: stale });
    expect(result.status).toBe(401);
    const fresh = String(Math.floor(Date.now() / 1000) - 200);
    expect((await standin.postInteractionHttp(`${base}/interactions`, interactions.chatInput({ name: 'salt' }), { timestamp: fresh })).status).toBe(200);
  });

  it('GIVEN a body over 1 MiB WHEN posted THEN 413 and nothing is routed', async () => {
    const body = JSON.stringify({ type: 2, pad: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await post(body, signed(body));
    expect(res.status).toBe(413);
    expect(routed).toEqual([]);
  });

  it('GIVEN a reply with files WHEN answered THEN the response is multipart (payload_json + files[0]) with attachments described', async () => {
    nextReply = () => ({
      response: { type: 4, data: { content: 'here', flags: 64, allowed_mentions: noPing } },
      files: [{ name: 'draft.json', data: Buffer.from('{"a":1}'), contentType: 'application/json' }],
    });
    const ix = interactions.chatInput({ name: 'salt' });
    const body = JSON.stringify(ix);
    const res = await post(body, signed(body));
    expect(res.status).toBe(200);
    const ct = res.headers.get('content-type') ?? '';
    expect(ct).toMatch(/^multipart\/form-data; boundary=/);
    const parts = parseMultipart(Buffer.from(await res.arrayBuffer()), boundaryOf(ct)!);
    const payload = JSON.parse(parts.find((p) => p.name === 'payload_json')!.data.toString());
    expect(payload).toMatchObject({ type: 4, data: { content: 'here', attachments: [{ id: 0, filename: 'draft.json' }] } });
    const file = parts.find((p) => p.name === 'files[0]');
    expect(file?.filename).toBe('draft.json');
    expect(file?.data.toString()).toBe('{"a":1}');

    // The stand-in records it as a callback with the file.
    const viaStandin = await standin.postInteractionHttp(`${base}/interactions`, interactions.chatInput({ name: 'salt' }));
    expect(viaStandin.status).toBe(200);
    const cb = standin.callbacks().at(-1);
    expect(cb?.files[0]).toMatchObject({ name: 'draft.json', size: 7 });
    expect(cb?.violations).toEqual([]);
  });

  it('GIVEN after() throws WHEN answered THEN the response is still 200 and the error is logged', async () => {
    nextReply = () => ({
      response: { type: 4, data: { content: 'x', allowed_mentions: noPing } },
      after: async () => {
        throw new Error('boom');
      },
    });
    const result = await standin.postInteractionHttp(`${base}/interactions`, interactions.chatInput({ name: 'salt' }));
    expect(result.status).toBe(200);
    await expect.poll(() => logLines.some((l) => l.includes('follow-up work after responding failed'))).toBe(true);
  });

  it('GIVEN GET /healthz WHEN the store answers THEN 200 { status: ok, store }; WHEN it does not THEN 503', async () => {
    const ok = await fetch(`${base}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', store: { kind: 'memory', ok: true } });
    storeUp = false;
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'degraded', store: { ok: false } });
  });

  it('GIVEN other paths or methods THEN 404 / 405', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/interactions`)).status).toBe(405);
  });

  it('never logs the interaction token or what the member typed at info level', () => {
    const text = logLines.filter((l) => !l.includes('"level":"debug"')).join('');
    expect(text).not.toMatch(/aW50ZXJhY3Rpb246/);
    expect(text).not.toContain('hello');
  });
});

describe('verifySignature (off the event loop)', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const hex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  const key = publicKeyFromHex(hex);
  const body = Buffer.from(JSON.stringify({ type: 2, id: '1' }));
  const ts = '1795740000';
  const good = sign(null, Buffer.concat([Buffer.from(ts), body]), privateKey).toString('hex');

  it('GIVEN Discord’s scheme (timestamp + body) WHEN checked THEN true for the right signature and false for any change; it never rejects', async () => {
    expect(await verifySignature(key, good, ts, body)).toBe(true);
    expect(await verifySignature(key, good, '1795740001', body)).toBe(false);
    expect(await verifySignature(key, good, ts, Buffer.from(JSON.stringify({ type: 2, id: '2' })))).toBe(false);
    const other = publicKeyFromHex(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'));
    expect(await verifySignature(other, good, ts, body)).toBe(false);
    // Wrong lengths and non-hex: false, not an exception.
    for (const bad of [good.slice(0, 126), `${good}00`, 'zz'.repeat(64), '']) expect(await verifySignature(key, bad, ts, body)).toBe(false);
  });

  it('GIVEN 200 checks at once WHEN they run on the thread pool THEN each answer belongs to its own request', async () => {
    const bodies = Array.from({ length: 200 }, (_, i) => Buffer.from(JSON.stringify({ type: 2, id: String(i) })));
    const sigs = bodies.map((b, i) => (i % 3 === 0 ? good : sign(null, Buffer.concat([Buffer.from(ts), b]), privateKey).toString('hex')));
    const results = await Promise.all(bodies.map((b, i) => verifySignature(key, sigs[i]!, ts, b)));
    expect(results).toEqual(bodies.map((_, i) => i % 3 !== 0));
  });
});
