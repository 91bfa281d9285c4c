/**
 * A local Discord stand-in: REST API (node:http) and gateway (ws) on one 127.0.0.1 port, for
 * end-to-end tests that run the real bot against it. Records every request, checks outgoing
 * message bodies against Discord's limits, keeps messages per channel, dispatches
 * interactions over the gateway or signs and POSTs them to the bot's HTTP endpoint.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { WebSocketServer, type WebSocket } from 'ws';
import type {
  APIApplicationCommand,
  APIAttachment,
  APIChannel,
  APIInteraction,
  APIMessage,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import { checkMessageLimits, type CheckOptions } from './limits.js';
import { boundaryOf, parseMultipart } from './multipart.js';
import { DEFAULT_IDS, DEFAULT_TOKEN, botUser as makeBotUser, guildCreate, snowflake } from './fixtures.js';

type Json = Record<string, unknown>;

export interface StandinOptions {
  /** The bot token the stand-in accepts (REST `Authorization: Bot <token>` and gateway IDENTIFY). Default DEFAULT_TOKEN. */
  token?: string;
  /** Application id (= bot user id). Default DEFAULT_IDS.application. */
  applicationId?: string;
  /** Merged over the default bot user. */
  botUser?: Partial<APIUser>;
  /** Application flags sent in READY and GET /applications/@me. Default 0. */
  applicationFlags?: number;
  /** Guilds sent as GUILD_CREATE after READY. Default: one guild from `guildCreate()`. */
  guilds?: GatewayGuildCreateDispatchData[];
  /** HELLO heartbeat_interval in ms. Default 41250 (Discord's). */
  heartbeatInterval?: number;
  /** Delay between READY and the GUILD_CREATEs, so the client has handled READY first. Default 25 ms. */
  guildCreateDelayMs?: number;
  /** Answer limit violations with Discord's 400 "Invalid Form Body" (code 50035) instead of accepting them. Default false (record only). */
  rejectViolations?: boolean;
  /** Also require allowed_mentions `{ parse: [] }` on every message edit (PATCH). Default false: only on an edit that delivers a deferred reply. */
  strictEdits?: boolean;
}

export interface RecordedFile {
  /** Form field, e.g. `files[0]`. */
  field: string;
  name: string;
  size: number;
  contentType?: string;
  data: Buffer;
}

export interface RecordedRequest {
  method: string;
  /** Path without query string, `%40` decoded to `@`, e.g. `/api/v10/users/@me`. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the parsed `payload_json` of a multipart body; undefined when empty. */
  body: unknown;
  files: RecordedFile[];
  /** Name of the matched route (e.g. `POST /channels/:id/messages`), or null for an unknown route. */
  route: string | null;
  params: Record<string, string>;
  status: number;
  /** Limit violations found in the body (see checkMessageLimits). */
  violations: string[];
  at: number;
}

export interface RecordedCallback {
  interactionId: string;
  token: string;
  type: number;
  data: unknown;
  /** `rest`: POST /interactions/:id/:token/callback; `http-response`: the bot's answer to postInteractionHttp. */
  source: 'rest' | 'http-response';
  violations: string[];
  files: RecordedFile[];
  request?: RecordedRequest;
}

export interface GatewayFrame {
  direction: 'in' | 'out';
  payload: { op: number; d?: unknown; s?: number | null; t?: string | null };
  at: number;
}

export interface IdentifyRecord {
  token: string;
  intents: number;
  shard: [number, number] | undefined;
  properties: unknown;
  sessionId: string;
}

export interface HttpInteractionResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or text when not JSON. */
  body: unknown;
}

export interface PostInteractionOptions {
  /** Sign with this key instead of the stand-in's (e.g. to prove the bot rejects bad signatures). */
  privateKey?: KeyObject;
  /** X-Signature-Timestamp value (default: now, in seconds). */
  timestamp?: string;
  /** Send this signature instead of computing one. */
  signature?: string;
}

