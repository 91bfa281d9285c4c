/** `saltbot render --target` and `saltbot patch` as the real binary (built by the global setup). */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'saltbot.js');

function saltbot(args: readonly string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, input: '', encoding: 'utf8', timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('saltbot render --target / saltbot patch', () => {
  it('GIVEN the calling preset WHEN render --target suno --budget 200 THEN each field has a "== name (chars/budget) ==" header and the style fits 200', () => {
    const run = saltbot(['render', '--preset', 'calling', '--target', 'suno', '--budget', '200']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const headers = [...run.stdout.matchAll(/^== (\w+) \((\d+)\/(\d+)\) ==$/gm)].map((m) => [m[1], Number(m[2]), Number(m[3])] as const);
    expect(headers.map((h) => h[0])).toEqual(['style', 'structure', 'exclude']);
    expect(headers[0]![2]).toBe(200);
    for (const [, chars, budget] of headers) expect(chars).toBeLessThanOrEqual(budget);
    expect(run.stdout).toContain('[Build-Up]');
  });

  it('GIVEN each other profile WHEN rendered THEN it exits 0 with its fields', () => {
    expect(saltbot(['render', '--preset', 'calling', '--target', 'udio']).stdout).toMatch(/^== description \(\d+\/15 words, \d+\/150\) ==/);
    expect(saltbot(['render', '--preset', 'calling', '--target', 'musicgen']).stdout).toMatch(/^== description \(\d+\/300\) ==/);
    expect(saltbot(['render', '--preset', 'calling', '--target', 'llm']).stdout).toContain('REASONING FIRST:');
  });

  it('GIVEN a bad target or a budget the profile has no choice of WHEN rendered THEN exit 2 with a one-line reason and no stdout', () => {
    for (const args of [['--target', 'spotify'], ['--target', 'udio', '--budget', '200'], ['--target', 'suno', '--budget', '5000']]) {
      const run = saltbot(['render', '--preset', 'calling', ...args]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^saltbot: render: /);
    }
  });

  it('GIVEN the calling preset WHEN patch (default both) and patch --synth sylenth1 THEN the sheets print; a bad synth exits 2', () => {
    const both = saltbot(['patch', '--preset', 'calling']);
    expect(both.status).toBe(0);
    expect(both.stdout).toContain('SERUM PATCH SHEET · 126 BPM · A minor');
    expect(both.stdout).toContain('SYLENTH1 PATCH SHEET');
    const one = saltbot(['patch', '--preset', 'calling', '--synth', 'sylenth1']);
    expect(one.stdout).not.toContain('SERUM');
    expect(saltbot(['patch', '--preset', 'calling', '--synth', 'moog']).status).toBe(2);
    expect(saltbot(['patch', '--help']).stdout).toMatch(/^Usage: saltbot patch/);
  });
});
