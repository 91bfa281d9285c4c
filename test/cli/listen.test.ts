/**
 * `saltbot listen` and `saltbot measure`, run as the real binary (compiled by the global setup)
 * from a temporary directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'saltbot.js');
let work: string;

function saltbot(args: readonly string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: work, input: '', encoding: 'utf8', env: { ...process.env, SALTBOT_DEBUG: '' }, timeout: 15_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'saltbot-listen-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('saltbot listen', () => {
  it('GIVEN --preset calling --bars 2 WHEN run THEN a stereo 16-bit WAV of 2 bars at 126 BPM is written and summarized', () => {
    const run = saltbot(['listen', '--preset', 'calling', '--out', 'calling.wav', '--bars', '2']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const wav = readFileSync(join(work, 'calling.wav'));
    const frames = Math.round(((2 * 4 * 60) / 126) * 44100);
    expect(wav.length).toBe(44 + frames * 4);
    expect(statSync(join(work, 'calling.wav')).size).toBe(wav.length);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(24)).toBe(44100);
    expect(run.stdout).toContain('calling.wav: 2 bars at 126 BPM');
    expect(run.stdout).toContain('notes: A4 C5 E5 D5 C5 B4 C5 A4 (default motif in A minor)');
  });

  it('GIVEN --notes and --solo WHEN run THEN only that layer plays those notes', () => {
    const run = saltbot(['listen', '--preset', 'calling', '--out', 'solo.wav', '--bars', '1', '--notes', 'E5 G5', '--solo', 'noise_air', '--no-kick']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('notes: E5 G5\n');
    expect(run.stdout).toContain('layers: noise_air\n');
  });

  it.each([
    [['--notes', 'A4 H4'], /--notes: "H4" is not a note/],
    [['--bars', '9'], /--bars: must be at most 8/],
    [['--solo', 'nope'], /--solo: no layer "nope"/],
  ])('GIVEN bad input %j WHEN run THEN exit 2, a reason on stderr, nothing on stdout and no file', (extra, reason) => {
    const run = saltbot(['listen', '--preset', 'calling', '--out', 'bad.wav', ...extra]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(reason);
    expect(existsSync(join(work, 'bad.wav'))).toBe(false);
  });

  it('GIVEN no --out WHEN run THEN exit 2 asking for it', () => {
    const run = saltbot(['listen', '--preset', 'calling']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('needs --out');
  });
});

describe('saltbot measure', () => {
  it('GIVEN --preset calling --json WHEN run THEN measured findings and measurements come back', () => {
    const run = saltbot(['measure', '--preset', 'calling', '--json']);
    expect(run.status).toBe(0);
    const body = JSON.parse(run.stdout) as { findings: Array<{ rule: string; measured: boolean }>; measurements: { sidechain: { depthDb: number; recoveryMs: number } } };
    expect(body.findings.every((f) => f.measured && f.rule.startsWith('measured-'))).toBe(true);
    expect(body.measurements.sidechain.depthDb).toBeCloseTo(7, 0);
    expect(body.measurements.sidechain.recoveryMs).toBeGreaterThan(315);
  });
});
