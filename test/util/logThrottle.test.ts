import { describe, expect, it } from 'vitest';
import { createLogThrottle } from '../../src/util/logThrottle.js';

describe('log throttle', () => {
  it('GIVEN a flood of events WHEN throttled to one line per 10 s THEN the first is written at once and each later line counts what it folded in', () => {
    let clock = 1_000;
    const lines: { route: string; folded: number }[] = [];
    const log = createLogThrottle<{ route: string }>((f, folded) => lines.push({ route: f.route, folded }), 10_000, () => clock);
    log({ route: 'a' });
    for (let i = 0; i < 50; i++) {
      clock += 100;
      log({ route: `b${i}` });
    }
    expect(lines).toEqual([{ route: 'a', folded: 0 }]);
    clock = 11_000;
    log({ route: 'c' });
    expect(lines).toEqual([
      { route: 'a', folded: 0 },
      { route: 'c', folded: 50 },
    ]);
    clock += 20_000;
    log({ route: 'd' });
    expect(lines.at(-1)).toEqual({ route: 'd', folded: 0 });
  });
});
