/**
 * What handlers need from the outside world, injected by the entry point (and by tests).
 */
import type { RESTPatchAPIChannelMessageJSONBody, RESTPostAPIChannelMessageJSONBody, RESTPostAPIWebhookWithTokenJSONBody } from 'discord-api-types/v10';
import type { Store } from '../store/index.js';
import type { OutgoingFile } from './reply.js';

/** The few Discord REST calls saltbot makes besides interaction callbacks. */
export interface DiscordApi {
  createMessage(channelId: string, body: RESTPostAPIChannelMessageJSONBody, files?: readonly OutgoingFile[]): Promise<{ id: string }>;
  /**
   * `body` may be a function: it is called when the request starts (its turn on Discord's global
   * rate limit, which may be seconds after the call under load), so what it draws is as fresh as
   * it can be.
   */
  editMessage(channelId: string, messageId: string, body: RESTPatchAPIChannelMessageJSONBody | (() => RESTPatchAPIChannelMessageJSONBody)): Promise<void>;
  followUp(interactionToken: string, body: RESTPostAPIWebhookWithTokenJSONBody, files?: readonly OutgoingFile[]): Promise<{ id: string }>;
  editOriginal(interactionToken: string, body: RESTPatchAPIChannelMessageJSONBody, files?: readonly OutgoingFile[]): Promise<void>;
  /** Deletes the message an interaction's response created. */
  deleteOriginal(interactionToken: string): Promise<void>;
  /** The message an interaction's response created (to learn its id). */
  getOriginal(interactionToken: string): Promise<{ id: string; channel_id: string }>;
}

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A Discord API error with its HTTP status and JSON error code (e.g. 10008 Unknown Message). */
export class DiscordApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'DiscordApiError';
  }
}

/** Schedules vote deadlines; implemented over timers, rebuilt from the store on start. */
export interface VoteScheduler {
  schedule(voteId: string, closesAt: number): void;
}

export interface Deps {
  readonly store: Store;
  readonly api: DiscordApi;
  readonly log: Logger;
  readonly now: () => number;
  readonly votes: VoteScheduler;
  /**
   * When a handler has not answered after this many ms, the router defers (Discord wants a first
   * response within 3 s) and delivers the answer afterwards. Default 2000.
   */
  readonly deferAfterMs?: number;
  /** Edits per member per minute (0 = unlimited). */
  readonly editRatePerMinute?: number;
  /**
   * Downloads an attachment's text (for /salt import file:). Rejects when the body exceeds
   * `maxBytes`. Injected so tests need no network; when absent, /salt import uses its own fetch.
   */
  readonly fetchAttachment?: (url: string, maxBytes: number) => Promise<string>;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
