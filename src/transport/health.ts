/**
 * The operations endpoints, shared by both transports (the HTTP transport's server, and the
 * gateway transport's small side server):
 *
 *   GET /healthz  200 `{ status: 'ok', store: { kind, pingMs } }` when the store answers,
 *                 503 `{ status: 'degraded', … }` when it does not (or the gateway is down).
 *   GET /metrics  Prometheus text exposition (src/metrics.ts), when metrics are configured.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../store/index.js';

export interface HealthDeps {
  readonly store: Pick<Store, 'kind' | 'ping'>;
  /** Extra components (e.g. `{ gateway: { ok, status } }`); any `ok: false` makes the answer 503. */
  readonly extra?: () => Record<string, { ok: boolean; [k: string]: unknown }>;
  /** Bound for the store ping (default 2 s). */
  readonly pingTimeoutMs?: number;
  /** Served at GET /metrics (404 when absent). */
  readonly metrics?: { render(): Promise<{ contentType: string; body: string }> };
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

export async function handleMetrics(req: IncomingMessage, res: ServerResponse, metrics: NonNullable<HealthDeps['metrics']>): Promise<void> {
  const { contentType, body } = await metrics.render();
  res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Answers GET/HEAD /healthz and /metrics; returns false (and leaves the response alone) for any
 * other request.
 */
export function serveOps(req: IncomingMessage, res: ServerResponse, deps: HealthDeps): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = (req.url ?? '/').split('?')[0];
  const fail = (): void => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
    else res.destroy();
  };
  if (path === '/healthz') {
    void handleHealth(req, res, deps).catch(fail);
    return true;
  }
  if (path === '/metrics' && deps.metrics) {
    void handleMetrics(req, res, deps.metrics).catch(fail);
    return true;
  }
  return false;
}

/** A minimal server answering only GET/HEAD /healthz and /metrics (the gateway transport's side port). */
export function healthOnly(deps: HealthDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (serveOps(req, res, deps)) return;
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  };
}