export interface Standin {
  port: number;
  /** For `new Client({ rest: { api } })` / `new REST({ api })`; discord.js appends `/v10`. */
  apiBase: string;
  gatewayUrl: string;
  token: string;
  applicationId: string;
  botUser: APIUser;
  guilds: GatewayGuildCreateDispatchData[];
  /** Raw 32-byte Ed25519 public key, hex, as Discord shows it ("Public Key" / verify_key). */
  publicKeyHex: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
  requests: RecordedRequest[];
  gatewayFrames: GatewayFrame[];
  identifies: IdentifyRecord[];
  /** Registered application commands: key `global` or the guild id. */
  commands: Map<string, APIApplicationCommand[]>;
  /** Resolves with the first recorded request (past or future) matching `predicate`. */
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  /** Resolves with the first callback (past or future) matching `predicate`. */
  waitForCallback(predicate: (callback: RecordedCallback) => boolean, timeoutMs?: number): Promise<RecordedCallback>;
  /** Resolves once a gateway session has identified (or resumed). */
  waitForSession(timeoutMs?: number): Promise<void>;
  /** Every interaction response so far, in order. */
  callbacks(): RecordedCallback[];
  /** Messages currently in a channel, oldest first (includes interaction replies and followups). */
  messages(channelId: string): APIMessage[];
  /** Every request or callback that broke a limit. */
  violations(): { where: string; violations: string[] }[];
  /** Dispatch INTERACTION_CREATE to the connected gateway session(s). Throws when none is connected. */
  sendInteraction(interaction: APIInteraction): void;
  /** Dispatch any event to the connected gateway session(s). */
  dispatch(event: string, data: unknown): void;
  /** Sign and POST an interaction to the bot's HTTP interactions endpoint; the bot's answer is recorded as a callback. */
  postInteractionHttp(url: string, interaction: unknown, options?: PostInteractionOptions): Promise<HttpInteractionResult>;
  /** Forget recorded requests, callbacks and frames (keeps messages, commands and sessions). */
  clearRecords(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly extra: Json = {},
  ) {
    super(message);
  }
}

interface InteractionState {
  interaction: Json;
  channelId: string | undefined;
  acknowledged: boolean;
  /** The original response message (after type 4, or once a deferred reply is edited). */
  originalMessageId: string | undefined;
  /** Set after type 5: the first edit of @original delivers the reply. */
  deferred: boolean;
}

interface Session {
  id: string;
  socket: WebSocket | null;
  seq: number;
  /** Sent dispatches, for RESUME replay. */
  sent: { s: number; frame: string }[];
  shard: [number, number] | undefined;
  identified: boolean;
}

interface Route {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  auth: boolean;
  handler: (ctx: Ctx) => unknown;
}

interface Ctx {
  req: IncomingMessage;
  record: RecordedRequest;
  params: Record<string, string>;
  query: Record<string, string>;
  body: Json;
  files: RecordedFile[];
  /** Set by a handler to answer with 204 No Content. */
  noContent?: boolean;
  status?: number;
}

