/**
 * `DiscordApi` over @discordjs/rest, plus the interaction callback (the gateway transport's way
 * to answer). Files go as multipart: `files: [{ name, data, contentType }]` and a matching
 * `attachments: [{ id: i, filename }]` in the JSON body. Errors from Discord become
 * `DiscordApiError(status, code)` so handlers never depend on the REST library.
 */
import { DiscordAPIError, HTTPError, type RawFile, type REST } from '@discordjs/rest';
import { Routes, type APIInteraction, type RESTGetAPIWebhookWithTokenMessageResult, type RESTPostAPIChannelMessageResult } from 'discord-api-types/v10';
import { DiscordApiError, type DiscordApi } from './deps.js';
import type { OutgoingFile, Reply } from './reply.js';

export interface RestDiscordApi extends DiscordApi {
  /** Answers an interaction: POST /interactions/{id}/{token}/callback with `reply.response` (and its files). */
  postCallback(interaction: Pick<APIInteraction, 'id' | 'token'>, reply: Pick<Reply, 'response' | 'files'>): Promise<void>;
}

function toRawFiles(files: readonly OutgoingFile[] | undefined): RawFile[] | undefined {
  if (!files || files.length === 0) return undefined;
  return files.map((f) => ({ name: f.name, data: f.data, ...(f.contentType ? { contentType: f.contentType } : {}) }));
}

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

export function createDiscordApi(rest: REST, applicationId: string): RestDiscordApi {
  return {
    async createMessage(channelId, body, files) {
      const raw = toRawFiles(files);
      const message = await call<RESTPostAPIChannelMessageResult>(() =>
        rest.post(Routes.channelMessages(channelId), { body: withAttachments(body, files), ...(raw ? { files: raw } : {}) }),
      );
      return { id: message.id };
    },

    async editMessage(channelId, messageId, body) {
      await call(() => rest.patch(Routes.channelMessage(channelId, messageId), { body }));
    },

    async followUp(interactionToken, body, files) {
      const raw = toRawFiles(files);
      const message = await call<RESTPostAPIChannelMessageResult>(() =>
        rest.post(Routes.webhook(applicationId, interactionToken), {
          body: withAttachments(body, files),
          auth: false,
          ...(raw ? { files: raw } : {}),
        }),
      );
      return { id: message.id };
    },

    async editOriginal(interactionToken, body, files) {
      const raw = toRawFiles(files);
      await call(() =>
        rest.patch(Routes.webhookMessage(applicationId, interactionToken, '@original'), {
          body: withAttachments(body, files),
          auth: false,
          ...(raw ? { files: raw } : {}),
        }),
      );
    },

    async deleteOriginal(interactionToken) {
      await call(() => rest.delete(Routes.webhookMessage(applicationId, interactionToken, '@original'), { auth: false }));
    },

    async getOriginal(interactionToken) {
      const message = await call<RESTGetAPIWebhookWithTokenMessageResult>(() =>
        rest.get(Routes.webhookMessage(applicationId, interactionToken, '@original'), { auth: false }),
      );
      return { id: message.id, channel_id: message.channel_id };
    },

    async postCallback(interaction, reply) {
      const raw = toRawFiles(reply.files);
      let body: object = reply.response;
      if (raw && 'data' in reply.response && reply.response.data) {
        body = { ...reply.response, data: withAttachments(reply.response.data, reply.files) };
      }
      await call(() => rest.post(Routes.interactionCallback(interaction.id, interaction.token), { body, auth: false, ...(raw ? { files: raw } : {}) }));
    },
  };
}
