/**
 * A bot under test: the real router and command registry over an in-memory store, with a
 * recording Discord API (the REST calls the bot makes besides interaction callbacks).
 * `run()` routes an interaction, runs its after-work, and checks every payload against
 * Discord's documented limits (throws on a violation).
 */
import type { APIInteraction } from 'discord-api-types/v10';
import { registry } from '../../commands/index.js';
import { outdatedReply } from '../../commands/salt/draft.js';
import type { Deps, DiscordApi, Logger } from '../../src/discord/deps.js';
import type { OutgoingFile, Reply } from '../../src/discord/reply.js';
import { createRouter } from '../../src/discord/router.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import { checkMessageLimits } from '../standin/limits.js';

export interface ApiCall {
  readonly method: keyof DiscordApi;
  readonly args: readonly unknown[];
  readonly files?: readonly OutgoingFile[];
}

export class RecordingApi implements DiscordApi {
  readonly calls: ApiCall[] = [];
  private next = 1000n;
  /** Message bodies by id, as the channel would show them. */
  readonly messages = new Map<string, unknown>();
  private id(): string {
    this.next += 1n;
    return String(1_300_000_000_000_000_000n + this.next);
  }
  async createMessage(channelId: string, body: object, files?: readonly OutgoingFile[]) {
    const id = this.id();
    this.calls.push({ method: 'createMessage', args: [channelId, body], ...(files ? { files } : {}) });
    this.messages.set(id, body);
    return { id };
  }
  async editMessage(channelId: string, messageId: string, lazyBody: object | (() => object)) {
    // A function body is drawn when the request starts, as the real API does on its turn.
    const body = typeof lazyBody === 'function' ? lazyBody() : lazyBody;
    this.calls.push({ method: 'editMessage', args: [channelId, messageId, body] });
    this.messages.set(messageId, body);
  }
  async followUp(token: string, body: object, files?: readonly OutgoingFile[]) {
    const id = this.id();
    this.calls.push({ method: 'followUp', args: [token, body], ...(files ? { files } : {}) });
    this.messages.set(id, body);
    return { id };
  }
  async editOriginal(token: string, body: object, files?: readonly OutgoingFile[]) {
    this.calls.push({ method: 'editOriginal', args: [token, body], ...(files ? { files } : {}) });
  }
  async deleteOriginal(token: string) {
    this.calls.push({ method: 'deleteOriginal', args: [token] });
  }
  async getOriginal(token: string) {
    this.calls.push({ method: 'getOriginal', args: [token] });
    return { id: this.id(), channel_id: '0' };
  }
  ofMethod(method: keyof DiscordApi): ApiCall[] {
    return this.calls.filter((c) => c.method === method);
  }
}

export class RecordingLogger implements Logger {
  readonly lines: { level: string; obj: object; msg?: string }[] = [];
  debug(obj: object, msg?: string) { this.lines.push({ level: 'debug', obj, ...(msg ? { msg } : {}) }); }
  info(obj: object, msg?: string) { this.lines.push({ level: 'info', obj, ...(msg ? { msg } : {}) }); }
  warn(obj: object, msg?: string) { this.lines.push({ level: 'warn', obj, ...(msg ? { msg } : {}) }); }
  error(obj: object, msg?: string) { this.lines.push({ level: 'error', obj, ...(msg ? { msg } : {}) }); }
}

export interface TestBot {
  readonly store: Store;
  readonly api: RecordingApi;
  readonly log: RecordingLogger;
  readonly deps: Deps;
  readonly scheduled: Map<string, number>;
  /** Current fake time (ms); advance with `clock.now += …`. */
  readonly clock: { now: number };
  run(interaction: APIInteraction): Promise<Reply>;
  close(): Promise<void>;
}

/** Limit violations of a reply and of every API call made so far. */
export function violations(reply: Reply, api?: RecordingApi): string[] {
  const out = [...checkMessageLimits(reply.response)];
  for (const call of api?.calls ?? []) {
    const body = call.method === 'editMessage' ? call.args[2] : call.args[1];
    const kind = call.method === 'editMessage' || call.method === 'editOriginal' ? 'edit' : 'message';
    if (body && typeof body === 'object') out.push(...checkMessageLimits(body, { kind }).map((v) => `${call.method}: ${v}`));
  }
  return out;
}

export async function makeBot(options: { store?: Store; now?: number; editRatePerMinute?: number; deferAfterMs?: number } = {}): Promise<TestBot> {
  const store = options.store ?? (await createStore({ memory: true }));
  const api = new RecordingApi();
  const log = new RecordingLogger();
  const clock = { now: options.now ?? Date.UTC(2026, 10, 26, 12) };
  const scheduled = new Map<string, number>();
  const deps: Deps = {
    store,
    api,
    log,
    now: () => clock.now,
    votes: { schedule: (id, at) => void scheduled.set(id, at) },
    ...(options.editRatePerMinute !== undefined ? { editRatePerMinute: options.editRatePerMinute } : {}),
    ...(options.deferAfterMs !== undefined ? { deferAfterMs: options.deferAfterMs } : {}),
  };
  const router = createRouter(registry, deps, (inv) => outdatedReply(inv));
  return {
    store,
    api,
    log,
    deps,
    scheduled,
    clock,
    async run(interaction) {
      const reply = await router.route(interaction);
      await reply.after?.();
      const problems = violations(reply, api);
      if (problems.length) throw new Error(`Discord limits violated:\n${problems.join('\n')}`);
      return reply;
    },
    close: () => store.close(),
  };
}
