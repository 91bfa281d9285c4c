/**
 * `DiscordApi` over @discordjs/rest, plus the interaction callback (the gateway transport's way
 * to answer). Files go as multipart: `files: [{ name, data, contentType }]` and a matching
 * `attachments: [{ id: i, filename }]` in the JSON body. Errors from Discord become
 * `DiscordApiError(status, code)` so handlers never depend on the REST library.
 *
 * The multipart body is built here, in one buffer (payload_json, then files[n]), and handed to
 * @discordjs/rest as a ready body: its own `files` path wraps every file in a Blob (a copy) and
 * streams it through undici's FormData in small chunks on the event loop, which cost 10-40 ms of
 * main-thread time per 2.6 MiB preview WAV (others' latency suffered while previews uploaded).
 */
import { randomBytes } from 'node:crypto';
import { DiscordAPIError, HTTPError, type REST, type RequestData } from '@discordjs/rest';
import { Routes, type APIInteraction, type RESTGetAPIWebhookWithTokenMessageResult, type RESTPostAPIChannelMessageResult } from 'discord-api-types/v10';
import { DiscordApiError, type DiscordApi } from './deps.js';
import type { OutgoingFile, Reply } from './reply.js';
import { roomAround } from '../util/room.js';
import { createPacer, type Pacer } from '../util/pacer.js';

export interface RestDiscordApi extends DiscordApi {
  /** Answers an interaction: POST /interactions/{id}/{token}/callback with `reply.response` (and its files). */
  postCallback(interaction: Pick<APIInteraction, 'id' | 'token'>, reply: Pick<Reply, 'response' | 'files'>): Promise<void>;
}

/** A header value inside quotes, as the HTML form encoder writes it (", CR and LF escaped). */
const quoted = (s: string): string => s.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * One multipart/form-data body: `payload_json` (the JSON body), then `files[n]` with their names
 * and content types. The file bytes are copied once, into the single body buffer, except for one
 * file with room around it (src/util/room.ts): its part is then framed in place, without a copy.
 */
export function multipartRequest(body: unknown, files: readonly OutgoingFile[]): { contentType: string; body: Buffer } {
  const boundary = `saltbot-${randomBytes(12).toString('hex')}`;
  let head = `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n`;
  const partHead = (file: OutgoingFile, i: number): string =>
    `--${boundary}\r\nContent-Disposition: form-data; name="files[${i}]"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.contentType ?? 'application/octet-stream'}\r\n\r\n`;
  const tail = `\r\n--${boundary}--\r\n`;
  const contentType = `multipart/form-data; boundary=${boundary}`;
  if (files.length === 1) {
    const data = files[0]!.data;
    head += partHead(files[0]!, 0);
    const room = roomAround(data);
    const headBytes = Buffer.byteLength(head, 'utf8');
    if (room.before >= headBytes && room.after >= tail.length) {
      const whole = Buffer.from(data.buffer, data.byteOffset - headBytes, headBytes + data.byteLength + tail.length);
      whole.write(head, 0, 'utf8');
      whole.write(tail, headBytes + data.byteLength, 'latin1');
      return { contentType, body: whole };
    }
    return { contentType, body: Buffer.concat([Buffer.from(head, 'utf8'), data, Buffer.from(tail, 'latin1')]) };
  }
  const parts: Buffer[] = [Buffer.from(head, 'utf8')];
  files.forEach((file, i) => {
    parts.push(Buffer.from(`${i === 0 ? '' : '\r\n'}${partHead(file, i)}`, 'utf8'), file.data);
  });
  parts.push(Buffer.from(tail, 'latin1'));
  return { contentType, body: Buffer.concat(parts) };
}

/** The request options for `payload`: JSON, or a ready multipart body when there are files (sent as they are). */
function requestData(payload: object, files: readonly OutgoingFile[] | undefined, options: Pick<RequestData, 'auth'> = {}): RequestData {
  if (!files || files.length === 0) return { body: payload, ...options };
  const multipart = multipartRequest(payload, files);
  return { body: multipart.body, passThroughBody: true, headers: { 'Content-Type': multipart.contentType }, ...options };
}

/** A message body with its files: `attachments` added for them (see withAttachments). */
const request = (body: object, files: readonly OutgoingFile[] | undefined, options: Pick<RequestData, 'auth'> = {}): RequestData =>
  requestData(withAttachments(body, files), files, options);

/** Adds `attachments: [{ id, filename }]` for new files unless the body already describes them. */
export function withAttachments<T extends object>(body: T, files: readonly OutgoingFile[] | undefined): T {
  if (!files || files.length === 0) return body;
  if ('attachments' in body && Array.isArray((body as { attachments?: unknown }).attachments)) return body;
  return { ...body, attachments: files.map((f, i) => ({ id: i, filename: f.name })) };
}

/** Maps a REST library error to DiscordApiError; anything else is rethrown unchanged. */
export function mapError(error: unknown): never {
  if (error instanceof DiscordAPIError) {
    throw new DiscordApiError(error.status, typeof error.code === 'number' ? error.code : Number(error.code) || undefined, `${error.method} ${routeOf(error.url)}: ${error.message}`);
  }
  if (error instanceof HTTPError) {
    throw new DiscordApiError(error.status, undefined, `${error.method} ${routeOf(error.url)}: ${error.message}`);
  }
  throw error;
}

