/**
 * The `saltbot` CLI, run as the real binary (`node bin/saltbot.js …`, compiled by the global
 * setup) from a temporary directory, so nothing depends on the current directory.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltinPreset, loadBuiltinPresets } from '../../src/domain/presets.js';
import { specInput } from '../fixtures/spec.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'saltbot.js');

let work: string;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function saltbot(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Run {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, SALTBOT_DEBUG: '', ...options.env },
    timeout: 15_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function writeJson(name: string, value: unknown): string {
  writeFileSync(join(work, name), `${JSON.stringify(value, null, 2)}\n`);
  return name;
}

/** Asserts the invalid-input contract: exit 2, nothing on stdout, every stderr line prefixed. */
function expectInvalid(run: Run): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim()).not.toBe('');
  for (const line of run.stderr.trimEnd().split('\n')) expect(line).toMatch(/^saltbot: /);
  expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'saltbot-cli-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('saltbot render', () => {
  it('GIVEN the calling preset WHEN rendered THEN the prompt states tempo, key, sidechain, drop timestamp and every layer', () => {
    const run = saltbot(['render', '--preset', 'calling']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('126');
    expect(run.stdout).toMatch(/126 BPM|BPM: 126/);
    expect(run.stdout).toContain('A minor');
    expect(run.stdout).toContain('7 dB');
    expect(run.stdout).toContain('350 ms');
    expect(run.stdout).toMatch(/bar 17\b[^\n]*0:30\.5/i);
    const preset = getBuiltinPreset('calling');
    expect(preset?.spec.layers.length).toBeGreaterThan(0);
    for (const layer of preset!.spec.layers) expect(run.stdout).toContain(layer.id);
  });

  it('GIVEN --compact 200 WHEN rendering the calling preset THEN the prompt fits in 200 characters', () => {
    const run = saltbot(['render', '--preset', 'calling', '--compact', '200']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const prompt = run.stdout.replace(/\n$/, '');
    expect(prompt.length).toBeGreaterThan(0);
    expect(prompt.length).toBeLessThanOrEqual(200);
  });

  it('GIVEN --cot and --anchor WHEN rendering THEN the prompt grows by the preamble and the anchor', () => {
    const plain = saltbot(['render', '--preset', 'calling']);
    const cot = saltbot(['render', '--preset', 'calling', '--cot']);
    const anchor = saltbot(['render', '--preset', 'calling', '--anchor']);

    expect(cot.status).toBe(0);
    expect(anchor.status).toBe(0);
    expect(cot.stdout.length).toBeGreaterThan(plain.stdout.length);
    expect(anchor.stdout.length).toBeGreaterThan(plain.stdout.length);
    expect(anchor.stdout).toContain('Calling (Lose My Mind)');
  });

  it('GIVEN a spec file in the current directory WHEN rendered by relative path THEN it prints its prompt', () => {
    const file = writeJson('drop.json', specInput());

    const run = saltbot(['render', file]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('128');
    expect(run.stdout).toContain('F minor');
    expect(run.stdout).toContain('foundation_saw');
    expect(run.stdout).toContain('supersaw_core');
  });

  it('GIVEN a preset file WHEN rendered THEN its spec is used', () => {
    const preset = getBuiltinPreset('calling')!;
    const file = writeJson('shared-preset.json', preset);

    const fromFile = saltbot(['render', file]);
    const builtin = saltbot(['render', '--preset', 'calling']);

    expect(fromFile.status).toBe(0);
    expect(fromFile.stdout).toBe(builtin.stdout);
  });

  it('GIVEN a spec on standard input WHEN rendering "-" THEN it is read from stdin', () => {
    const run = saltbot(['render', '-'], { input: JSON.stringify(specInput()) });

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('F minor');
  });

  it('GIVEN a spec with BPM 500 WHEN rendered THEN exit 2, stdout empty, stderr names track.bpm and the file', () => {
    const file = writeJson('fast.json', specInput({ track: { bpm: 500, key: 'A minor', style: 'house', references: [] } }));

    const run = saltbot(['render', file]);

    expectInvalid(run);
    expect(run.stderr).toContain('saltbot: fast.json: track.bpm: must be at most 200');
  });

  it('GIVEN several problems WHEN rendered THEN each is on its own line with its field path', () => {
    const input = specInput({ track: { bpm: 20, key: 'H major', style: 'house', references: [] } });
    const file = writeJson('broken.json', input);

    const run = saltbot(['render', file]);

    expectInvalid(run);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.some((l) => l.startsWith('saltbot: broken.json: track.bpm: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('saltbot: broken.json: track.key: '))).toBe(true);
  });

  it('GIVEN bad JSON WHEN rendered (file or stdin) THEN exit 2 with "not valid JSON" and nothing on stdout', () => {
    writeFileSync(join(work, 'bad.json'), '{ "version": 1, ');

    const fromFile = saltbot(['render', 'bad.json']);
    const fromStdin = saltbot(['render', '-'], { input: 'not json' });

    expectInvalid(fromFile);
    expect(fromFile.stderr).toMatch(/^saltbot: bad\.json: is not valid JSON/);
    expectInvalid(fromStdin);
    expect(fromStdin.stderr).toMatch(/^saltbot: <stdin>: is not valid JSON/);
  });

  it('GIVEN an unknown preset WHEN rendered THEN exit 2 and stderr lists the available presets', () => {
    const run = saltbot(['render', '--preset', 'no-such-preset']);

    expectInvalid(run);
    expect(run.stderr).toContain('no-such-preset');
    const names = loadBuiltinPresets().map((p) => p.name);
    expect(names).toContain('calling');
    for (const name of names) expect(run.stderr).toContain(name);
  });

  it('GIVEN a missing file or a directory WHEN rendered THEN exit 2 with a clear message', () => {
    const missing = saltbot(['render', 'nope.json']);
    const directory = saltbot(['render', '.']);

    expectInvalid(missing);
    expect(missing.stderr).toBe('saltbot: nope.json: cannot read the file (no such file)\n');
    expectInvalid(directory);
    expect(directory.stderr).toContain('cannot read the file');
  });

  it.each([
    [['render', '--preset', 'calling', '--compact', '0'], '--compact'],
    [['render', '--preset', 'calling', '--compact', '5'], 'at least'],
    [['render', '--preset', 'calling', '--compact', 'abc'], '--compact'],
    [['render', '--preset', 'calling', '--compact=-5'], '--compact'],
    [['render', '--preset', 'calling', '--compact'], '--compact'],
    [['render', '--preset', 'calling', '--bogus'], '--bogus'],
    [['render'], 'spec file'],
    [['render', 'a.json', 'b.json'], 'one spec file'],
    [['render', 'a.json', '--preset', 'calling'], 'not both'],
    [['render', '--preset', 'calling', '--compact', '100', '--cot'], '--cot'],
  ])('GIVEN bad usage %j WHEN run THEN exit 2 and stderr mentions %s', (args, mention) => {
    const run = saltbot(args);

    expectInvalid(run);
    expect(run.stderr).toContain(mention);
  });
});

describe('saltbot lint', () => {
  it('GIVEN a 500 ms release at 128 BPM WHEN linted THEN exit 0 and a warning mentions 500', () => {
    const file = writeJson('slow-release.json', specInput({ sidechain: { duckDb: 7, attackMs: 2, releaseMs: 500, ratio: 4 } }));

    const run = saltbot(['lint', file]);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const warnings = run.stdout.split('\n').filter((l) => l.startsWith('warning '));
    expect(warnings.some((l) => l.includes('500'))).toBe(true);
    expect(warnings.some((l) => l.includes('sidechain.releaseMs'))).toBe(true);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^slow-release\.json: .*warning/);
  });

  it('GIVEN the same spec WHEN linted with --strict THEN exit 1 with the findings still on stdout', () => {
    const file = writeJson('slow-release.json', specInput({ sidechain: { duckDb: 7, attackMs: 2, releaseMs: 500, ratio: 4 } }));

    const run = saltbot(['lint', file, '--strict']);

    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^warning \S+ sidechain\.releaseMs: .*500/m);
  });

  it('GIVEN --json WHEN linting THEN stdout is JSON with the findings and counts', () => {
    const input = JSON.stringify(specInput({ sidechain: { duckDb: 7, attackMs: 2, releaseMs: 500, ratio: 4 } }));

    const run = saltbot(['lint', '-', '--json'], { input });

    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { passed: boolean; counts: { warning: number }; findings: { severity: string; path: string | null; message: string }[] };
    expect(body.passed).toBe(true);
    expect(body.counts.warning).toBeGreaterThan(0);
    expect(body.findings.some((f) => f.severity === 'warning' && f.path === 'sidechain.releaseMs' && f.message.includes('500'))).toBe(true);
  });

  it('GIVEN the calling preset WHEN linted strictly THEN it passes', () => {
    const run = saltbot(['lint', '--preset', 'calling', '--strict']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('GIVEN an invalid spec WHEN linted THEN exit 2, stdout empty, stderr names track.bpm', () => {
    const file = writeJson('invalid.json', specInput({ track: { bpm: 201, key: 'A minor', style: 'house', references: [] } }));

    const run = saltbot(['lint', file, '--json']);

    expectInvalid(run);
    expect(run.stderr).toContain('invalid.json: track.bpm: must be at most 200');
  });
});

describe('saltbot timing', () => {
  it('GIVEN 128 BPM WHEN timing is asked THEN it prints the beat, the bar, the release window, note values and bar timestamps', () => {
    const run = saltbot(['timing', '--bpm', '128']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('468.75');
    expect(run.stdout).toContain('1875');
    expect(run.stdout).toMatch(/328\.13?-375 ms/);
    for (const note of ['1/4', '1/8', '1/4.', '1/8T']) expect(run.stdout).toContain(note);
    expect(run.stdout).toMatch(/^\s*17\s+0:30\.0$/m);
    expect(run.stdout).toMatch(/^\s*33\s+1:00\.0$/m);
    expect(run.stdout).toMatch(/^\s*65\s+2:00\.0$/m);
  });

  it('GIVEN --json WHEN timing is asked THEN the numbers are machine-readable', () => {
    const run = saltbot(['timing', '--bpm', '126', '--json']);

    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { msPerBeat: number; bars: { bar: number; timestamp: string }[] };
    expect(body.msPerBeat).toBeCloseTo(476.19, 2);
    expect(body.bars.find((b) => b.bar === 17)?.timestamp).toBe('0:30.5');
  });

  it.each([['59'], ['201'], ['fast'], ['128.5']])('GIVEN --bpm %s WHEN timing is asked THEN exit 2 naming --bpm', (bpm) => {
    const run = saltbot(['timing', '--bpm', bpm]);

    expectInvalid(run);
    expect(run.stderr).toContain('--bpm');
  });

  it('GIVEN no --bpm WHEN timing is asked THEN exit 2', () => {
    expectInvalid(saltbot(['timing']));
  });
});

describe('saltbot presets', () => {
  it('GIVEN the built-in presets WHEN listed THEN each appears with its tempo and key', () => {
    const run = saltbot(['presets']);

    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    for (const preset of loadBuiltinPresets()) {
      const line = run.stdout.split('\n').find((l) => l.startsWith(`${preset.name} `));
      expect(line).toBeDefined();
      expect(line).toContain(String(preset.spec.track.bpm));
      expect(line).toContain(preset.spec.track.key);
    }
  });

  it('GIVEN --json WHEN listed THEN stdout is a JSON array of presets', () => {
    const run = saltbot(['presets', '--json']);

    expect(run.status).toBe(0);
    const rows = JSON.parse(run.stdout) as { name: string; bpm: number; key: string }[];
    expect(rows.map((r) => r.name)).toEqual(loadBuiltinPresets().map((p) => p.name));
    expect(rows.find((r) => r.name === 'calling')).toMatchObject({ bpm: 126, key: 'A minor' });
  });
});

describe('saltbot help, version and usage', () => {
  it.each([[['--help']], [['-h']], [['help']], [['presets', '--help']], [['render', '--help']], [['render', '-h']], [['lint', '--help']], [['timing', '--help']], [['help', 'render']]])(
    'GIVEN %j WHEN run THEN exit 0 with usage on stdout',
    (args) => {
      const run = saltbot(args);

      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^(saltbot|Usage:)/);
      expect(run.stdout).toContain('Usage:');
    },
  );

  it('GIVEN --help after other flags WHEN run THEN the subcommand help wins over missing input', () => {
    const run = saltbot(['render', '--compact', '10', '--help']);

    expect(run.status).toBe(0);
    expect(run.stdout).toContain('saltbot render');
  });

  it('GIVEN --version WHEN run THEN it prints the package version', () => {
    const run = saltbot(['--version']);

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^saltbot \d+\.\d+\.\d+/);
  });

  it.each([[[]], [['bogus']], [['--bogus']], [['help', 'bogus']]])('GIVEN %j WHEN run THEN exit 2 and stdout empty', (args) => {
    const run = saltbot(args);

    expectInvalid(run);
    expect(run.stderr).toContain('presets, render, lint, timing');
  });
});

describe('bin/saltbot.js', () => {
  it('GIVEN the repository WHEN the bin is checked THEN it is executable with a node shebang', () => {
    expect(statSync(BIN).mode & 0o111).not.toBe(0);
  });

  it('GIVEN no build WHEN the bin is run THEN it tells the user to build and exits 1', () => {
    const dir = join(work, 'unbuilt');
    mkdirSync(join(dir, 'bin'), { recursive: true });
    copyFileSync(BIN, join(dir, 'bin', 'saltbot.js'));

    const result = spawnSync(process.execPath, [join(dir, 'bin', 'saltbot.js'), 'presets'], { cwd: work, encoding: 'utf8' });

    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('npm run build');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
