/**
 * The real bot process (`node dist/src/main.js`, as `npm start` runs it) for tests: spawned with
 * an environment pointing at the Discord stand-in, ready once its HTTP server answers /healthz,
 * with its JSON log lines collected and helpers to kill it hard (SIGKILL) or stop it (SIGTERM),
 * to deliver interactions over its transport, and readers of the payloads it sends.
 *
 *   const bot = await startBotProcess({ standin, dir, transport: 'gateway', env: { REDIS_URL } });
 *   bot.url, bot.lines, await bot.health(), await bot.send(ix), await bot.post(ix),
 *   await bot.kill9(), await bot.term() // → { code, ms }
 *   const run = spawnNode(script, env, cwd); await run.exited // any node entry, no defaults
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IDS, type RecordedCallback, type Standin } from '../standin/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BOT_MAIN = join(root, 'dist/src/main.js');

export type Json = Record<string, any>;

/** A node process with its stdout JSON lines collected. */
export interface NodeProcess {
  readonly child: ChildProcess;
  /** Parsed JSON log lines (non-JSON lines as `{ level: 'raw', msg }`). */
  readonly lines: Json[];
  readonly stderr: string[];
  readonly exited: Promise<number | null>;
  readonly alive: boolean;
  /** SIGKILL, resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code and how long the exit took (SIGKILL after `timeoutMs`). */
  term(timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
  /** All output so far (log lines, then stderr), for failure messages. */
  dump(): string;
}

export interface BotProcess extends NodeProcess {
  readonly transport: 'http' | 'gateway';
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  /** GET /healthz: status and parsed body. */
  health(): Promise<{ status: number; body: Json }>;
  /** Signs and POSTs an interaction to /interactions (as Discord does); the answer and how long it took. */
  post(interaction: unknown): Promise<{ status: number; body: Json; ms: number }>;
  /**
   * Delivers an interaction over the bot's transport (gateway: dispatched by the stand-in; HTTP:
   * posted; anything but 200 throws) and resolves with the bot's first response to it.
   */
  send(interaction: { id: string }, timeoutMs?: number): Promise<RecordedCallback>;
}

export interface StartBotOptions {
  standin: Standin;
  /** Working directory (and HOME) of the process. */
  dir: string;
  /** SALT_TRANSPORT (default 'http'). */
  transport?: 'http' | 'gateway';
  /** Extra environment (REDIS_URL, NODE_ENV, …); wins over the defaults, `undefined` drops one. */
  env?: Record<string, string | undefined>;
  /** The entry to run (default dist/src/main.js; a relative path is taken from `dir`). */
  script?: string;
  /** Node flags before the script (e.g. the Docker image's CMD flags). */
  nodeArgs?: readonly string[];
  /** Fixed port (default 0 = any free one). */
  port?: number;
  /** How long start-up may take (default 15 s). */
  timeoutMs?: number;
}

const exitedAlready = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** Spawns `node <script>` in `cwd` with only PATH, HOME=cwd and `env`, collecting its output. */
export function spawnNode(script: string, env: Record<string, string>, cwd: string, nodeArgs: readonly string[] = []): NodeProcess {
  const child = spawn(process.execPath, [...nodeArgs, script], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Json[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        lines.push(JSON.parse(line) as Json);
      } catch {
        lines.push({ level: 'raw', msg: line });
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
  return {
    child,
    lines,
    stderr,
    exited,
    get alive() {
      return !exitedAlready(child);
    },
    async kill9() {
      if (exitedAlready(child)) return;
      child.kill('SIGKILL');
      await exited;
    },
    async term(timeoutMs = 12_000) {
      const started = performance.now();
      if (exitedAlready(child)) return { code: child.exitCode, ms: 0 };
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Math.round(performance.now() - started) };
    },
    dump: () => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('')}`,
  };
}

/** The environment of a bot against the stand-in (before `o.env`). */
function botEnv(o: StartBotOptions): Record<string, string> {
  const env: Record<string, string | undefined> = {
    NODE_ENV: 'test',
    DISCORD_TOKEN: o.standin.token,
    DISCORD_APPLICATION_ID: o.standin.applicationId,
    DISCORD_PUBLIC_KEY: o.standin.publicKeyHex,
    DISCORD_GUILD_ID: DEFAULT_IDS.guild,
    DISCORD_API_URL: o.standin.apiBase,
    SALT_TRANSPORT: o.transport ?? 'http',
    PORT: String(o.port ?? 0),
    HOST: '127.0.0.1',
    SALT_DATA_FILE: join(o.dir, 'data', 'saltbot.json'),
    LOG_LEVEL: 'info',
    ...o.env,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Starts the bot and waits until it logged that it runs and its /healthz answers 200. */
export async function startBotProcess(o: StartBotOptions): Promise<BotProcess> {
  const proc = spawnNode(o.script ?? BOT_MAIN, botEnv(o), o.dir, o.nodeArgs);
  const { child, lines } = proc;
  const standin = o.standin;
  const deadline = Date.now() + (o.timeoutMs ?? 15_000);
  let port: number | undefined;
  for (;;) {
    if (exitedAlready(child)) throw new Error(`bot exited with ${child.exitCode ?? child.signalCode} during start-up:\n${proc.dump()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bot not ready in time:\n${proc.dump()}`);
    }
    port ??= lines.find((l) => l.msg !== undefined && typeof l.port === 'number')?.port as number | undefined;
    if (port !== undefined && lines.some((l) => l.msg === 'saltbot is running')) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const url = `http://127.0.0.1:${port}`;
  const transport = o.transport ?? 'http';
  const post = async (interaction: unknown) => {
    const started = performance.now();
    const res = await standin.postInteractionHttp(`${url}/interactions`, interaction);
    return { status: res.status, body: res.body as Json, ms: performance.now() - started };
  };
  return Object.assign(proc, {
    transport,
    port,
    url,
    async health() {
      const res = await fetch(`${url}/healthz`);
      return { status: res.status, body: (await res.json()) as Json };
    },
    post,
    async send(interaction: { id: string }, timeoutMs = transport === 'gateway' ? 10_000 : 1000) {
      if (transport === 'gateway') standin.sendInteraction(interaction as never);
      else {
        const res = await post(interaction);
        if (res.status !== 200) throw new Error(`POST /interactions answered ${res.status}, expected 200: ${JSON.stringify(res.body)}`);
      }
      return standin.waitForCallback((c) => c.interactionId === interaction.id, timeoutMs);
    },
  });
}

/** A fresh temp directory named `saltbot-<name>-…`. */
export const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `saltbot-${name}-`));

/** Tear-down in order: SIGTERM the bots, close the stand-in, stop Redis, remove the temp dir (each if there). */
export async function stopAll(o: { bots?: (NodeProcess | undefined)[]; standin?: Standin; redis?: { stop(): Promise<unknown> }; dir?: string }): Promise<void> {
  await Promise.all((o.bots ?? []).map((b) => b?.term()));
  await o.standin?.close();
  await o.redis?.stop();
  if (o.dir) rmSync(o.dir, { recursive: true, force: true });
}

// ---- Readers of the bot's raw payloads. ------------------------------------------------------------

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) node.forEach((x) => walk(x, visit));
  else if (node && typeof node === 'object') {
    visit(node as Json);
    for (const v of Object.values(node as Json)) if (v && typeof v === 'object') walk(v, visit);
  }
}

