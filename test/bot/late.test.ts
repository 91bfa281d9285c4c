/**
 * The 3-second rule: when a handler is slow (e.g. the store is sluggish), the router defers in time
 * and delivers the real answer afterwards, in the right place.
 */
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/discord/customId.js';
import { createStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/types.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { salt } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());

/** A store whose draft reads take `ms` (a stand-in for a sluggish backend). */
async function slowStore(ms: number): Promise<{ store: Store; slow: { on: boolean } }> {
  const store = await createStore({ memory: true });
  const slow = { on: false };
  const get = store.drafts.get.bind(store.drafts);
  (store.drafts as { get: typeof get }).get = async (scope) => {
    if (slow.on) await new Promise((r) => setTimeout(r, ms));
    return get(scope);
  };
  return { store, slow };
}

describe('late answers', () => {
  it('GIVEN a slow store WHEN /salt show THEN the first response is a defer AND the card is edited into it afterwards', async () => {
    const { store, slow } = await slowStore(150);
    bot = await makeBot({ store, deferAfterMs: 30 });
    await bot.run(salt('new'));
    slow.on = true;
    const started = Date.now();
    const reply = await bot.run(salt('show'));
    expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140); // run() awaited the delivery too
    const edit = bot.api.ofMethod('editOriginal').at(-1)!;
    expect(JSON.stringify(edit.args[1])).toContain('SALT');
  });

  it('GIVEN a slow store WHEN an ephemeral answer is late THEN it arrives as an ephemeral follow-up and the placeholder is deleted', async () => {
    const { store, slow } = await slowStore(150);
    bot = await makeBot({ store, deferAfterMs: 30 });
    await bot.run(salt('new'));
    slow.on = true;
    await bot.run(salt('show', { prompt: true }));
    const follow = bot.api.ofMethod('followUp').at(-1)!;
    expect(((follow.args[1] as { flags: number }).flags & MessageFlags.Ephemeral) !== 0).toBe(true);
    expect(bot.api.ofMethod('deleteOriginal')).toHaveLength(1);
  });

  it('GIVEN a slow store WHEN a button that opens a modal is late THEN a deferred update, and the member is asked to press again', async () => {
    const { store, slow } = await slowStore(150);
    bot = await makeBot({ store, deferAfterMs: 30 });
    await bot.run(salt('new'));
    slow.on = true;
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'track' }) }));
    expect(reply.response.type).toBe(InteractionResponseType.DeferredMessageUpdate);
    const follow = bot.api.ofMethod('followUp').at(-1)!;
    expect(JSON.stringify(follow.args[1])).toContain('press the button again');
  });

  it('GIVEN a fast store WHEN /salt show THEN the answer is the first response (no defer)', async () => {
    bot = await makeBot({ deferAfterMs: 1000 });
    await bot.run(salt('new'));
    const reply = await bot.run(salt('show'));
    expect(reply.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
  });
});

describe('late handler that defers itself', () => {
  it('GIVEN a slow store WHEN /salt publish reads it for over the deadline and then defers THEN our defer stands in and its follow-up is posted', async () => {
    const { store, slow } = await slowStore(150);
    bot = await makeBot({ store, deferAfterMs: 30 });
    await bot.run(salt('new', { preset: 'calling' }));
    slow.on = true;
    const reply = await bot.run(salt('publish'));
    expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const follow = bot.api.ofMethod('followUp');
    expect(follow).toHaveLength(1);
    expect((follow[0]!.files ?? []).map((f) => f.name)).toContain('salt-prompt.txt');
  });
});
