/**
 * The bot's main thread never loads @resvg/resvg-js or the fonts (the chart is drawn on the chart
 * worker): importing the compiled entry module's graph in a fresh node process leaves no resvg
 * module in the CommonJS cache and no resvg native library mapped. The chart's PNG module is the
 * control: importing it does load them.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What of resvg and the fonts a fresh node process has loaded after importing `module` (under dist/). */
function loadedAfterImporting(module: string): { modules: string[]; nativeMapped: boolean } {
  const script = `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    await import(${JSON.stringify(new URL(module, `file://${ROOT}dist/`).href)});
    const modules = Object.keys(createRequire(import.meta.url).cache).filter((k) => /resvg|dejavu/i.test(k));
    const nativeMapped = /resvg/i.test(readFileSync('/proc/self/maps', 'utf8'));
    process.stdout.write(JSON.stringify({ modules, nativeMapped }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, DISCORD_TOKEN: '' } });
  return JSON.parse(out) as { modules: string[]; nativeMapped: boolean };
}

describe('the main thread does not load the rasterizer', () => {
  it('GIVEN the compiled bot WHEN dist/src/main.js and its module graph are imported THEN neither resvg nor the fonts are loaded', () => {
    expect(loadedAfterImporting('src/main.js')).toEqual({ modules: [], nativeMapped: false });
  });

  it('GIVEN the chart PNG module WHEN imported THEN resvg is loaded (the check sees it)', () => {
    const loaded = loadedAfterImporting('src/chart/png.js');
    expect(loaded.modules.some((m) => m.includes('@resvg/resvg-js'))).toBe(true);
    expect(loaded.nativeMapped).toBe(true);
  });
});