function route(method: string, pattern: string, auth: boolean, handler: (ctx: Ctx) => unknown): Route {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        keys.push(seg.slice(1));
        return '([^/]+)';
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { method, pattern, regex: new RegExp(`^${source}/?$`), keys, auth, handler };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(raw: Buffer, contentType: string | undefined): { body: unknown; files: RecordedFile[] } {
  if (raw.length === 0) return { body: undefined, files: [] };
  const ct = contentType ?? '';
  if (ct.startsWith('multipart/form-data')) {
    const boundary = boundaryOf(ct);
    if (!boundary) throw new HttpError(400, 50035, 'Invalid Form Body: multipart boundary missing');
    const parts = parseMultipart(raw, boundary);
    let body: unknown;
    const files: RecordedFile[] = [];
    for (const part of parts) {
      if (part.name === 'payload_json') body = JSON.parse(part.data.toString('utf8'));
      else if (part.filename !== undefined || /^files\[\d+\]$/.test(part.name)) {
        const file: RecordedFile = { field: part.name, name: part.filename ?? part.name, size: part.data.length, data: part.data };
        if (part.contentType !== undefined) file.contentType = part.contentType;
        files.push(file);
      } else if (body === undefined || typeof body === 'object') {
        body = { ...(body as Json | undefined), [part.name]: part.data.toString('utf8') };
      }
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')), files: [] };
  } catch {
    throw new HttpError(400, 50109, 'The request body contains invalid JSON.');
  }
}

const GATEWAY_VERSION = '10';

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
  const token = options.token ?? DEFAULT_TOKEN;
  const applicationId = options.applicationId ?? DEFAULT_IDS.application;
  const bot = makeBotUser({ id: applicationId, ...options.botUser });
  const guilds = options.guilds ?? [guildCreate()];
  const heartbeatInterval = options.heartbeatInterval ?? 41_250;
  const guildCreateDelayMs = options.guildCreateDelayMs ?? 25;
  const applicationFlags = options.applicationFlags ?? 0;
  const rejectViolations = options.rejectViolations === true;
  const strictEdits = options.strictEdits === true;

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyHex = publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('hex');

  const events = new EventEmitter();
  events.setMaxListeners(0);
  const requests: RecordedRequest[] = [];
  const callbackList: RecordedCallback[] = [];
  const gatewayFrames: GatewayFrame[] = [];
  const identifies: IdentifyRecord[] = [];
  const commands = new Map<string, APIApplicationCommand[]>();
  const channelMessages = new Map<string, APIMessage[]>();
  const attachmentData = new Map<string, RecordedFile>();
  const interactionsById = new Map<string, InteractionState>();
  const interactionsByToken = new Map<string, InteractionState>();
  const sessions = new Map<string, Session>();
  const sockets = new Set<WebSocket>();
  const timers = new Set<NodeJS.Timeout>();

  let port = 0;
  const origin = (): string => `http://127.0.0.1:${port}`;
  const gatewayUrl = (): string => `ws://127.0.0.1:${port}`;

  // ---------- world lookups ----------
  function findChannel(id: string): APIChannel | undefined {
    for (const g of guilds) {
      const c = (g.channels as APIChannel[]).find((ch) => ch.id === id);
      if (c) return { ...c, guild_id: g.id } as APIChannel;
    }
    return undefined;
  }

  function listOf(channelId: string): APIMessage[] {
    let list = channelMessages.get(channelId);
    if (!list) {
      list = [];
      channelMessages.set(channelId, list);
    }
    return list;
  }

  function findMessage(channelId: string, id: string): APIMessage | undefined {
    return channelMessages.get(channelId)?.find((m) => m.id === id);
  }

  function findMessageAnywhere(id: string): APIMessage | undefined {
    for (const list of channelMessages.values()) {
      const m = list.find((x) => x.id === id);
      if (m) return m;
    }
    return undefined;
  }

  function attachmentsFor(channelId: string, payload: Json, files: RecordedFile[], previous: APIAttachment[] = []): APIAttachment[] {
    const described = Array.isArray(payload.attachments) ? (payload.attachments as Json[]) : undefined;
    const out: APIAttachment[] = [];
    // Kept attachments: entries in `attachments` whose id is an existing attachment id.
    if (described) {
      for (const a of described) {
        const kept = previous.find((p) => p.id === String(a.id));
        if (kept) out.push(kept);
      }
    } else {
      out.push(...previous);
    }
    files.forEach((file, index) => {
      const n = /^files\[(\d+)\]$/.exec(file.field)?.[1];
      const meta = described?.find((a) => String(a.id) === (n ?? String(index)));
      const id = snowflake();
      const filename = typeof meta?.filename === 'string' ? meta.filename : file.name;
      attachmentData.set(id, file);
      const url = `${origin()}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
      const att: Json = { id, filename, size: file.size, url, proxy_url: url };
      if (file.contentType !== undefined) att.content_type = file.contentType;
      if (typeof meta?.description === 'string') att.description = meta.description;
      out.push(att as unknown as APIAttachment);
    });
    return out;
  }

  function createMessage(channelId: string, payload: Json, files: RecordedFile[], extra: Json = {}): APIMessage {
    const message = {
      id: snowflake(),
      channel_id: channelId,
      author: bot,
      content: typeof payload.content === 'string' ? payload.content : '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: payload.tts === true,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: attachmentsFor(channelId, payload, files),
      embeds: Array.isArray(payload.embeds) ? payload.embeds : [],
      pinned: false,
      type: 0,
      flags: typeof payload.flags === 'number' ? payload.flags : 0,
      components: Array.isArray(payload.components) ? payload.components : [],
      ...extra,
    } as unknown as APIMessage;
    listOf(channelId).push(message);
    return message;
  }

  function editMessage(message: APIMessage, payload: Json, files: RecordedFile[]): APIMessage {
    const m = message as unknown as Json;
    // A field left out is kept; a field sent as null is cleared, as on Discord.
    const cleared: Json = { content: '', embeds: [], components: [], flags: 0 };
    for (const key of ['content', 'embeds', 'components', 'flags'] as const) {
      if (payload[key] !== undefined) m[key] = payload[key] ?? cleared[key];
    }
    if (payload.attachments !== undefined || files.length > 0) {
      m.attachments = attachmentsFor(message.channel_id, payload, files, message.attachments);
    }
    m.edited_timestamp = new Date().toISOString();
    return message;
  }

  function deleteMessage(channelId: string, id: string): boolean {
    const list = channelMessages.get(channelId);
    const i = list?.findIndex((m) => m.id === id) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  // ---------- interactions ----------
  function registerInteraction(interaction: Json): InteractionState {
    const channelId =
      typeof interaction.channel_id === 'string'
        ? interaction.channel_id
        : typeof (interaction.channel as Json | undefined)?.id === 'string'
          ? ((interaction.channel as Json).id as string)
          : undefined;
    const state: InteractionState = {
      interaction,
      channelId,
      acknowledged: false,
      originalMessageId: undefined,
      deferred: false,
    };
    if (typeof interaction.id === 'string') interactionsById.set(interaction.id, state);
    if (typeof interaction.token === 'string') interactionsByToken.set(interaction.token, state);
    return state;
  }

  function stateFor(id: string, tokenValue: string): InteractionState {
    const known = interactionsByToken.get(tokenValue) ?? interactionsById.get(id);
    // Interactions the stand-in did not send are accepted too (channel unknown).
    return known ?? registerInteraction({ id, token: tokenValue });
  }

  function interactionMessageExtra(state: InteractionState): Json {
    const i = state.interaction;
    const user = ((i.member as Json | undefined)?.user ?? i.user) as Json | undefined;
    const extra: Json = { webhook_id: applicationId, application_id: applicationId };
    if (typeof i.type === 'number') {
      extra.type = i.type === 2 ? ((i.data as Json | undefined)?.type === 1 ? 20 : 23) : 19;
      extra.interaction_metadata = {
        id: i.id,
        type: i.type,
        user,
        authorizing_integration_owners: i.authorizing_integration_owners ?? {},
      };
    }
    return extra;
  }

  function applyCallback(state: InteractionState, type: number, data: Json, files: RecordedFile[]): APIMessage | undefined {
    const channelId = state.channelId ?? 'unknown';
    switch (type) {
      case 4: {
        const m = createMessage(channelId, data, files, interactionMessageExtra(state));
        state.originalMessageId = m.id;
        return m;
      }
      case 5: {
        state.deferred = true;
        const flags = typeof data.flags === 'number' ? data.flags : 0;
        const m = createMessage(channelId, { content: '', flags: flags | 128 }, [], interactionMessageExtra(state));
        state.originalMessageId = m.id;
        return m;
      }
      case 7: {
        const source = state.interaction.message as Json | undefined;
        const existing = typeof source?.id === 'string' ? findMessageAnywhere(source.id) : undefined;
        if (existing) return editMessage(existing, data, files);
        if (source) {
          // The message was not created through the stand-in: adopt it so later edits and GETs work.
          const adopted = { ...source } as unknown as APIMessage;
          listOf(channelId).push(adopted);
          return editMessage(adopted, data, files);
        }
        return undefined;
      }
      default:
        return undefined;
    }
  }

  function originalMessage(state: InteractionState): APIMessage {
    const id = state.originalMessageId;
    const m = id ? findMessage(state.channelId ?? 'unknown', id) : undefined;
    if (!m) throw new HttpError(404, 10008, 'Unknown Message');
    return m;
  }

  // ---------- checks ----------
  function check(ctx: Ctx, options: CheckOptions): void {
    const v = checkMessageLimits(ctx.body, options);
    ctx.record.violations.push(...v);
    if (v.length > 0 && rejectViolations) {
      throw new HttpError(400, 50035, 'Invalid Form Body', { errors: { _errors: v.map((message) => ({ code: 'LIMIT', message })) } });
    }
  }

  function recordCallback(cb: RecordedCallback): void {
    callbackList.push(cb);
    events.emit('callback', cb);
  }

  // ---------- commands ----------
  function commandKey(guildId?: string): string {
    return guildId ?? 'global';
  }

  function normalizeCommand(input: Json, guildId: string | undefined, previous: APIApplicationCommand[]): APIApplicationCommand {
    const type = typeof input.type === 'number' ? input.type : 1;
    const same = previous.find((c) => c.name === input.name && c.type === type);
    const command: Json = {
      type,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      contexts: null,
      name_localizations: null,
      description_localizations: null,
      ...input,
      id: typeof input.id === 'string' ? input.id : (same?.id ?? snowflake()),
      application_id: applicationId,
      version: snowflake(),
    };
    if (guildId) command.guild_id = guildId;
    return command as unknown as APIApplicationCommand;
  }

  function putCommands(ctx: Ctx, guildId?: string): APIApplicationCommand[] {
    if (!Array.isArray(ctx.body)) throw new HttpError(400, 50035, 'Invalid Form Body: expected an array of commands');
    const previous = commands.get(commandKey(guildId)) ?? [];
    const next = (ctx.body as Json[]).map((c) => normalizeCommand(c, guildId, previous));
    commands.set(commandKey(guildId), next);
    return next;
  }

  function postCommand(ctx: Ctx, guildId?: string): APIApplicationCommand {
    const previous = commands.get(commandKey(guildId)) ?? [];
    const command = normalizeCommand(ctx.body, guildId, previous);
    const rest = previous.filter((c) => c.id !== command.id);
    commands.set(commandKey(guildId), [...rest, command]);
    ctx.status = rest.length === previous.length ? 201 : 200;
    return command;
  }

  function applicationObject(): Json {
    return {
      id: applicationId,
      name: bot.username,
      icon: null,
      description: '',
      summary: '',
      type: null,
      bot_public: true,
      bot_require_code_grant: false,
      verify_key: publicKeyHex,
      flags: applicationFlags,
      owner: { id: DEFAULT_IDS.owner, username: 'owner', discriminator: '0', global_name: null, avatar: null, flags: 0 },
      team: null,
      bot,
      integration_types_config: { '0': {} },
      install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
    };
  }

  // ---------- routes ----------
  const routes: Route[] = [
    route('GET', '/gateway', false, () => ({ url: gatewayUrl() })),
    route('GET', '/gateway/bot', true, () => ({
      url: gatewayUrl(),
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    })),
    route('GET', '/users/@me', true, () => bot),
    route('GET', '/applications/@me', true, () => applicationObject()),
    route('PATCH', '/applications/@me', true, (ctx) => ({ ...applicationObject(), ...ctx.body })),
    route('GET', '/applications/:app/commands', true, () => commands.get('global') ?? []),
    route('PUT', '/applications/:app/commands', true, (ctx) => putCommands(ctx)),
    route('POST', '/applications/:app/commands', true, (ctx) => postCommand(ctx)),
    route('GET', '/applications/:app/guilds/:guild/commands', true, (ctx) => commands.get(commandKey(ctx.params.guild)) ?? []),
    route('PUT', '/applications/:app/guilds/:guild/commands', true, (ctx) => putCommands(ctx, ctx.params.guild)),
    route('POST', '/applications/:app/guilds/:guild/commands', true, (ctx) => postCommand(ctx, ctx.params.guild)),

    route('POST', '/interactions/:id/:token/callback', false, (ctx) => {
      const { id = '', token: itoken = '' } = ctx.params;
      const state = stateFor(id, itoken);
      check(ctx, { kind: 'callback' });
      const type = typeof ctx.body.type === 'number' ? ctx.body.type : -1;
      const data = (ctx.body.data ?? {}) as Json;
      if (state.acknowledged) throw new HttpError(400, 40060, 'Interaction has already been acknowledged.');
      state.acknowledged = true;
      const message = applyCallback(state, type, data, ctx.files);
      recordCallback({
        interactionId: id,
        token: itoken,
        type,
        data: ctx.body.data,
        source: 'rest',
        violations: ctx.record.violations,
        files: ctx.files,
        request: ctx.record,
      });
      if (ctx.query.with_response !== 'true') {
        ctx.noContent = true;
        return undefined;
      }
      const flags = message?.flags ?? 0;
      const response: Json = {
        interaction: {
          id,
          type: state.interaction.type ?? 2,
          activity_instance_id: null,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: type === 5,
                response_message_ephemeral: (flags & 64) !== 0,
              }
            : {}),
        },
      };
      if (message) response.resource = { type, message };
      else if (type === 9 || type === 8 || type === 6) response.resource = { type };
      return response;
    }),

    route('GET', '/webhooks/:app/:token/messages/@original', false, (ctx) =>
      originalMessage(stateFor('', ctx.params.token ?? '')),
    ),
    route('PATCH', '/webhooks/:app/:token/messages/@original', false, (ctx) => {
      const state = stateFor('', ctx.params.token ?? '');
      const delivering = state.deferred;
      check(ctx, { kind: 'edit', requireAllowedMentions: delivering || strictEdits });
      const m = originalMessage(state);
      if (delivering) {
        state.deferred = false;
        (m as unknown as Json).flags = ((m.flags ?? 0) & ~128) | (typeof ctx.body.flags === 'number' ? ctx.body.flags : 0);
      }
      return editMessage(m, ctx.body, ctx.files);
    }),
    route('DELETE', '/webhooks/:app/:token/messages/@original', false, (ctx) => {
      const state = stateFor('', ctx.params.token ?? '');
      const m = originalMessage(state);
      deleteMessage(m.channel_id, m.id);
      ctx.noContent = true;
    }),
    route('POST', '/webhooks/:app/:token', false, (ctx) => {
      const state = stateFor('', ctx.params.token ?? '');
      check(ctx, { kind: 'message' });
      return createMessage(state.channelId ?? 'unknown', ctx.body, ctx.files, interactionMessageExtra(state));
    }),
    route('GET', '/webhooks/:app/:token/messages/:id', false, (ctx) => {
      const m = findMessageAnywhere(ctx.params.id ?? '');
      if (!m) throw new HttpError(404, 10008, 'Unknown Message');
      return m;
    }),
    route('PATCH', '/webhooks/:app/:token/messages/:id', false, (ctx) => {
      check(ctx, { kind: 'edit', requireAllowedMentions: strictEdits });
      const m = findMessageAnywhere(ctx.params.id ?? '');
      if (!m) throw new HttpError(404, 10008, 'Unknown Message');
      return editMessage(m, ctx.body, ctx.files);
    }),
    route('DELETE', '/webhooks/:app/:token/messages/:id', false, (ctx) => {
      const m = findMessageAnywhere(ctx.params.id ?? '');
      if (!m) throw new HttpError(404, 10008, 'Unknown Message');
      deleteMessage(m.channel_id, m.id);
      ctx.noContent = true;
    }),

    route('GET', '/channels/:channel', true, (ctx) => {
      const c = findChannel(ctx.params.channel ?? '');
      if (!c) throw new HttpError(404, 10003, 'Unknown Channel');
      return c;
    }),
    route('GET', '/channels/:channel/messages', true, (ctx) => {
      const limit = Math.min(Number(ctx.query.limit ?? 50) || 50, 100);
      return [...(channelMessages.get(ctx.params.channel ?? '') ?? [])].reverse().slice(0, limit);
    }),
    route('POST', '/channels/:channel/messages', true, (ctx) => {
      const channelId = ctx.params.channel ?? '';
      if (!findChannel(channelId)) throw new HttpError(404, 10003, 'Unknown Channel');
      check(ctx, { kind: 'message' });
      return createMessage(channelId, ctx.body, ctx.files);
    }),
    route('GET', '/channels/:channel/messages/:id', true, (ctx) => {
      const m = findMessage(ctx.params.channel ?? '', ctx.params.id ?? '');
      if (!m) throw new HttpError(404, 10008, 'Unknown Message');
      return m;
    }),
    route('PATCH', '/channels/:channel/messages/:id', true, (ctx) => {
      check(ctx, { kind: 'edit', requireAllowedMentions: strictEdits });
      const m = findMessage(ctx.params.channel ?? '', ctx.params.id ?? '');
      if (!m) throw new HttpError(404, 10008, 'Unknown Message');
      return editMessage(m, ctx.body, ctx.files);
    }),
    route('DELETE', '/channels/:channel/messages/:id', true, (ctx) => {
      if (!deleteMessage(ctx.params.channel ?? '', ctx.params.id ?? '')) throw new HttpError(404, 10008, 'Unknown Message');
      ctx.noContent = true;
    }),
  ];

  function send(res: ServerResponse, status: number, body?: unknown): void {
    if (body === undefined || status === 204) {
      res.writeHead(status === 200 ? 204 : status).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin());
    const query = Object.fromEntries(url.searchParams);
    // discord-api-types' Routes percent-encode '@' (`/users/%40me`, `/messages/%40original`).
    const pathname = url.pathname.replace(/%40/gi, '@');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: pathname,
      query,
      headers: req.headers,
      body: undefined,
      files: [],
      route: null,
      params: {},
      status: 0,
      violations: [],
      at: Date.now(),
    };
    const finish = (status: number, body?: unknown): void => {
      record.status = body === undefined && status === 200 ? 204 : status;
      requests.push(record);
      events.emit('request', record);
      send(res, status, body);
    };
    try {
      const raw = await readBody(req);
      // Attachments served back from their URLs.
      const att = /^\/attachments\/[^/]+\/([^/]+)\/[^/]+$/.exec(url.pathname);
      if (att && req.method === 'GET') {
        const file = attachmentData.get(att[1] ?? '');
        record.route = 'GET /attachments/:channel/:id/:name';
        record.status = file ? 200 : 404;
        requests.push(record);
        events.emit('request', record);
        if (!file) return send(res, 404, { message: 'Not Found', code: 0 });
        res.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': file.size });
        res.end(file.data);
        return;
      }
      const parsed = parseBody(raw, req.headers['content-type']);
      record.body = parsed.body;
      record.files = parsed.files;
      const prefix = '/api/v10';
      const sub = pathname.startsWith(`${prefix}/`) ? pathname.slice(prefix.length) : null;
      let matched: { r: Route; params: Record<string, string> } | undefined;
      if (sub !== null) {
        for (const r of routes) {
          if (r.method !== req.method) continue;
          const m = r.regex.exec(sub);
          if (!m) continue;
          const params: Record<string, string> = {};
          r.keys.forEach((k, i) => {
            params[k] = decodeURIComponent(m[i + 1] ?? '');
          });
          matched = { r, params };
          break;
        }
      }
      if (!matched) return finish(404, { message: '404: Not Found', code: 0 });
      record.route = `${matched.r.method} ${matched.r.pattern}`;
      record.params = matched.params;
      if (matched.r.auth && req.headers.authorization !== `Bot ${token}`) {
        return finish(401, { message: '401: Unauthorized', code: 0 });
      }
      const ctx: Ctx = {
        req,
        record,
        params: matched.params,
        query,
        body: (parsed.body ?? {}) as Json,
        files: parsed.files,
      };
      const result = matched.r.handler(ctx);
      if (ctx.noContent) return finish(204);
      return finish(ctx.status ?? 200, result);
    } catch (error) {
      if (error instanceof HttpError) return finish(error.status, { message: error.message, code: error.code, ...error.extra });
      return finish(500, { message: `stand-in error: ${(error as Error).message}`, code: 0 });
    }
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res);
  });

  // ---------- gateway ----------
  const wss = new WebSocketServer({ noServer: true });

  function frameOut(socket: WebSocket, payload: GatewayFrame['payload']): string {
    const text = JSON.stringify(payload);
    if (payload.op !== 11) gatewayFrames.push({ direction: 'out', payload, at: Date.now() });
    if (socket.readyState === socket.OPEN) socket.send(text);
    return text;
  }

  function dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const payload = { op: 0, t, s: session.seq, d };
    const text = JSON.stringify(payload);
    session.sent.push({ s: session.seq, frame: text });
    gatewayFrames.push({ direction: 'out', payload, at: Date.now() });
    const socket = session.socket;
    if (socket && socket.readyState === socket.OPEN) socket.send(text);
  }

  function later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  }

  function activeSessions(): Session[] {
    return [...sessions.values()].filter((s) => s.identified && s.socket && s.socket.readyState === s.socket.OPEN);
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin());
    if (url.pathname.startsWith('/api')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => undefined);
      const v = url.searchParams.get('v');
      const encoding = url.searchParams.get('encoding');
      if (v !== null && v !== GATEWAY_VERSION) {
        ws.close(4012, 'Invalid API version');
        return;
      }
      if (encoding !== null && encoding !== 'json') {
        ws.close(4002, 'Only encoding=json is supported by the stand-in');
        return;
      }
      if (url.searchParams.has('compress')) {
        ws.close(4000, 'Transport compression is not supported by the stand-in');
        return;
      }
      onConnection(ws);
    });
  });

  function onConnection(ws: WebSocket): void {
    let session: Session | undefined;
    frameOut(ws, { op: 10, d: { heartbeat_interval: heartbeatInterval, _trace: ['standin'] }, s: null, t: null });
    ws.on('close', () => {
      if (session && session.socket === ws) session.socket = null;
    });
    ws.on('message', (data, isBinary) => {
      let payload: { op?: unknown; d?: unknown };
      try {
        if (isBinary) throw new Error('binary');
        payload = JSON.parse(String(data)) as { op?: unknown; d?: unknown };
      } catch {
        ws.close(4002, 'Decode error');
        return;
      }
      if (payload.op !== 1) gatewayFrames.push({ direction: 'in', payload: payload as GatewayFrame['payload'], at: Date.now() });
      const d = (payload.d ?? {}) as Json;
      switch (payload.op) {
        case 1:
          frameOut(ws, { op: 11, d: null, s: null, t: null });
          return;
        case 2: {
          if (session) {
            ws.close(4005, 'Already authenticated');
            return;
          }
          if (d.token !== token) {
            ws.close(4004, 'Authentication failed');
            return;
          }
          const shard = Array.isArray(d.shard) ? (d.shard as [number, number]) : undefined;
          if (shard && (shard[0] !== 0 || shard[1] !== 1)) {
            ws.close(4010, 'Invalid shard (the stand-in runs one shard)');
            return;
          }
          const id = randomBytes(16).toString('hex');
          session = { id, socket: ws, seq: 0, sent: [], shard, identified: true };
          sessions.set(id, session);
          identifies.push({
            token: String(d.token),
            intents: typeof d.intents === 'number' ? d.intents : 0,
            shard,
            properties: d.properties,
            sessionId: id,
          });
          const current = session;
          dispatchTo(current, 'READY', {
            v: 10,
            user_settings: {},
            user: { ...bot, verified: true, mfa_enabled: false, email: null },
            guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
            session_id: id,
            session_type: 'normal',
            resume_gateway_url: gatewayUrl(),
            shard: shard ?? [0, 1],
            application: { id: applicationId, flags: applicationFlags },
            private_channels: [],
            relationships: [],
            presences: [],
            geo_ordered_rtc_regions: ['us-west'],
            guild_join_requests: [],
            _trace: ['standin'],
          });
          later(() => {
            for (const g of guilds) dispatchTo(current, 'GUILD_CREATE', g);
            events.emit('session', current);
          }, guildCreateDelayMs);
          return;
        }
        case 6: {
          const known = typeof d.session_id === 'string' ? sessions.get(d.session_id) : undefined;
          if (d.token !== token) {
            ws.close(4004, 'Authentication failed');
            return;
          }
          if (!known) {
            frameOut(ws, { op: 9, d: false, s: null, t: null });
            return;
          }
          if (known.socket && known.socket !== ws && known.socket.readyState === known.socket.OPEN) known.socket.terminate();
          known.socket = ws;
          session = known;
          const seq = typeof d.seq === 'number' ? d.seq : 0;
          for (const missed of known.sent.filter((e) => e.s > seq)) ws.send(missed.frame);
          dispatchTo(known, 'RESUMED', { _trace: ['standin'] });
          events.emit('session', known);
          return;
        }
        case 3:
        case 4:
          return;
        case 8: {
          if (!session) return;
          const guild = guilds.find((g) => g.id === d.guild_id);
          if (guild) {
            dispatchTo(session, 'GUILD_MEMBERS_CHUNK', {
              guild_id: guild.id,
              members: guild.members,
              chunk_index: 0,
              chunk_count: 1,
              not_found: [],
              ...(typeof d.nonce === 'string' ? { nonce: d.nonce } : {}),
            });
          }
          return;
        }
        default:
          ws.close(4001, 'Unknown opcode');
      }
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  function waitForEvent<T>(event: string, existing: () => T | undefined, test: (x: T) => boolean, timeoutMs: number, what: string): Promise<T> {
    const found = existing();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const onEvent = (x: T): void => {
        if (!test(x)) return;
        clearTimeout(timer);
        events.off(event, onEvent);
        resolve(x);
      };
      const timer = setTimeout(() => {
        events.off(event, onEvent);
        reject(new Error(`stand-in: timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      events.on(event, onEvent);
    });
  }

  const standin: Standin = {
    port,
    apiBase: `${origin()}/api`,
    gatewayUrl: gatewayUrl(),
    token,
    applicationId,
    botUser: bot,
    guilds,
    publicKeyHex,
    publicKey,
    privateKey,
    requests,
    gatewayFrames,
    identifies,
    commands,
    waitFor(predicate, timeoutMs = 5000) {
      return waitForEvent('request', () => requests.find(predicate), predicate, timeoutMs, 'a matching request');
    },
    waitForCallback(predicate, timeoutMs = 5000) {
      return waitForEvent('callback', () => callbackList.find(predicate), predicate, timeoutMs, 'a matching callback');
    },
    async waitForSession(timeoutMs = 5000) {
      await waitForEvent<Session>('session', () => activeSessions()[0], () => true, timeoutMs, 'a gateway session');
    },
    callbacks: () => [...callbackList],
    messages: (channelId) => [...(channelMessages.get(channelId) ?? [])],
    violations() {
      const out: { where: string; violations: string[] }[] = [];
      for (const r of requests) if (r.violations.length > 0) out.push({ where: `${r.method} ${r.path}`, violations: r.violations });
      for (const c of callbackList) {
        if (c.source === 'http-response' && c.violations.length > 0) {
          out.push({ where: `HTTP response to interaction ${c.interactionId}`, violations: c.violations });
        }
      }
      return out;
    },
    sendInteraction(interaction) {
      const targets = activeSessions();
      if (targets.length === 0) throw new Error('stand-in: no gateway session is connected');
      registerInteraction(interaction as unknown as Json);
      for (const s of targets) dispatchTo(s, 'INTERACTION_CREATE', interaction);
    },
    dispatch(event, data) {
      for (const s of activeSessions()) dispatchTo(s, event, data);
    },
    async postInteractionHttp(url, interaction, o = {}) {
      const body = JSON.stringify(interaction);
      const state = registerInteraction(interaction as Json);
      const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000).toString();
      const signature = o.signature ?? sign(null, Buffer.from(timestamp + body), o.privateKey ?? privateKey).toString('hex');
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)',
          'x-signature-ed25519': signature,
          'x-signature-timestamp': timestamp,
        },
        body,
      });
      const headers = Object.fromEntries(res.headers.entries());
      const raw = Buffer.from(await res.arrayBuffer());
      let parsedBody: unknown = raw.toString('utf8');
      let files: RecordedFile[] = [];
      try {
        const p = parseBody(raw, headers['content-type']);
        parsedBody = p.body;
        files = p.files;
      } catch {
        // keep text
      }
      const i = interaction as Json;
      if (res.ok && parsedBody && typeof parsedBody === 'object' && typeof (parsedBody as Json).type === 'number') {
        const cb = parsedBody as Json;
        const type = cb.type as number;
        const violations = checkMessageLimits(cb, { kind: 'callback' });
        if (i.type !== 1) {
          state.acknowledged = true;
          applyCallback(state, type, (cb.data ?? {}) as Json, files);
        }
        recordCallback({
          interactionId: String(i.id),
          token: String(i.token),
          type,
          data: cb.data,
          source: 'http-response',
          violations,
          files,
        });
      }
      return { status: res.status, headers, body: parsedBody };
    },
    clearRecords() {
      requests.length = 0;
      callbackList.length = 0;
      gatewayFrames.length = 0;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      events.removeAllListeners();
    },
  };
  return standin;
}
