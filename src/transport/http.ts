/**
 * The HTTP interactions transport: Discord POSTs each interaction to `/interactions`, signed with
 * Ed25519; the bot answers in the HTTP response.
 *
 *   POST /interactions  signature checked (X-Signature-Ed25519 over X-Signature-Timestamp + raw body)
 *                       before any JSON is parsed: 401 when missing, malformed, wrong or older than
 *                       5 minutes; 413 over 1 MiB; PING → PONG; otherwise the router's response as
 *                       JSON, or as multipart/form-data (payload_json + files[n]) when it has files.
 *                       The reply's after-work runs once the response is sent.
 *   GET  /healthz       store (and extra) health.
 *   GET  /metrics       Prometheus metrics (when `health.metrics` is set).
 *
 * Each interaction is counted, timed and logged by the router wrapper (src/metrics.ts), not here.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { InteractionResponseType, InteractionType, type APIInteraction } from 'discord-api-types/v10';
import type { Logger } from '../discord/deps.js';
import type { OutgoingFile, Reply } from '../discord/reply.js';
import type { Router } from '../discord/router.js';
import { withAttachments } from '../discord/restApi.js';
import { serveOps, type HealthDeps } from './health.js';
import { createInFlight, runAfterWork, type InFlight } from './inflight.js';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_TIMESTAMP_SKEW_S = 5 * 60;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A KeyObject from Discord's 64-hex-digit (32-byte raw) Ed25519 public key. */
export function publicKeyFromHex(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new TypeError('the public key must be 64 hex digits');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(hex, 'hex')]), format: 'der', type: 'spki' });
}

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'invalid' };

/** Checks the headers' shape and age (no body needed). */
export function checkSignatureHeaders(signature: unknown, timestamp: unknown, nowMs: number): SignatureCheck {
  if (typeof signature !== 'string' || typeof timestamp !== 'string' || signature === '' || timestamp === '') return { ok: false, reason: 'missing' };
  if (!/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_TIMESTAMP_SKEW_S) return { ok: false, reason: 'stale' };
  return { ok: true };
}

/**
 * Ed25519 over timestamp + body, on libuv's thread pool (crypto.verify with a callback): the check
 * costs ~60 µs of CPU, ~12 µs of it left on the event loop. Any failure is "not valid".
 */
export function verifySignature(key: KeyObject, signature: string, timestamp: string, body: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    try {
      verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'), (error, valid) => resolve(!error && valid === true));
    } catch {
      resolve(false);
    }
  });
}

/** A multipart/form-data body: `payload_json` then `files[n]`. */
export function multipartBody(payload: unknown, files: readonly OutgoingFile[]): { contentType: string; body: Buffer } {
  const boundary = `saltbot-${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  const quote = (s: string): string => s.replace(/["\r\n\\]/g, '_');
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(payload)}\r\n`,
      'utf8',
    ),
  );
  files.forEach((file, i) => {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[${i}]"; filename="${quote(file.name)}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        'utf8',
      ),
      file.data,
      Buffer.from('\r\n', 'utf8'),
    );
  });
  parts.push(Buffer.from(`--${boundary}--\r\n`, 'utf8'));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(parts) };
}

export interface HttpTransportDeps {
  /** DISCORD_PUBLIC_KEY (64 hex digits). */
  readonly publicKeyHex: string;
  readonly router: Router;
  readonly log: Logger;
  readonly health: HealthDeps;
  /** Shared with the shutdown path; a private one by default. */
  readonly inflight?: InFlight;
  /** Clock in ms (for the timestamp check). */
  readonly now?: () => number;
  readonly maxBodyBytes?: number;
}

class TooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new TooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(new TooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders });
  res.end(text);
}

function sendReply(res: ServerResponse, reply: Reply): void {
  const files = reply.files ?? [];
  if (files.length === 0) {
    sendJson(res, 200, reply.response);
    return;
  }
  const response = 'data' in reply.response && reply.response.data ? { ...reply.response, data: withAttachments(reply.response.data, files) } : reply.response;
  const { contentType, body } = multipartBody(response, files);
  res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
  res.end(body);
}

