import { describe, expect, it } from 'vitest';
import { createInFlight } from '../../src/transport/inflight.js';

describe('in-flight tracking for graceful shutdown', () => {
  it('drains finished and failing work; close() stops accepting', async () => {
    const f = createInFlight();
    let done = 0;
    void f.run(async () => {
      await new Promise((r) => setTimeout(r, 30));
      done++;
    });
    await f.run(async () => Promise.reject(new Error('x'))).catch(() => undefined);
    expect(f.size).toBe(1);
    f.close();
    expect(f.accepting).toBe(false);
    expect(await f.drain(1000)).toBe(true);
    expect(done).toBe(1);
    expect(f.size).toBe(0);
  });

  it('gives up after the bound when work hangs', async () => {
    const f = createInFlight();
    void f.run(() => new Promise(() => undefined));
    const started = Date.now();
    expect(await f.drain(50)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits for work started while draining', async () => {
    const f = createInFlight();
    const order: string[] = [];
    void f.run(async () => {
      await new Promise((r) => setTimeout(r, 10));
      void f.run(async () => {
        await new Promise((r) => setTimeout(r, 20));
        order.push('late');
      });
      order.push('first');
    });
    expect(await f.drain(1000)).toBe(true);
    expect(order).toEqual(['first', 'late']);
  });
});
