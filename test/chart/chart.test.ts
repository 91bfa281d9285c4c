/**
 * The chart: signal checks on the rendered PNG (pixels where the spec says they must be) and on
 * the SVG text (ids, escaping, legibility, determinism). No snapshots.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  BACKGROUND,
  CHART_HEIGHT,
  CHART_WIDTH,
  COLORS,
  MIN_FONT_PX,
  REGION_COLORS,
  ROLE_BANDS,
  ROLE_COLORS,
  chartGeometry,
  renderChartPng,
  renderChartSvg,
  sidechainGainDb,
  timelineLastBar,
} from '../../src/chart/index.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import { msPerBeat, releaseWindow } from '../../src/domain/timing.js';
import { layerInput, makeSpec } from '../fixtures/spec.js';
import { decodePng, hexRgb, matching, near, nonBackground, type Picture } from './pixels.js';

function calling(): Spec {
  const preset = getBuiltinPreset('calling');
  if (!preset) throw new Error('the calling preset is missing');
  return preset.spec;
}

function airInput(overrides: Parameters<typeof layerInput>[0] = {}) {
  return layerInput({
    id: 'noise_air',
    role: 'air',
    band: { lowHz: 8000, highHz: 16000 },
    ltv: { texture: ['airy'], brightness: 'brilliant', movement: { kind: 'static' }, density: 'sparse', edge: 'soft' },
    synth: undefined,
    ...overrides,
  });
}

/** The curve's pixels inside the sidechain plot, left of the duck label at the right edge. */
function curvePixels(pic: Picture, spec: Spec): Array<[number, number]> {
  const { plot } = chartGeometry(spec).sidechain;
  return matching(pic, { x0: plot.x + 2, x1: plot.x + plot.width - 120, y0: plot.y - 3, y1: plot.y + plot.height + 3 }, COLORS.curve, 24);
}

