/**
 * `saltbot chart`, run in-process through `main` with a temporary working directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { specInput } from '../fixtures/spec.js';
import { decodePng } from '../chart/pixels.js';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'saltbot-chart-'));
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function capture() {
  let text = '';
  return { write: (chunk: string) => (text += chunk), get text() { return text; } };
}

async function saltbot(args: readonly string[], stdinText?: string) {
  const stdout = capture();
  const stderr = capture();
  async function* stdin() {
    if (stdinText !== undefined) yield stdinText;
  }
  const status = await main(args, { stdout, stderr, env: {}, cwd: work, stdin: stdin() });
  return { status, stdout: stdout.text, stderr: stderr.text };
}

function expectUsageError(run: { status: number; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(pattern);
  for (const line of run.stderr.trimEnd().split('\n')) expect(line).toMatch(/^saltbot: /);
}

describe('saltbot chart', () => {
  it('GIVEN --preset calling --out calling.png WHEN run THEN a 1200x900 PNG is written and reported', async () => {
    const run = await saltbot(['chart', '--preset', 'calling', '--out', 'calling.png']);

    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^wrote calling\.png \(PNG 1200x900, \d+ KiB\)\n$/);
    const pic = decodePng(readFileSync(join(work, 'calling.png')));
    expect([pic.width, pic.height]).toEqual([1200, 900]);
  });

  it('GIVEN a spec file and --svg --out WHEN run THEN the SVG is written with the layer ids', async () => {
    writeFileSync(join(work, 'spec.json'), JSON.stringify(specInput()));
    const run = await saltbot(['chart', 'spec.json', '--out', 'x.svg', '--svg']);

    expect(run.status).toBe(0);
    const svg = readFileSync(join(work, 'x.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>supersaw_core<');
    expect(svg).toContain('>foundation_saw<');
  });

  it('GIVEN --svg without --out and a spec on stdin WHEN run THEN the SVG goes to stdout', async () => {
    const run = await saltbot(['chart', '-', '--svg'], JSON.stringify(specInput()));

    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it('GIVEN --width 2400 WHEN run THEN the PNG is 2400 wide', async () => {
    const run = await saltbot(['chart', '--preset', 'calling', '--out', 'wide.png', '--width', '2400']);

    expect(run.status).toBe(0);
    expect(decodePng(readFileSync(join(work, 'wide.png'))).width).toBe(2400);
  });

  it('GIVEN no --out for a PNG WHEN run THEN exit 2 and nothing is written', async () => {
    const run = await saltbot(['chart', '--preset', 'calling']);
    expectUsageError(run, /needs --out FILE/);
  });

  it('GIVEN a width below 1200 WHEN run THEN exit 2 naming the flag', async () => {
    const run = await saltbot(['chart', '--preset', 'calling', '--out', 'small.png', '--width', '600']);
    expectUsageError(run, /--width: must be at least 1200/);
    expect(existsSync(join(work, 'small.png'))).toBe(false);
  });

  it('GIVEN an output in a missing directory WHEN run THEN exit 2 with a plain reason', async () => {
    const run = await saltbot(['chart', '--preset', 'calling', '--out', 'nope/x.png', '--svg']);
    expectUsageError(run, /nope\/x\.png: cannot write the file \(no such directory\)/);
  });

  it('GIVEN an unknown preset WHEN run THEN exit 2 listing the presets', async () => {
    const run = await saltbot(['chart', '--preset', 'nope', '--out', 'n.png']);
    expectUsageError(run, /unknown preset "nope"; available presets: .*calling/);
  });

  it('GIVEN an invalid spec WHEN run THEN exit 2 with the problem and no file', async () => {
    writeFileSync(join(work, 'bad.json'), JSON.stringify(specInput({ track: { bpm: 999, key: 'A minor', style: 'x', references: [] } })));
    const run = await saltbot(['chart', 'bad.json', '--out', 'bad.png']);
    expectUsageError(run, /bad\.json: track\.bpm/);
    expect(existsSync(join(work, 'bad.png'))).toBe(false);
  });

  it('GIVEN --help WHEN run THEN the chart help is printed', async () => {
    const run = await saltbot(['chart', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('saltbot chart --preset calling --out calling.png');
  });
});
