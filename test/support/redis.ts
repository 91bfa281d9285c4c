/**
 * Starts a throw-away redis-server on a free loopback port, in its own temp dir.
 * Fails loudly (never skips) when redis-server is not installed.
 *
 *   const redis = await startRedis();            // no persistence
 *   const redis = await startRedis({ persist: true }); // AOF (fsync always): data survives kill()+restart()
 *   redis.url, redis.port, await redis.kill(), await redis.restart(), redis.pause(), redis.resume(), await redis.stop()
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RedisServer {
  url: string;
  port: number;
  /** SIGTERM, wait for exit, remove the temp dir. */
  stop(): Promise<void>;
  /** SIGKILL (an outage), wait for exit; the temp dir stays for restart(). */
  kill(): Promise<void>;
  /** Starts again on the same port and dir. */
  restart(): Promise<void>;
  /** SIGSTOP: the server keeps its sockets open but stops answering (a frozen host). */
  pause(): void;
  /** SIGCONT after pause(). */
  resume(): void;
}

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

function requireRedisServer(): void {
  const probe = spawnSync(REDIS_SERVER, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `redis-server is required for the Redis store tests but could not be run (${probe.error?.message ?? probe.stderr}). ` +
        'Install it (apt-get install -y redis-server) or set REDIS_SERVER to its path.',
    );
  }
}

/** A TCP port free on 127.0.0.1 right now (the bench uses it too). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One raw PING over TCP; true on +PONG. */
function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedis(options: { persist?: boolean } = {}): Promise<RedisServer> {
  requireRedisServer();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'saltbot-redis-'));
  const port = await freePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''];
  args.push(...(options.persist ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no']));
  let child: ChildProcess | undefined;
  let log = '';

  async function launch(): Promise<void> {
    log = '';
    const proc = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    proc.stdout?.on('data', (chunk) => (log = (log + chunk.toString()).slice(-4000)));
    proc.stderr?.on('data', (chunk) => (log = (log + chunk.toString()).slice(-4000)));
    const spawnError = new Promise<Error>((resolve) => proc.once('error', resolve));
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(r, 50))]);
      if (failed) throw new Error(`could not start ${REDIS_SERVER}: ${failed.message}`);
      if (proc.exitCode !== null) throw new Error(`redis-server exited with ${proc.exitCode}:\n${log}`);
      if (await pingOnce(port)) return;
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server on port ${port} did not answer PING within 10 s:\n${log}`);
  }

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child) {
        child.kill('SIGCONT');
        child.kill('SIGTERM');
        await exited(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      if (child) {
        child.kill('SIGKILL');
        await exited(child);
      }
    },
    pause() {
      child?.kill('SIGSTOP');
    },
    resume() {
      child?.kill('SIGCONT');
    },
    async restart() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited(child);
      }
      await launch();
    },
  };
}