describe('chart PNG of the calling preset', () => {
  let spec: Spec;
  let pic: Picture;

  beforeAll(() => {
    spec = calling();
    pic = decodePng(renderChartPng(spec));
  });

  it('GIVEN the calling preset WHEN rendered THEN the PNG decodes to the chart size', () => {
    expect([pic.width, pic.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
  });

  it('GIVEN the calling preset WHEN rendered THEN every panel has drawn pixels inside its plot', () => {
    const g = chartGeometry(spec);
    for (const plot of [g.bandMap.plot, g.sidechain.plot, g.timeline.plot]) {
      const drawn = nonBackground(pic, { x0: plot.x, x1: plot.x + plot.width, y0: plot.y, y1: plot.y + plot.height });
      expect(drawn).toBeGreaterThan(plot.width * plot.height * 0.05);
    }
  });

  it('GIVEN noise_air at 8-16 kHz WHEN rendered THEN its row is air-coloured at 12 kHz and background at 110 Hz', () => {
    const { bandMap } = chartGeometry(spec);
    const row = bandMap.row(spec.layers.findIndex((l) => l.id === 'noise_air'));
    const y = row.y + row.height / 2;

    expect(near(pic.rgb(bandMap.x(12000), y), hexRgb(ROLE_COLORS.air))).toBe(true);
    expect(pic.rgb(bandMap.x(110), y)).toEqual(hexRgb(BACKGROUND)); // 100 Hz itself carries the grid line
  });

  it('GIVEN a 200 Hz sub reservation WHEN rendered THEN the reserved row is shaded left of 200 Hz only', () => {
    const { bandMap } = chartGeometry(spec);
    const row = bandMap.reservedRow;
    const y = row.y + 4; // above the kick bar and the label

    expect(near(pic.rgb(bandMap.x(25), y), hexRgb(COLORS.reserved))).toBe(true);
    expect(near(pic.rgb(bandMap.x(150), y), hexRgb(COLORS.reserved))).toBe(true);
    expect(pic.rgb(bandMap.x(1200), y)).toEqual(hexRgb(BACKGROUND));
  });

  it('GIVEN no two layers with the same band WHEN rendered THEN no same-band hatching appears', () => {
    const { plot } = chartGeometry(spec).bandMap;
    expect(matching(pic, { x0: plot.x, x1: plot.x + plot.width, y0: plot.y, y1: plot.y + plot.height }, COLORS.sameBand, 20)).toHaveLength(0);
  });

  it('GIVEN a 7 dB duck WHEN rendered THEN the curve spans 0 dB down to exactly -7 dB', () => {
    const { sidechain } = chartGeometry(spec);
    const ys = curvePixels(pic, spec).map(([, y]) => y);

    expect(ys.length).toBeGreaterThan(200);
    // the stroke is 3 px wide: its outer edge lies within 2 px of the value
    expect(Math.abs(Math.max(...ys) - sidechain.y(-7))).toBeLessThanOrEqual(2.5);
    expect(Math.abs(Math.min(...ys) - sidechain.y(0))).toBeLessThanOrEqual(2.5);
  });

  it('GIVEN 126 BPM WHEN rendered THEN the release window 70-80 % of a beat after each kick is shaded and the rest is not', () => {
    const { sidechain } = chartGeometry(spec);
    const window = releaseWindow(126);
    const y = sidechain.plot.y + sidechain.plot.height - 20; // below the curve once it has recovered
    for (let beat = 0; beat < 4; beat++) {
      const kick = beat * msPerBeat(126);
      expect(near(pic.rgb(sidechain.x(kick + (window.minMs + window.maxMs) / 2), y), hexRgb(COLORS.releaseWindow))).toBe(true);
      expect(pic.rgb(sidechain.x(kick + window.minMs - 40), y)).toEqual(hexRgb(BACKGROUND));
    }
  });

  it('GIVEN build 1, drop 17 and break 33 WHEN rendered THEN the timeline lane has each section at its bars', () => {
    const { timeline } = chartGeometry(spec);
    const y = timeline.regionLane.y + timeline.regionLane.height - 5; // under the labels
    const at = (bar: number) => pic.rgb(timeline.x(bar + 0.5), y);

    expect(near(at(5), hexRgb(REGION_COLORS.build.fill))).toBe(true);
    expect(near(at(20), hexRgb(REGION_COLORS.drop.fill))).toBe(true);
    expect(near(at(40), hexRgb(REGION_COLORS.break.fill))).toBe(true);
    expect(timeline.lastBar).toBe(33 + 16);
  });
});

describe('chart PNG of other specs', () => {
  it('GIVEN a spec without sidechain WHEN rendered THEN the sidechain panel has no curve and says so', () => {
    const spec = makeSpec({ sidechain: undefined });
    const pic = decodePng(renderChartPng(spec));

    expect(curvePixels(pic, spec)).toHaveLength(0);
    expect(renderChartSvg(spec)).toContain('no sidechain set');
  });

  it('GIVEN a 12 dB duck WHEN rendered THEN the curve bottoms out at -12 dB', () => {
    const spec = makeSpec({ sidechain: { duckDb: 12, attackMs: 3, releaseMs: 200 } });
    const pic = decodePng(renderChartPng(spec));
    const ys = curvePixels(pic, spec).map(([, y]) => y);

    expect(Math.abs(Math.max(...ys) - chartGeometry(spec).sidechain.y(-12))).toBeLessThanOrEqual(2.5);
  });

  it('GIVEN two layers claiming the same band WHEN rendered THEN both rows are hatched where they overlap', () => {
    const spec = makeSpec({
      layers: [layerInput(), layerInput({ id: 'second_core', band: { lowHz: 220, highHz: 8000 } }), airInput()],
    });
    const pic = decodePng(renderChartPng(spec));
    const { bandMap } = chartGeometry(spec);
    const hatchIn = (index: number) => {
      const row = bandMap.row(index);
      return matching(pic, { x0: bandMap.x(300), x1: bandMap.x(7000), y0: row.y, y1: row.y + row.height - 1 }, COLORS.sameBand, 20).length;
    };

    expect(hatchIn(0)).toBeGreaterThan(100);
    expect(hatchIn(1)).toBeGreaterThan(100);
    expect(hatchIn(2)).toBe(0);
    expect(renderChartSvg(spec)).toContain('same band as second_core');
  });

  it('GIVEN an air layer without a band WHEN rendered THEN it is drawn at the air default band', () => {
    const spec = makeSpec({ layers: [layerInput(), airInput({ band: undefined })] });
    const pic = decodePng(renderChartPng(spec));
    const { bandMap } = chartGeometry(spec);
    const row = bandMap.row(1);
    const y = row.y + row.height / 2;

    expect(near(pic.rgb(bandMap.x(17000), y), hexRgb(ROLE_COLORS.air))).toBe(true);
    expect(pic.rgb(bandMap.x(3000), y)).toEqual(hexRgb(BACKGROUND));
  });

  it('GIVEN a width of 2400 WHEN rendered THEN the PNG is scaled to 2400 x 1800', () => {
    const pic = decodePng(renderChartPng(makeSpec(), { width: 2400 }));
    expect([pic.width, pic.height]).toEqual([2400, 1800]);
  });

  it('GIVEN a width narrower than native WHEN rendered THEN it is refused (text would fall under 12 px)', () => {
    expect(() => renderChartPng(makeSpec(), { width: 800 })).toThrow(RangeError);
  });

  it('GIVEN the same spec WHEN rendered twice THEN the PNG bytes are identical', () => {
    const spec = calling();
    expect(renderChartPng(spec).equals(renderChartPng(spec))).toBe(true);
  });
});

describe('chart SVG', () => {
  it('GIVEN the calling preset WHEN rendered THEN the SVG names every layer and has the title line', () => {
    const spec = calling();
    const svg = renderChartSvg(spec);

    for (const layer of spec.layers) expect(svg).toContain(`>${layer.id}<`);
    expect(svg).toContain('126 BPM · A minor · Melodic progressive house (Sebastian Ingrosso &amp; Alesso');
    expect(svg).toContain('bars 17-32 · 0:30.5');
    expect(svg).toContain('filter-sweep apex · bar 15 · 0:26.7');
    expect(svg).toContain('moderate pump');
  });

  it('GIVEN hostile text in the style WHEN rendered THEN it is escaped and cannot close the SVG', () => {
    const svg = renderChartSvg(makeSpec({ track: { bpm: 128, key: 'F minor', style: `</svg><script>alert("x")</script> & 'q'`, references: [] } }));

    expect(svg).toContain('&lt;/svg&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(svg).not.toContain('<script');
    expect(svg.match(/<\/svg>/g)).toHaveLength(1);
    expect(svg.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toMatch(/&/);
  });

  it('GIVEN a hostile title option WHEN rendered THEN it is escaped too', () => {
    const svg = renderChartSvg(makeSpec(), { title: '<b>&"' });
    expect(svg).toContain('&lt;b&gt;&amp;&quot;');
    expect(svg).not.toContain('<b>');
  });

  it('GIVEN a style too long for one line WHEN rendered THEN the title is clipped with an ellipsis', () => {
    const style = 'very long style words '.repeat(5).trim();
    const svg = renderChartSvg(makeSpec({ track: { bpm: 128, key: 'F minor', style, references: [] } }));
    const title = /<text[^>]*>(128 BPM[^<]*)<\/text>/.exec(svg)?.[1];

    expect(title).toMatch(/…$/);
    expect(title!.length).toBeLessThan(`128 BPM · F minor · ${style}`.length);
  });

  it('GIVEN any chart WHEN rendered THEN no text is smaller than 12 px', () => {
    for (const spec of [calling(), makeSpec({ sidechain: undefined, timing: {} })]) {
      const sizes = [...renderChartSvg(spec).matchAll(/<text[^>]*font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
      expect(sizes.length).toBeGreaterThan(20);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(MIN_FONT_PX);
    }
  });

  it('GIVEN the same spec WHEN rendered twice THEN the SVG is identical', () => {
    expect(renderChartSvg(calling())).toBe(renderChartSvg(calling()));
  });

  it('GIVEN a custom layer without a band WHEN rendered THEN its row says so', () => {
    const svg = renderChartSvg(makeSpec({ layers: [layerInput(), layerInput({ id: 'pad', role: 'custom', band: undefined })] }));
    expect(svg).toContain('custom: no band set');
  });

  it('GIVEN no timing WHEN rendered THEN the timeline shows 32 bars and says no timing is set', () => {
    const spec = makeSpec({ timing: {} });
    expect(timelineLastBar(spec)).toBe(32);
    expect(renderChartSvg(spec)).toContain('no timing set');
  });

  it('GIVEN a second drop WHEN rendered THEN the timeline runs 16 bars past it and labels it', () => {
    const spec = makeSpec({ timing: { buildStartBar: 1, dropBar: 17, breakBar: 33, secondDropBar: 49 } });
    expect(timelineLastBar(spec)).toBe(65);
    expect(renderChartSvg(spec)).toContain('bars 49-65');
  });
});

describe('sidechain gain model', () => {
  const side = { duckDb: 7, attackMs: 2, releaseMs: 350 };

  it('GIVEN 7 dB, 2 ms attack, 350 ms release WHEN sampled THEN it is at -7 dB after the attack and back at 0 after the release', () => {
    expect(sidechainGainDb(2, 126, side)).toBeCloseTo(-7, 6);
    expect(sidechainGainDb(1, 126, side)).toBeCloseTo(-3.5, 6);
    expect(sidechainGainDb(352, 126, side)).toBeCloseTo(0, 6);
    expect(sidechainGainDb(200, 126, side)).toBeLessThan(0);
    expect(sidechainGainDb(200, 126, side)).toBeGreaterThan(sidechainGainDb(100, 126, side));
  });

  it('GIVEN a release longer than a beat WHEN the next kick lands THEN the lead is still ducked (the previous bar counts too)', () => {
    const slow = { duckDb: 7, attackMs: 2, releaseMs: 1000 };
    expect(sidechainGainDb(0, 126, slow)).toBeLessThan(-0.5); // the last kick of the previous bar
    expect(sidechainGainDb(msPerBeat(126) - 0.01, 126, slow)).toBeLessThan(-0.5);
  });

  it('GIVEN no attack WHEN sampled THEN the duck is instant', () => {
    expect(sidechainGainDb(0, 128, { duckDb: 6, releaseMs: 150 })).toBeCloseTo(-6, 6);
  });
});

describe('role bands', () => {
  it('GIVEN the domain notes WHEN looking up default bands THEN each role has its typical band and custom none', () => {
    expect(ROLE_BANDS).toEqual({
      foundation: { lowHz: 80, highHz: 500 },
      core: { lowHz: 200, highHz: 8000 },
      transient: { lowHz: 1000, highHz: 5000 },
      harmony: { lowHz: 300, highHz: 6000 },
      air: { lowHz: 8000, highHz: 18000 },
      custom: undefined,
    });
  });
});
