/**
 * Runs a real bot process (`node dist/src/main.js`, or any entry) and collects its JSON log lines.
 * Resolves once it logged "saltbot is running" and the port it listens on.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export type Json = Record<string, any>;

export interface BotProcess {
  child: ChildProcess;
  lines: Json[];
  stderr: string[];
  port: number;
  url: string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** Spawns `node <script>` and collects stdout JSON lines; returns when `ready(lines)` or exit. */
export function spawnNode(script: string, env: Record<string, string>, cwd: string, node = process.execPath) {
  const child = spawn(node, [script], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
  return { child, lines, stderr, exited };
}

export async function startBotProcess(script: string, env: Record<string, string>, cwd: string, timeoutMs = 15_000): Promise<BotProcess> {
  const { child, lines, stderr, exited } = spawnNode(script, env, cwd);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bot did not start:\n${JSON.stringify(lines, null, 1)}\n${stderr.join('')}`)), timeoutMs);
    const poll = setInterval(() => {
      const running = lines.find((l) => l.msg === 'saltbot is running');
      const listening = lines.find((l) => typeof l.port === 'number');
      if (running && listening) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(listening.port as number);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`bot exited with ${code} during start-up:\n${JSON.stringify(lines, null, 1)}\n${stderr.join('')}`));
    });
  });
  return {
    child,
    lines,
    stderr,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 12_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** The Prometheus sample value of `name` whose labels include `labels`. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}
