/**
 * `npm run bench:bound` (a diagnostic, not a test): how close to the PING floor can any saltbot get
 * on this machine? Drives bench/boundServer.ts, a stub that does only the irreducible work per
 * interaction (signature check, JSON parse, one Redis round trip, a reply of the bot's size), with
 * the same signed requests, connections and mix as `npm run bench` (70 % modal submits, 20 % vote
 * picks, 10 % show/publish over 200 channels), and prints its throughput, its CPU per interaction and
 * its mix/floor ratio: the ceiling for the bot's own ratio.
 *
 *   npm run bench:bound            (BENCH_PHASE_S, default 10 s per phase)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { freePort } from '../test/support/redis.js';
import * as w from './workload.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_PHASE_S ?? 10);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));


function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function start(cmd: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  return child;
}

async function untilReady(child: ChildProcess, what: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start`)), 15_000);
    child.stdout!.on('data', (c: Buffer) => {
      if (/ready/i.test(c.toString())) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}`)));
  });
}

async function fire(url: string, pool: w.SignedRequest[], pids: { stub: number; redis: number }) {
  let next = 0;
  const before = { stub: cpuSeconds(pids.stub), redis: cpuSeconds(pids.redis) };
  const result = await new Promise<Record<string, any>>((resolve, reject) => {
    autocannon(
      {
        url,
        connections: 50,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/interactions',
            setupRequest: (req: Record<string, unknown>) => {
              const r = pool[next++ % pool.length]!;
              return { ...req, headers: r.headers, body: r.body };
            },
          },
        ],
      },
      (error: unknown, r: Record<string, any>) => (error ? reject(error) : resolve(r)),
    );
  });
  const n = Number(result.requests.total);
  if (Number(result.non2xx) > 0 || Number(result.errors) > 0) throw new Error(`the stub failed ${result.non2xx} + ${result.errors} requests`);
  return {
    rps: n / Number(result.duration),
    p99: Number(result.latency.p99),
    bytesPerReply: Math.round(Number(result.throughput.total) / n),
    stubCpuMs: ((cpuSeconds(pids.stub) - before.stub) * 1000) / n,
    redisCpuMs: ((cpuSeconds(pids.redis) - before.redis) * 1000) / n,
  };
}

const signer = w.createSigner();
const ping = Array.from({ length: 1000 }, () => signer.sign(w.ping(), 'ping'));
const mix: w.SignedRequest[] = [];
for (let i = 0; i < 4000; i++) {
  const channel = w.channelId(i % 200);
  const member = i % 50;
  const r = i % 20;
  if (r < 14) mix.push(signer.sign(w.formSubmit(channel, member, w.FORMS[i % w.FORMS.length]!, 1, i), 'form', channel));
  else if (r < 18) mix.push(signer.sign(w.votePick(channel, member, 's1:vote:bench', w.VOTE_OPTIONS[i % 3]!), 'vote', channel));
  else if (r === 18) mix.push(signer.sign(w.saltShow(channel, member), 'show', channel));
  else mix.push(signer.sign(w.saltPublish(channel, member), 'publish', channel));
}

const redisPort = await freePort();
const redis = start('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
await untilReady(redis, 'redis-server');
process.stdout.write(`saltbot bench:bound — ${new Date().toISOString()} — the lower-bound stub (bench/boundServer.ts), ${SECONDS} s per phase\n`);
for (const mode of ['reply', 'cas'] as const) {
  const port = await freePort();
  const stub = start(process.execPath, ['--import', 'tsx', 'bench/boundServer.ts'], {
    MODE: mode,
    PORT: String(port),
    PUBLIC_KEY: signer.publicKeyHex,
    REDIS_URL: `redis://127.0.0.1:${redisPort}`,
  });
  await untilReady(stub, 'the stub');
  const url = `http://127.0.0.1:${port}`;
  const pids = { stub: stub.pid!, redis: redis.pid! };
  await fire(url, mix.slice(0, 500), pids).catch(() => undefined); // warm-up
  await sleep(200);
  const floor = await fire(url, ping, pids);
  const m = await fire(url, mix, pids);
  const f = (x: number) => x.toFixed(3);
  process.stdout.write(
    `${mode === 'cas' ? 'stub + one Redis round trip' : 'stub, reply only (no Redis)'}: floor ${Math.round(floor.rps)}/s (${f(floor.stubCpuMs)} ms CPU each), ` +
      `mix ${Math.round(m.rps)}/s p99 ${m.p99} ms, ${m.bytesPerReply} B/reply, ${f(m.stubCpuMs)} ms CPU each (Redis ${f(m.redisCpuMs)}): mix/floor ${Math.round((m.rps / floor.rps) * 100)} %\n`,
  );
  stub.kill('SIGKILL');
  await sleep(300);
}
redis.kill('SIGKILL');
process.exit(0);