/**
 * Runs a delivered reply's after-work as its own in-flight unit (shutdown still waits for it). Made
 * here, outside the request handler, so it holds nothing of the request: while a card refresh waits
 * its turn (seconds under load), the socket, the response, the body and the parsed payload are let
 * go. Held by the handler's suspended frame instead, every busy channel's edits kept thousands of
 * requests alive, all of them promoted to the old generation.
 */
function startAfterWork(inflight: InFlight, after: Reply['after'], interactionId: string, log: Logger): void {
  if (after) void inflight.run(() => runAfterWork(after, interactionId, log));
}

/** The request handler (exported for tests and for embedding). */
export function createInteractionsHandler(deps: HttpTransportDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const key = publicKeyFromHex(deps.publicKeyHex);
  const inflight = deps.inflight ?? createInFlight();
  const now = deps.now ?? Date.now;
  const limit = deps.maxBodyBytes ?? MAX_BODY_BYTES;
  const { log } = deps;

  async function interactions(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!inflight.accepting) {
      sendJson(res, 503, { error: 'shutting down' }, { connection: 'close', 'retry-after': '5' });
      return;
    }
    const signature = req.headers['x-signature-ed25519'];
    const timestamp = req.headers['x-signature-timestamp'];
    const shape = checkSignatureHeaders(signature, timestamp, now());
    if (!shape.ok) {
      log.info({ reason: shape.reason }, 'rejected interaction request');
      // The body is not read: close the connection rather than drain it.
      sendJson(res, 401, { error: 'invalid request signature' }, { connection: 'close' });
      return;
    }
    let raw: Buffer;
    try {
      raw = await readBody(req, limit);
    } catch (error) {
      if (error instanceof TooLarge) {
        log.info({ limit }, 'rejected oversized interaction request');
        sendJson(res, 413, { error: 'payload too large' }, { connection: 'close' });
        return;
      }
      throw error;
    }
    if (!(await verifySignature(key, signature as string, timestamp as string, raw))) {
      log.info({ reason: 'invalid' }, 'rejected interaction request');
      sendJson(res, 401, { error: 'invalid request signature' });
      return;
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(raw.toString('utf8')) as APIInteraction;
      if (!interaction || typeof interaction !== 'object' || typeof interaction.type !== 'number') throw new Error('not an interaction');
    } catch {
      sendJson(res, 400, { error: 'invalid interaction body' });
      return;
    }
    if (interaction.type === InteractionType.Ping) {
      sendJson(res, 200, { type: InteractionResponseType.Pong });
      return;
    }
    let after: Reply['after'];
    await inflight.run(async () => {
      const reply = await deps.router.route(interaction);
      const sent = new Promise<boolean>((resolve) => {
        res.once('finish', () => resolve(true));
        res.once('close', () => resolve(res.writableFinished));
      });
      sendReply(res, reply);
      if (!(await sent)) {
        log.warn({ interactionId: interaction.id }, 'the interaction response was not delivered; skipping its follow-up work');
        return;
      }
      after = reply.after;
    });
    startAfterWork(inflight, after, interaction.id, log);
  }

  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const fail = (error: unknown): void => {
      log.error({ err: error }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    };
    if (path === '/interactions') {
      if (req.method !== 'POST') {
        sendJson(res, 405, { error: 'method not allowed' }, { allow: 'POST' });
        return;
      }
      void interactions(req, res).catch(fail);
      return;
    }
    if (serveOps(req, res, deps.health)) return;
    sendJson(res, 404, { error: 'not found' });
  };
}

/** The HTTP server (not listening yet). */
export function createHttpServer(deps: HttpTransportDeps): Server {
  const server = createServer(createInteractionsHandler(deps));
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;
  return server;
}

export async function listen(server: Server, port: number, host: string): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { port: address.port, url: `http://${shownHost}:${address.port}` };
}

/** Stops accepting connections; idle keep-alive sockets are closed, busy ones finish. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
