/**
 * The chart worker pool: the PNG drawn on the worker is the in-process picture, repeated requests
 * come from the LRU cache (or share the render in flight), bad widths are RangeErrors, and the
 * worker goes away after a quiet spell and comes back on demand.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CHART_HEIGHT, CHART_WIDTH, renderChartPng } from '../../src/chart/index.js';
import { ChartBusyError, ChartPool, chartKey } from '../../src/chart/pool.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import { makeSpec } from '../fixtures/spec.js';
import { decodePng } from './pixels.js';

const calling = (): Spec => getBuiltinPreset('calling')!.spec;
const withBpm = (bpm: number): Spec => ({ ...calling(), track: { ...calling().track, bpm } });

const pools: ChartPool[] = [];
function makePool(options: ConstructorParameters<typeof ChartPool>[0] = {}): ChartPool {
  const pool = new ChartPool(options);
  pools.push(pool);
  return pool;
}
afterAll(async () => Promise.all(pools.map((p) => p.close())));

describe('chart pool', () => {
  it('GIVEN the calling spec WHEN drawn on the worker THEN the bytes equal the in-process PNG (1200x900)', async () => {
    const pool = makePool();
    const png = await pool.render(calling());
    expect(png.equals(renderChartPng(calling()))).toBe(true);
    expect([decodePng(png).width, decodePng(png).height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    expect(pool.pending).toBe(0);
  });

  it('GIVEN a spec drawn once WHEN asked again (and twice at once for another spec) THEN the worker draws each spec once', async () => {
    const pool = makePool();
    const first = await pool.render(calling());
    const again = await pool.render(calling());
    expect(again.equals(first)).toBe(true);
    const [a, b] = await Promise.all([pool.render(withBpm(128)), pool.render(withBpm(128))]);
    expect(a.equals(b)).toBe(true);
    expect(a.equals(first)).toBe(false);
    expect(pool.stats).toEqual({ rendered: 2, cached: 2 });
  });

  it('GIVEN at most 1 picture may wait WHEN 4 new specs are asked at once THEN 2 are drawn and 2 refused at once with ChartBusyError; a cached one is still served while busy', async () => {
    const pool = makePool({ maxWaiting: 1 });
    const cached = await pool.render(withBpm(120));
    const asked = [121, 122, 123, 124].map((bpm) => pool.render(withBpm(bpm)));
    const whileBusy = await pool.render(withBpm(120));
    expect(whileBusy.equals(cached)).toBe(true);
    const results = await Promise.allSettled(asked);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'drawn' : r.reason instanceof ChartBusyError ? 'busy' : String(r.reason)))).toEqual(['drawn', 'drawn', 'busy', 'busy']);
    // Refused ones are not remembered as failures: asked again later, they are drawn.
    expect(decodePng(await pool.render(withBpm(124))).width).toBe(CHART_WIDTH);
  });

  it('GIVEN a one-entry cache WHEN a second spec is drawn THEN the first is drawn again when asked', async () => {
    const pool = makePool({ cacheSize: 1 });
    await pool.render(withBpm(120));
    await pool.render(withBpm(124));
    await pool.render(withBpm(124));
    await pool.render(withBpm(120));
    expect(pool.stats).toEqual({ rendered: 3, cached: 1 });
  });

  it('GIVEN the same spec with other options WHEN keyed THEN the keys differ; the same spec rebuilt THEN the same key', () => {
    expect(chartKey(calling())).toBe(chartKey(structuredClone(calling())));
    expect(chartKey(calling(), { width: 2400 })).not.toBe(chartKey(calling()));
    expect(chartKey(calling(), { title: 'x' })).not.toBe(chartKey(calling()));
  });

  it('GIVEN a width under the native one WHEN drawn on the worker THEN a RangeError, and the pool keeps working', async () => {
    const pool = makePool();
    await expect(pool.render(makeSpec(), { width: 800 })).rejects.toThrow(RangeError);
    const png = await pool.render(makeSpec(), { width: 2400 });
    expect(decodePng(png).width).toBe(2400);
  });

  it('GIVEN a short idle time WHEN the pool has been quiet THEN the worker is gone, and the next chart starts a new one', async () => {
    const pool = makePool({ idleMs: 50, cacheSize: 0 });
    await pool.render(calling());
    expect(pool.running).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(pool.running).toBe(false);
    await pool.render(calling());
    expect(pool.workersStarted).toBe(2);
  });
});
