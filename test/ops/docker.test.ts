/**
 * The container build without a Docker engine: the Dockerfile is linted (dockerfile-utils) and
 * checked for what production needs; compose.yaml's structure is checked; then the runtime
 * stage's steps run outside Docker — the files its COPY lines name (read from the Dockerfile, so
 * the two cannot drift) go into a temp dir, production dependencies are installed there with the
 * same `npm ci --omit=dev --ignore-scripts` (from the local npm cache), and `node dist/src/main.js`
 * runs there: a bad configuration exits 1 listing every problem; a valid one against the Discord
 * stand-in serves /healthz (checked with the Dockerfile's own HEALTHCHECK command) and /metrics.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { interactions, startStandin, type Standin } from '../standin/index.js';
import { sample, spawnNode, startBotProcess, stopAll, tempDir, type BotProcess } from '../support/botProcess.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Instructions (continuation lines joined, comments dropped), grouped by stage. */
function parseDockerfile(text: string): Stage[] {
  const logical: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (current === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) current += `${line.slice(0, -1).trim()} `;
    else {
      logical.push(current + line);
      current = '';
    }
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    if (instruction.keyword === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(instruction.args)!;
      stages.push({ from: m[1]!, name: m[2], instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1)!;
const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const workdir = (stage: Stage) => all(stage, 'WORKDIR').at(-1)?.args ?? '/';

interface CopyStep {
  from: string | undefined;
  sources: string[];
  dest: string;
}
function copies(stage: Stage): CopyStep[] {
  return all(stage, 'COPY').map((c) => {
    const words = c.args.split(/\s+/);
    const flags = words.filter((w) => w.startsWith('--'));
    const paths = words.filter((w) => !w.startsWith('--'));
    return { from: flags.find((f) => f.startsWith('--from='))?.slice('--from='.length), sources: paths.slice(0, -1), dest: paths.at(-1)! };
  });
}

describe('GIVEN the Dockerfile', () => {
  it('WHEN linted with dockerfile-utils THEN it has no problems', () => {
    expect(validate(dockerfile).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('WHEN read THEN it is multi-stage on Node 22 slim, installs production dependencies only, runs as node with a health check and an exec-form start', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages.map((s) => s.from)).toEqual(stages.map(() => 'node:22-bookworm-slim'));
    const build = stages.find((s) => s.name === 'build')!;
    expect(all(build, 'RUN').map((r) => r.args).join('\n')).toMatch(/npm ci[\s\S]*npm run build/);
    const runs = all(runtime, 'RUN').map((r) => r.args).join('\n');
    expect(runs).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(copies(runtime).filter((c) => c.from === 'build').map((c) => c.sources)).toEqual([['/app/dist']]);
    const env = all(runtime, 'ENV').map((e) => e.args).join(' ');
    expect(env).toMatch(/NODE_ENV=production/);
    const user = all(runtime, 'USER').at(-1)?.args;
    expect(user).toBe('node');
    expect(runs).toMatch(/chown node:node \/app\/data/);
    expect(all(runtime, 'VOLUME').map((v) => v.args).join(' ')).toContain('/app/data');
    expect(all(runtime, 'EXPOSE').map((e) => e.args)).toEqual(['3000']);
    const health = all(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    expect(health).toMatch(/CMD \["node", "-e", ".*\/healthz/);
    const cmd = all(runtime, 'CMD').at(-1)?.args;
    // Exec form, with the V8 heap flag npm start uses too (NODE_OPTIONS refuses it).
    expect(JSON.parse(cmd!)).toEqual(['node', '--heap-growing-percent=400', '--v8-pool-size=1', 'dist/src/main.js']);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start).toBe('node --max-semi-space-size=32 --heap-growing-percent=400 --v8-pool-size=1 dist/src/main.js');
  });

  it('WHEN the build context is filtered by .dockerignore THEN nothing the Dockerfile copies is excluded, and secrets and local data are', () => {
    const ignore = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    const copied = stages.flatMap((s) => copies(s).filter((c) => !c.from).flatMap((c) => c.sources));
    for (const source of copied) expect(ignore, source).not.toContain(source);
    expect(ignore).toEqual(expect.arrayContaining(['.env', 'node_modules', 'dist', 'data', '.git']));
  });
});

describe('GIVEN compose.yaml', () => {
  const compose = parseYaml(readFileSync(join(root, 'compose.yaml'), 'utf8')) as Record<string, any>;

  it('WHEN parsed THEN Redis keeps an append-only file in a volume and reports health with redis-cli ping', () => {
    const redis = compose.services.redis;
    expect(redis.image).toBe('redis:7-alpine');
    expect(redis.command.join(' ')).toContain('--appendonly yes');
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(redis.volumes).toEqual(['redis-data:/data']);
    expect(compose.volumes).toHaveProperty('redis-data');
  });

  it('WHEN parsed THEN the bot is built here, reads .env, uses that Redis, waits for it to be healthy, has a health check and restarts', () => {
    const bot = compose.services.bot;
    expect(bot.build).toBe('.');
    expect(bot.env_file).toBe('.env');
    expect(bot.environment.REDIS_URL).toBe('redis://redis:6379');
    expect(bot.depends_on).toEqual({ redis: { condition: 'service_healthy' } });
    expect(bot.healthcheck.test.join(' ')).toContain('/healthz');
    expect(bot.restart).toBe('unless-stopped');
    expect(bot.ports).toEqual(['3000:3000']);
  });
});

describe('GIVEN the runtime stage repeated outside Docker', () => {
  let dir: string;
  let standin: Standin;
  let installMs = 0;
  let installMode = '';

  beforeAll(async () => {
    dir = tempDir('image');
    const build = stages.find((s) => s.name === 'build')!;
    const appDir = workdir(runtime);
    // COPY --from=build <build workdir>/x → the local compiled x (test/setup compiled dist/).
    for (const step of copies(runtime)) {
      for (const source of step.sources) {
        const local = step.from ? posix.relative(workdir(build), source) : source;
        const target = join(dir, posix.relative(appDir, posix.resolve(appDir, step.dest)), step.sources.length > 1 || step.dest.endsWith('/') ? posix.basename(source) : '');
        cpSync(join(root, local), target, { recursive: true });
      }
    }
    mkdirSync(join(dir, 'data'));
    // The RUN's npm ci (not its `npm cache clean`), from the local cache.
    const npmCi = /npm ci [^&;]*/.exec(all(runtime, 'RUN').map((r) => r.args).join('\n'))![0].trim();
    const started = Date.now();
    const run = promisify(execFile);
    const args = npmCi.split(/\s+/).slice(1);
    try {
      await run('npm', [...args, '--offline'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' } });
      installMode = 'offline';
    } catch {
      await run('npm', [...args, '--prefer-offline'], { cwd: dir, env: { ...process.env, NODE_ENV: 'production' } });
      installMode = 'prefer-offline';
    }
    installMs = Date.now() - started;
    standin = await startStandin();
  }, 120_000);

  afterAll(() => stopAll({ standin, dir }));

  it('WHEN installed THEN only production dependencies are there (no devDependency, no compiler)', () => {
    console.info(`npm ci --omit=dev (${installMode}) in ${installMs} ms`);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path !== '' && p.dev).map(([path]) => path);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/typescript', 'node_modules/vitest']));
    for (const path of devOnly) expect(existsSync(join(dir, path)), path).toBe(false);
    for (const dep of Object.keys(pkg.dependencies)) expect(existsSync(join(dir, 'node_modules', dep)), dep).toBe(true);
    expect(existsSync(join(dir, 'dist/src/main.js'))).toBe(true);
    expect(existsSync(join(dir, 'test'))).toBe(false);
  });

  it('WHEN started with a bad configuration THEN it exits 1 listing every problem', async () => {
    const { exited, stderr } = spawnNode('dist/src/main.js', { NODE_ENV: 'production', SALT_TRANSPORT: 'http', PORT: 'eighty' }, dir);
    expect(await exited).toBe(1);
    const text = stderr.join('');
    expect(text).toContain('DISCORD_TOKEN: is required');
    expect(text).toContain('DISCORD_APPLICATION_ID: is required');
    expect(text).toContain('DISCORD_PUBLIC_KEY: is required when SALT_TRANSPORT=http');
    expect(text).toMatch(/PORT:/);
  });

  it('WHEN started with a valid configuration THEN /healthz answers 200 (the HEALTHCHECK command exits 0) and /metrics lists the metrics', async () => {
    let bot: BotProcess | undefined;
    try {
      // As the image's CMD starts it: node <flags> dist/src/main.js.
      const cmd = JSON.parse(all(runtime, 'CMD').at(-1)!.args) as string[];
      bot = await startBotProcess({ standin, dir, script: cmd.at(-1)!, nodeArgs: cmd.slice(1, -1), env: { NODE_ENV: 'production' } });
      const health = await bot.health();
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', store: { kind: 'file', ok: true } });
      const healthcheck = JSON.parse(/CMD (\[.*\])$/.exec(all(runtime, 'HEALTHCHECK').at(-1)!.args)![1]!) as string[];
      const probe = spawnSync(healthcheck[0]!, healthcheck.slice(1), { cwd: dir, env: { PATH: process.env.PATH, PORT: String(bot.port) }, timeout: 10_000 });
      expect(probe.status).toBe(0);

      const answer = await bot.post(interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never }));
      expect(answer.status).toBe(200);
      const metrics = await (await fetch(`${bot.url}/metrics`)).text();
      expect(sample(metrics, 'saltbot_interactions_total', { type: 'command', outcome: 'ok' })).toBe(1);
      for (const name of ['saltbot_interaction_duration_seconds_bucket', 'saltbot_store_operation_duration_seconds_bucket', 'saltbot_store_cas_retries_total', 'saltbot_votes_open', 'saltbot_process_resident_memory_bytes']) {
        expect(metrics).toContain(name);
      }
      expect(bot.lines.find((l) => l.msg === 'interaction')).toMatchObject({ type: 'command', command: 'salt new', outcome: 'ok' });
      expect((await bot.term()).code).toBe(0);
    } finally {
      await bot?.term();
    }
  });
});
