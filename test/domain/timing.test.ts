import { describe, expect, it } from 'vitest';
import {
  AGGRESSIVE_RELEASE_MS,
  MUDDY_RELEASE_MS,
  barStartSeconds,
  barTimestamp,
  formatMs,
  formatTimestamp,
  msPerBar,
  msPerBeat,
  releaseWindow,
  tempoTable,
} from '../../src/domain/timing.js';

describe('beats and bars', () => {
  it('GIVEN 128 BPM WHEN a quarter note is measured THEN it is 468.75 ms and a bar 1875 ms', () => {
    expect(msPerBeat(128)).toBe(468.75);
    expect(msPerBar(128)).toBe(1875);
  });

  it('GIVEN 120 BPM WHEN a quarter note is measured THEN it is exactly 500 ms', () => {
    expect(msPerBeat(120)).toBe(500);
  });

  it('GIVEN bar 1 WHEN its start is computed THEN it is 0 s at any tempo', () => {
    expect(barStartSeconds(1, 126)).toBe(0);
    expect(barStartSeconds(1, 60)).toBe(0);
  });

  it('GIVEN bar 17 at 128 BPM WHEN its start is computed THEN it is 16 bars × 1.875 s = 30 s', () => {
    expect(barStartSeconds(17, 128)).toBe(30);
  });
});

describe('sidechain release window', () => {
  it('GIVEN 128 BPM WHEN the window is computed THEN it is 328.125-375 ms (70-80 % of 468.75 ms)', () => {
    expect(releaseWindow(128)).toEqual({ minMs: 328.125, maxMs: 375 });
  });

  it('GIVEN 126 BPM WHEN the window is computed THEN the worked example\'s 350 ms release lies inside it', () => {
    const w = releaseWindow(126);
    expect(w.minMs).toBeCloseTo(333.333, 3);
    expect(w.maxMs).toBeCloseTo(380.952, 3);
    expect(350).toBeGreaterThanOrEqual(w.minMs);
    expect(350).toBeLessThanOrEqual(w.maxMs);
  });

  it('GIVEN the thresholds WHEN read THEN aggressive is under 200 ms and muddy over 400 ms', () => {
    expect(AGGRESSIVE_RELEASE_MS).toBe(200);
    expect(MUDDY_RELEASE_MS).toBe(400);
  });
});

describe('timestamps', () => {
  it('GIVEN bar 17 at 126 BPM WHEN formatted THEN it is "0:30.5"', () => {
    expect(barTimestamp(17, 126)).toBe('0:30.5');
  });

  it('GIVEN bar 1 WHEN formatted THEN it is "0:00.0"', () => {
    expect(barTimestamp(1, 126)).toBe('0:00.0');
  });

  it('GIVEN bar 33 at 126 BPM WHEN formatted THEN it is "1:01.0"', () => {
    expect(barTimestamp(33, 126)).toBe('1:01.0');
  });

  it.each([
    [59.96, '1:00.0'],
    [59.95, '1:00.0'],
    [59.94, '0:59.9'],
    [119.99, '2:00.0'],
    [60, '1:00.0'],
    [61.04, '1:01.0'],
    [0.04, '0:00.0'],
    [0.05, '0:00.1'],
    [600, '10:00.0'],
  ])('GIVEN %f s WHEN formatted THEN it is "%s"', (seconds, expected) => {
    expect(formatTimestamp(seconds)).toBe(expected);
  });

  it('GIVEN every tenth-rounding edge up to an hour WHEN formatted THEN the seconds field never reads 60', () => {
    for (let s = 0; s < 3600; s += 0.01) {
      const text = formatTimestamp(s);
      expect(text).toMatch(/^\d+:[0-5]\d\.\d$/);
    }
  });

  it('GIVEN every bar 1-512 at every tempo 60-200 WHEN formatted THEN the seconds field is 00-59', () => {
    for (let bpm = 60; bpm <= 200; bpm++) {
      for (let bar = 1; bar <= 512; bar += 7) {
        expect(barTimestamp(bar, bpm)).toMatch(/^\d+:[0-5]\d\.\d$/);
      }
    }
  });

  it('GIVEN a negative time WHEN formatted THEN it clamps to "0:00.0"', () => {
    expect(formatTimestamp(-3)).toBe('0:00.0');
  });
});

describe('formatMs', () => {
  it.each([
    [468.75, '468.75'],
    [350, '350'],
    [328.125, '328.13'],
    [333.3333, '333.33'],
    [187.5, '187.5'],
    [0.5, '0.5'],
  ])('GIVEN %f ms WHEN formatted THEN it is "%s"', (ms, expected) => {
    expect(formatMs(ms)).toBe(expected);
  });
});

describe('tempoTable', () => {
  it('GIVEN 128 BPM WHEN tabulated THEN beat, bar, window and note values are right', () => {
    const t = tempoTable(128);
    expect(t.bpm).toBe(128);
    expect(t.msPerBeat).toBe(468.75);
    expect(t.msPerBar).toBe(1875);
    expect(t.releaseWindow).toEqual({ minMs: 328.125, maxMs: 375 });
    expect(t.notes).toEqual({
      '1/1': 1875,
      '1/2': 937.5,
      '1/4': 468.75,
      '1/8': 234.375,
      '1/16': 117.1875,
      '1/4.': 703.125,
      '1/8.': 351.5625,
      '1/4T': 312.5,
      '1/8T': 156.25,
    });
  });

  it('GIVEN 120 BPM WHEN tabulated THEN triplets are two thirds of the straight value', () => {
    const t = tempoTable(120);
    expect(t.notes['1/4']).toBe(500);
    expect(t.notes['1/4T']).toBeCloseTo(333.333, 3);
    expect(t.notes['1/8T']).toBeCloseTo(166.667, 3);
    expect(t.notes['1/8.']).toBe(375);
  });
});
