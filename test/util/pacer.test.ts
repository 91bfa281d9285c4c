import { describe, expect, it } from 'vitest';
import { createPacer, type PacerClock } from '../../src/util/pacer.js';

/** A clock whose timers fire only when the test advances it (microtasks flushed between timers). */
function manualClock(start = 0) {
  let now = start;
  let timers: { at: number; fn: () => void }[] = [];
  const clock: PacerClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn });
    },
  };
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return {
    clock,
    get now() {
      return now;
    },
    pendingTimers: () => timers.length,
    /** Moves time forward to `to`, firing due timers in order. */
    async advanceTo(to: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const due = timers[0];
        if (!due || due.at > to) break;
        timers = timers.slice(1);
        now = Math.max(now, due.at);
        due.fn();
        await flush();
      }
      now = to;
      await flush();
    },
  };
}

describe('pacer', () => {
  it('GIVEN an idle pacer WHEN a task comes THEN it starts at once, synchronously', () => {
    const t = manualClock(1_000);
    const pacer = createPacer(50, t.clock);
    let started = false;
    void pacer.run(async () => {
      started = true;
    });
    expect(started).toBe(true);
    expect(t.pendingTimers()).toBe(0);
  });

  it('GIVEN 10 tasks at once WHEN paced at 50/s THEN they start 20 ms apart in the order they came, and each caller gets its own result', async () => {
    const t = manualClock(0);
    const pacer = createPacer(50, t.clock);
    const starts: { i: number; at: number }[] = [];
    const results = Array.from({ length: 10 }, (_, i) =>
      pacer.run(async () => {
        starts.push({ i, at: t.now });
        return `r${i}`;
      }),
    );
    expect(starts).toEqual([{ i: 0, at: 0 }]);
    expect(pacer.queued).toBe(9);
    await t.advanceTo(1_000);
    expect(starts).toEqual(Array.from({ length: 10 }, (_, i) => ({ i, at: i * 20 })));
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_, i) => `r${i}`));
    expect(pacer.queued).toBe(0);
  });

  it('GIVEN a task that never settles WHEN more are queued THEN they still start on time (only starts are spaced)', async () => {
    const t = manualClock(0);
    const pacer = createPacer(10, t.clock);
    const starts: number[] = [];
    void pacer.run(() => {
      starts.push(t.now);
      return new Promise<never>(() => undefined);
    });
    void pacer.run(async () => starts.push(t.now));
    void pacer.run(async () => starts.push(t.now));
    await t.advanceTo(500);
    expect(starts).toEqual([0, 100, 200]);
  });

  it('GIVEN tasks that throw or reject WHEN paced THEN each caller gets its own error and the queue goes on', async () => {
    const t = manualClock(0);
    const pacer = createPacer(100, t.clock);
    const a = pacer.run(async () => {
      throw new Error('rejected');
    });
    const b = pacer.run((): Promise<string> => {
      throw new Error('thrown');
    });
    const c = pacer.run(async () => 'ok');
    await t.advanceTo(100);
    await expect(a).rejects.toThrow('rejected');
    await expect(b).rejects.toThrow('thrown');
    await expect(c).resolves.toBe('ok');
  });

  it('GIVEN random arrivals over 20 s WHEN paced at 45/s THEN no 1-second window holds more than 46 starts, none starts early and the order is kept', async () => {
    const t = manualClock(0);
    const pacer = createPacer(45, t.clock);
    const starts: { i: number; at: number; arrived: number }[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let arrival = 0;
    const all: Promise<unknown>[] = [];
    for (let i = 0; i < 1_500; i++) {
      arrival += rand() * 25; // ~80 per second on average, in bursts and gaps
      await t.advanceTo(arrival);
      const arrived = t.now;
      all.push(pacer.run(async () => starts.push({ i, at: t.now, arrived })));
    }
    await t.advanceTo(arrival + 60_000);
    await Promise.all(all);
    expect(starts.map((s) => s.i)).toEqual(Array.from({ length: 1_500 }, (_, i) => i));
    for (const s of starts) expect(s.at).toBeGreaterThanOrEqual(s.arrived);
    for (let k = 1; k < starts.length; k++) expect(starts[k]!.at - starts[k - 1]!.at).toBeGreaterThanOrEqual(1000 / 45 - 1e-9);
    let maxInWindow = 0;
    for (let k = 0, j = 0; k < starts.length; k++) {
      while (starts[k]!.at - starts[j]!.at >= 1000) j++;
      maxInWindow = Math.max(maxInWindow, k - j + 1);
    }
    expect(maxInWindow).toBeLessThanOrEqual(46);
    expect(maxInWindow).toBeGreaterThanOrEqual(44); // the backlog is worked off at the full rate
  });

  it('GIVEN a pacer idle for longer than its interval WHEN a task comes THEN it starts at once again', async () => {
    const t = manualClock(0);
    const pacer = createPacer(50, t.clock);
    const starts: number[] = [];
    void pacer.run(async () => starts.push(t.now));
    void pacer.run(async () => starts.push(t.now));
    await t.advanceTo(200);
    void pacer.run(async () => starts.push(t.now));
    expect(starts).toEqual([0, 20, 200]);
  });

  it('GIVEN a rate that is not positive WHEN a pacer is made THEN it refuses', () => {
    expect(() => createPacer(0)).toThrow(RangeError);
    expect(() => createPacer(Number.NaN)).toThrow(RangeError);
  });
});
