/**
 * A minimal, fast Discord REST sink for the benchmark (run in its own process so its CPU does not
 * share the bot's event loop). It answers only the routes the bot calls, with canned JSON, and
 * counts requests per route. No limit checks, no storage: the e2e tests (test/standin) do that.
 *
 *   node --import tsx bench/sink.ts      → prints "sink listening <port>" on stdout
 *   GET /__stats                          → { total, routes: { "PATCH /channels/:c/messages/:m": n, … } }
 *
 * Routes (under /api/v10): PUT application commands, GET gateway/bot, GET users/@me,
 * POST/PATCH channel messages, GET/PATCH webhook @original, POST webhook follow-ups,
 * POST interaction callbacks. Bench tokens look like `bench.<channelId>.<n>` so @original can
 * answer with the right channel id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const APP_ID = process.env.BENCH_APP_ID ?? '1300000000000000001';
const BOT_ID = APP_ID;
const routes = new Map<string, number>();
let total = 0;
let nextId = 1_400_000_000_000_000_000n;

const newId = (): string => String(nextId++);

function count(route: string): void {
  total++;
  routes.set(route, (routes.get(route) ?? 0) + 1);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function message(id: string, channelId: string): Record<string, unknown> {
  return {
    id,
    channel_id: channelId,
    type: 0,
    content: '',
    author: { id: BOT_ID, username: 'saltbot', discriminator: '0', global_name: null, avatar: null, bot: true },
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    flags: 0,
    components: [],
  };
}

/** `bench.<channelId>.<n>` → channelId; anything else → a fixed channel. */
function channelOfToken(token: string): string {
  const m = /^bench\.(\d{17,20})\./.exec(token);
  return m ? m[1]! : '1300000000000000003';
}

function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  const method = req.method ?? 'GET';
  const path = decodeURIComponent((req.url ?? '/').split('?')[0]!).replace(/^\/api(\/v\d+)?/, '');
  if (path === '/__stats') {
    json(res, 200, { total, routes: Object.fromEntries(routes) });
    return;
  }
  const parts = path.split('/').filter(Boolean);
  // /channels/:c/messages[/:m]
  if (parts[0] === 'channels' && parts[2] === 'messages') {
    const channelId = parts[1]!;
    if (method === 'POST' && parts.length === 3) {
      count('POST /channels/:c/messages');
      json(res, 200, message(newId(), channelId));
      return;
    }
    if (method === 'PATCH' && parts.length === 4) {
      count('PATCH /channels/:c/messages/:m');
      json(res, 200, message(parts[3]!, channelId));
      return;
    }
  }
  // /webhooks/:app/:token[/messages/@original]
  if (parts[0] === 'webhooks' && parts.length >= 3) {
    const channelId = channelOfToken(parts[2]!);
    if (parts.length === 3 && method === 'POST') {
      count('POST /webhooks/:app/:token');
      json(res, 200, message(newId(), channelId));
      return;
    }
    if (parts.length === 5 && parts[3] === 'messages') {
      const id = parts[4] === '@original' ? `9${parts[2]!.replace(/\D/g, '').slice(-18).padStart(18, '0')}` : parts[4]!;
      if (method === 'GET' || method === 'PATCH') {
        count(`${method} /webhooks/:app/:token/messages/${parts[4] === '@original' ? '@original' : ':m'}`);
        json(res, 200, message(id, channelId));
        return;
      }
    }
  }
  if (parts[0] === 'interactions' && parts[3] === 'callback' && method === 'POST') {
    count('POST /interactions/:id/:token/callback');
    res.writeHead(204).end();
    return;
  }
  if (parts[0] === 'applications' && parts.at(-1) === 'commands' && method === 'PUT') {
    count('PUT /applications/:app/commands');
    let defs: unknown[] = [];
    try {
      const parsed = JSON.parse(body.toString('utf8')) as unknown;
      if (Array.isArray(parsed)) defs = parsed;
    } catch {
      // answer with an empty list
    }
    json(res, 200, defs.map((d) => ({ ...(d as object), id: newId(), application_id: APP_ID, version: newId() })));
    return;
  }
  if (path === '/gateway/bot' && method === 'GET') {
    count('GET /gateway/bot');
    json(res, 200, { url: 'ws://127.0.0.1:1', shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 } });
    return;
  }
  if (path === '/users/@me' && method === 'GET') {
    count('GET /users/@me');
    json(res, 200, { id: BOT_ID, username: 'saltbot', discriminator: '0', global_name: null, avatar: null, bot: true });
    return;
  }
  count(`unknown ${method} ${path.replace(/\d{17,20}/g, ':id')}`);
  json(res, 404, { message: '404: Not Found', code: 0 });
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => handle(req, res, Buffer.concat(chunks)));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.BENCH_SINK_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`sink listening ${(server.address() as AddressInfo).port}\n`);
});
const stop = (): void => {
  server.close();
  server.closeAllConnections();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Die with the parent (the bench) even if it is killed hard: it is gone once we are re-parented.
const parent = process.ppid;
// BENCH_ORPHAN_PIDS: processes the bench started before this one (redis-server), stopped with it.
setInterval(() => {
  if (process.ppid === parent) return;
  for (const pid of (process.env.BENCH_ORPHAN_PIDS ?? '').split(',').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGTERM');
    } catch {
      // already gone
    }
  }
  stop();
}, 1000).unref();
