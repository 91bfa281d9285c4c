import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/discord/rateLimit.js';
import { encodeAction } from '../../src/discord/customId.js';
import * as ix from '../standin/interactions.js';
import { makeBot } from '../support/bot.js';
import { SCOPE, data, salt } from '../support/payloads.js';

describe('edit rate limit', () => {
  it('GIVEN 3 edits a minute WHEN a 4th comes within the minute THEN it waits; after the window THEN allowed', () => {
    const clock = { now: 0 };
    const limiter = createRateLimiter(3, () => clock.now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    clock.now = 30_000;
    expect(limiter.take('a')).toBe(30);
    expect(limiter.take('b')).toBe(0);
    clock.now = 60_001;
    expect(limiter.take('a')).toBe(0);
  });

  it('GIVEN a limit of 0 WHEN many edits THEN none is limited', () => {
    const limiter = createRateLimiter(0, () => 0);
    for (let i = 0; i < 100; i++) expect(limiter.take('a')).toBe(0);
  });

  it('GIVEN a bot limited to 2 edits a minute WHEN a member submits a 3rd form THEN a friendly wait message and nothing saved', async () => {
    const bot = await makeBot({ editRatePerMinute: 2 });
    await bot.run(salt('new'));
    // Every submit names version 1 as its base: later ones merge field by field onto the newer draft.
    const submit = (bar: string) => ix.modalSubmit({ customId: encodeAction({ kind: 'form', form: 'timing1', base: 1 }), components: { drop: bar } });
    await bot.run(submit('17'));
    await bot.run(submit('18'));
    const before = (await bot.store.drafts.get(SCOPE))!.version;
    const reply = await bot.run(submit('19'));
    expect(data(reply).content).toMatch(/wait \d+ s/);
    expect((await bot.store.drafts.get(SCOPE))!.version).toBe(before);
    await bot.close();
  });
});
