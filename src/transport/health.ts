/**
 * GET /healthz, shared by both transports: 200 `{ status: 'ok', store: { kind, pingMs } }` when
 * the store answers, 503 `{ status: 'degraded', … }` when it does not (or the gateway is down).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/index.js';

export interface HealthDeps {
  readonly store: Pick<Store, 'kind' | 'ping'>;
  /** Extra components (e.g. `{ gateway: { ok, status } }`); any `ok: false` makes the answer 503. */
  readonly extra?: () => Record<string, { ok: boolean; [k: string]: unknown }>;
  /** Bound for the store ping (default 2 s). */
  readonly pingTimeoutMs?: number;
}

export async function healthReport(deps: HealthDeps): Promise<{ status: number; body: Record<string, unknown> }> {
  let store: Record<string, unknown>;
  let ok = true;
  try {
    const timeoutMs = deps.pingTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    const pingMs = await Promise.race([
      deps.store.ping(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    store = { kind: deps.store.kind, ok: true, pingMs: Math.round(pingMs * 100) / 100 };
  } catch (error) {
    ok = false;
    store = { kind: deps.store.kind, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  const extra = deps.extra?.() ?? {};
  if (Object.values(extra).some((c) => !c.ok)) ok = false;
  return { status: ok ? 200 : 503, body: { status: ok ? 'ok' : 'degraded', store, ...extra } };
}

export async function handleHealth(req: IncomingMessage, res: ServerResponse, deps: HealthDeps): Promise<void> {
  const { status, body } = await healthReport(deps);
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text) });
  res.end(req.method === 'HEAD' ? undefined : text);
}

/** A minimal server answering only GET/HEAD /healthz (the gateway transport's side port). */
export function healthOnly(deps: HealthDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && (req.method === 'GET' || req.method === 'HEAD')) {
      void handleHealth(req, res, deps).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  };
}