/** Every custom_id in a component tree. */
export function customIds(components: unknown): string[] {
  const out: string[] = [];
  walk(components, (n) => typeof n.custom_id === 'string' && out.push(n.custom_id));
  return out;
}

/** The content and every text display of a message body. */
export function textOf(message: { components?: unknown; content?: string } | undefined): string {
  const out: string[] = [message?.content ?? ''];
  walk(message?.components, (n) => typeof n.content === 'string' && out.push(n.content));
  return out.join('\n');
}

/**
 * What a member would submit for a modal: each text input keeps its prefilled value (or gets a
 * plausible one when required and empty), each select keeps its defaults (or takes its first
 * option when required); `overrides` (by custom_id, or by a substring of it) win.
 */
export function fillModal(modal: Json, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const top of modal.components as Json[]) {
    const input = (top.type === 18 ? top.component : top.type === 1 ? top.components?.[0] : undefined) as Json | undefined;
    if (!input || typeof input.custom_id !== 'string') continue;
    const id = input.custom_id as string;
    const override = overrides[id] ?? Object.entries(overrides).find(([k]) => id.includes(k))?.[1];
    if (override !== undefined) values[id] = override;
    else if (input.type === 4) values[id] = typeof input.value === 'string' ? input.value : input.required ? 'test' : '';
    else if (input.type === 3) {
      const defaults = (input.options as Json[]).filter((o) => o.default).map((o) => String(o.value));
      const min = typeof input.min_values === 'number' ? input.min_values : 1;
      values[id] = defaults.length > 0 ? defaults : min > 0 || input.required ? [String((input.options as Json[])[0]?.value)] : [];
    }
  }
  return values;
}

/** The Prometheus sample value of `name` whose labels include `labels`. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
