/**
 * SALT_DISCORD_REQUESTS_PER_SECOND reaches the running process: the real bot (`node
 * dist/src/main.js`, HTTP transport) started with a share of 4 requests per second spaces its card
 * edits, which count against Discord's global rate limit, at least 250 ms apart. (The pacer itself,
 * its REST wiring and the setting's parsing have their own tests: test/util/pacer.test.ts,
 * test/transport/restRoutes.test.ts, test/config/config.test.ts.)
 */
import type { APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactions, startStandin, type Standin } from '../standin/index.js';
import { startBotProcess, stopAll, tempDir, type BotProcess, type Json } from '../support/botProcess.js';

const PER_SECOND = 4;
const CHANNELS = ['1300000000000200001', '1300000000000200002', '1300000000000200003', '1300000000000200004', '1300000000000200005'];

describe(`GIVEN the bot process started with SALT_DISCORD_REQUESTS_PER_SECOND=${PER_SECOND}`, () => {
  let standin: Standin;
  let bot: BotProcess;
  let dir: string;
  const cards = new Map<string, APIMessage>();

  beforeAll(async () => {
    standin = await startStandin({ strictEdits: true });
    dir = tempDir('pacing');
    bot = await startBotProcess({ standin, dir, env: { SALT_DISCORD_REQUESTS_PER_SECOND: String(PER_SECOND) } });
    // A draft and its card in each channel (the card is the interaction's own response: not paced).
    for (const channelId of CHANNELS) {
      const ix = interactions.chatInput({ name: 'salt', channelId, options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never });
      expect((await bot.send(ix)).type).toBe(4);
      await standin.waitFor((r) => r.method === 'GET' && r.path.endsWith(`/${ix.token}/messages/@original`), 5000);
      const card = standin.messages(channelId).find((m) => (m as Json).interaction_metadata?.id === ix.id);
      if (!card) throw new Error(`no card in ${channelId}`);
      cards.set(channelId, card);
    }
  }, 30_000);

  afterAll(() => stopAll({ bots: [bot], standin, dir }));

  it('WHEN five channels ask for a fresh card at once THEN each gets its answer before the card edits are through, and the five edits go out ~250 ms apart (>= 230 ms)', async () => {
    standin.clearRecords();
    const isEdit = (r: { method: string; route: string | null }) => r.method === 'PATCH' && r.route === 'PATCH /channels/:channel/messages/:id';
    // A button from an older deploy: the answer is immediate, its after-work edits the card (forced).
    const answers = await Promise.all(CHANNELS.map((channelId) => bot.post(interactions.button({ customId: 's0:card:track', channelId, message: cards.get(channelId)! }))));
    for (const a of answers) expect({ status: a.status, type: a.body.type }).toEqual({ status: 200, type: 4 });
    // The answers did not wait for the pacer: the last edit is due ~1 s after the first.
    expect(standin.requests.filter(isEdit).length).toBeLessThan(CHANNELS.length);
    await standin.waitFor(() => standin.requests.filter(isEdit).length >= CHANNELS.length, 10_000);
    const edits = standin.requests.filter(isEdit);
    expect(edits.map((r) => r.params.channel).sort()).toEqual([...CHANNELS].sort());
    const gaps = edits.slice(1).map((r, i) => r.at - edits[i]!.at);
    // 250 ms apart by the pacer; 20 ms of slack for timer and clock granularity. At the default (45/s) they are ~22 ms apart.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000 / PER_SECOND - 20);
  });
});
