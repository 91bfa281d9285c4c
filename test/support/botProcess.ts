/**
 * The real bot process (`node dist/src/main.js`, as `npm start` runs it) for tests: spawned with
 * an environment pointing at the Discord stand-in, ready once its HTTP server answers /healthz,
 * with its JSON log lines collected and helpers to kill it hard (SIGKILL) or stop it (SIGTERM).
 *
 *   const bot = await startBotProcess({ standin, dir, env: { SALT_TRANSPORT: 'http', REDIS_URL } });
 *   bot.url, bot.lines, await bot.health(), await bot.kill9(), await bot.term() // → { code, ms }
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_IDS, type Standin } from '../standin/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const BOT_MAIN = join(root, 'dist/src/main.js');

type Json = Record<string, any>;

export interface BotProcess {
  readonly child: ChildProcess;
  /** Parsed JSON log lines (non-JSON lines as `{ level: 'raw', msg }`). */
  readonly lines: Json[];
  readonly stderr: string[];
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly exited: Promise<number | null>;
  readonly alive: boolean;
  /** GET /healthz: status and parsed body. */
  health(): Promise<{ status: number; body: Json }>;
  /** SIGKILL, resolves once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM; resolves with the exit code and how long the exit took (SIGKILL after `timeoutMs`). */
  term(timeoutMs?: number): Promise<{ code: number | null; ms: number }>;
  /** All log output so far, for failure messages. */
  dump(): string;
}

export interface StartBotOptions {
  standin: Standin;
  /** Working directory (and HOME) of the process. */
  dir: string;
  /** Extra environment (SALT_TRANSPORT, REDIS_URL, SALT_DATA_FILE, …); wins over the defaults. */
  env?: Record<string, string>;
  /** Fixed port (default 0 = any free one). */
  port?: number;
  /** How long start-up may take (default 15 s). */
  timeoutMs?: number;
}

/** Starts the bot and waits until it logged that it runs and its /healthz answers 200. */
export async function startBotProcess(o: StartBotOptions): Promise<BotProcess> {
  const child = spawn(process.execPath, [BOT_MAIN], {
    cwd: o.dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: o.dir,
      NODE_ENV: 'test',
      DISCORD_TOKEN: o.standin.token,
      DISCORD_APPLICATION_ID: o.standin.applicationId,
      DISCORD_PUBLIC_KEY: o.standin.publicKeyHex,
      DISCORD_GUILD_ID: DEFAULT_IDS.guild,
      DISCORD_API_URL: o.standin.apiBase,
      SALT_TRANSPORT: 'http',
      PORT: String(o.port ?? 0),
      HOST: '127.0.0.1',
      SALT_DATA_FILE: join(o.dir, 'data', 'saltbot.json'),
      LOG_LEVEL: 'info',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  const dump = () => `${lines.map((l) => JSON.stringify(l)).join('\n')}\n${stderr.join('')}`;

  const deadline = Date.now() + (o.timeoutMs ?? 15_000);
  let port: number | undefined;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`bot exited with ${child.exitCode ?? child.signalCode} during start-up:\n${dump()}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`bot not ready in time:\n${dump()}`);
    }
    port ??= lines.find((l) => l.msg !== undefined && typeof l.port === 'number')?.port as number | undefined;
    if (port !== undefined && lines.some((l) => l.msg === 'saltbot is running')) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    child,
    lines,
    stderr,
    port,
    url,
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async health() {
      const res = await fetch(`${url}/healthz`);
      return { status: res.status, body: (await res.json()) as Json };
    },
    async kill9() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async term(timeoutMs = 12_000) {
      const started = performance.now();
      if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, ms: 0 };
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, ms: Math.round(performance.now() - started) };
    },
    dump,
  };
}