/** The path of a request URL without tokens (for messages that may be logged). */
function routeOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/(\/(?:webhooks|interactions)\/\d+\/)[^/]+/g, '$1:token');
  } catch {
    return '(url)';
  }
}

async function call<T>(fn: () => Promise<unknown>): Promise<T> {
  try {
    return (await fn()) as T;
  } catch (error) {
    return mapError(error);
  }
}

/**
 * Requests per second @discordjs/rest may send on interaction routes (callbacks, follow-ups,
 * @original). Discord does not count those against the bot's global rate limit (their per-route
 * limits, read from the response headers, still apply), but @discordjs/rest counts every request
 * against its own global 50 per second: follow-ups and card-id lookups then queued behind card
 * edits, seconds deep under load, holding their bodies in memory.
 */
export const INTERACTION_REQUESTS_PER_SECOND = 10_000;

/**
 * Options of the REST instance for interaction routes. Their paths carry the interaction's token, so
 * every interaction gets its own route handler in @discordjs/rest (the token is part of a webhook's
 * major parameter), which by default sweeps idle handlers hourly (and bucket hashes every 4 hours):
 * under load that is hundreds of thousands of idle handlers (2,047 after 35 s of the benchmark). A
 * token's routes are used within seconds of the interaction (and the token dies after 15 minutes):
 * idle handlers go every 10 s, bucket hashes unused for a minute too (a handler or hash swept too
 * early is only learned again from the next response's headers).
 */
export function interactionRestOptions(sweepMs = 10_000) {
  return {
    globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND,
    handlerSweepInterval: sweepMs,
    hashSweepInterval: sweepMs,
    hashLifetime: sweepMs * 6,
  } as const;
}

/**
 * Starts per second of requests on routes under Discord's global rate limit (50 per second per
 * bot): a little under it, so @discordjs/rest's own count of the same limit (per 1 s window from
 * its first request) never trips. See src/util/pacer.ts for why the bot paces them itself.
 */
export const GLOBAL_REQUESTS_PER_SECOND = 45;

/**
 * This process's share of the global limit: the configured rate (SALT_DISCORD_REQUESTS_PER_SECOND),
 * else GLOBAL_REQUESTS_PER_SECOND shared out among the processes it knows of (gateway shards).
 * Discord counts the limit per bot, across all its processes; HTTP replicas cannot know how many
 * they are, so they are configured.
 */
export function globalRequestsPerSecond(configured: number | undefined, processes = 1): number {
  return configured ?? GLOBAL_REQUESTS_PER_SECOND / Math.max(1, processes);
}

/**
 * The Discord API over @discordjs/rest. `hooks` carries the interaction routes (a REST
 * created with globalRequestsPerSecond INTERACTION_REQUESTS_PER_SECOND); by default `rest` does.
 * Requests on `rest` (channel messages: card edits and posts) start evenly spaced through `pacer`
 * (GLOBAL_REQUESTS_PER_SECOND by default); interaction routes are not paced.
 */
export function createDiscordApi(
  rest: REST,
  applicationId: string,
  hooks: REST = rest,
  pacer: Pacer = createPacer(GLOBAL_REQUESTS_PER_SECOND),
): RestDiscordApi {
  return {
    async createMessage(channelId, body, files) {
      const message = await call<RESTPostAPIChannelMessageResult>(() => pacer.run(() => rest.post(Routes.channelMessages(channelId), request(body, files))));
      return { id: message.id };
    },

    async editMessage(channelId, messageId, body) {
      await call(() => pacer.run(() => rest.patch(Routes.channelMessage(channelId, messageId), { body: typeof body === 'function' ? body() : body })));
    },

    async followUp(interactionToken, body, files) {
      const message = await call<RESTPostAPIChannelMessageResult>(() => hooks.post(Routes.webhook(applicationId, interactionToken), request(body, files, { auth: false })));
      return { id: message.id };
    },

    async editOriginal(interactionToken, body, files) {
      await call(() => hooks.patch(Routes.webhookMessage(applicationId, interactionToken, '@original'), request(body, files, { auth: false })));
    },

    async deleteOriginal(interactionToken) {
      await call(() => hooks.delete(Routes.webhookMessage(applicationId, interactionToken, '@original'), { auth: false }));
    },

    async getOriginal(interactionToken) {
      const message = await call<RESTGetAPIWebhookWithTokenMessageResult>(() =>
        hooks.get(Routes.webhookMessage(applicationId, interactionToken, '@original'), { auth: false }),
      );
      return { id: message.id, channel_id: message.channel_id };
    },

    async postCallback(interaction, reply) {
      const files = reply.files && reply.files.length > 0 ? reply.files : undefined;
      let body: object = reply.response;
      if (files && 'data' in reply.response && reply.response.data) {
        body = { ...reply.response, data: withAttachments(reply.response.data, files) };
      }
      // The callback describes its files in data.attachments (no top-level attachments).
      await call(() => hooks.post(Routes.interactionCallback(interaction.id, interaction.token), requestData(body, files, { auth: false })));
    },
  };
}
