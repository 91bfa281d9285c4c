/**
 * Restart safety of the real bot process, on the file store and on Redis: kill -9 mid-conversation
 * (a draft with edits, two running votes, an open modal whose custom_id we kept) and start again
 * on the same data. Drafts, history, ballots and deadlines are intact; the kept modal and a button
 * of the old card still work; a vote whose deadline passed while the bot was down closes on the
 * next start with its announcement; outdated custom_ids get a friendly answer and a fresh card.
 * With Redis, SIGTERM during an in-flight interaction (Redis frozen for a moment) still answers it,
 * then exits 0 within 10 s.
 */
import { join } from 'node:path';
import type { APIInteraction, APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { createStore } from '../../src/store/index.js';
import type { Store, VoteRecord } from '../../src/store/types.js';
import { DEFAULT_IDS, interactions, startStandin, type Standin } from '../standin/index.js';
import { customIds, fillModal, startBotProcess, stopAll, tempDir, textOf, type BotProcess, type Json } from '../support/botProcess.js';
import { startRedis, type RedisServer } from '../support/redis.js';

const scope = { guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel };
const salt = (options: unknown) => ({ name: 'salt', options: options as never });
const VOTER = { id: '1400000000000000001', username: 'voter' };

describe.each(['file', 'redis'] as const)('GIVEN the bot process on the %s store, killed with -9 mid-conversation', (kind) => {
  let redis: RedisServer | undefined;
  let standin: Standin;
  let bot: BotProcess;
  let dir: string;
  let cardId: string;
  let keptModal: Json;
  let liveVote: VoteRecord;
  let expiredVoteId: string;
  let historyBefore: number[];

  const env = (): Record<string, string> => ({ SALT_EDIT_RATE_PER_MINUTE: '0', ...(redis ? { REDIS_URL: redis.url } : {}) });
  const openStore = (): Promise<Store> =>
    createStore({ ...(redis ? { redisUrl: redis.url } : { filePath: join(dir, 'data', 'saltbot.json') }), logger: { info() {}, warn() {} } });

  async function send(interaction: APIInteraction): Promise<Json> {
    const res = await bot.post(interaction);
    expect(res.status).toBe(200);
    return res.body;
  }
  const card = (): APIMessage => standin.messages(DEFAULT_IDS.channel).find((m) => m.id === cardId)!;

  beforeAll(async () => {
    if (kind === 'redis') redis = await startRedis({ persist: true });
    standin = await startStandin();
    dir = tempDir(`restart-${kind}`);
    bot = await startBotProcess({ standin, dir, env: env() });

    const created = interactions.chatInput(salt([{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }]));
    expect((await send(created)).type).toBe(4);
    await standin.waitFor((r) => r.method === 'GET' && r.path.endsWith(`/${created.token}/messages/@original`), 5000);
    cardId = standin.messages(DEFAULT_IDS.channel).find((m) => (m as Json).interaction_metadata?.id === created.id)!.id;
    for (const bpm of ['130', '132']) {
      const opened = await send(interactions.button({ customId: 's1:card:track', message: card() }));
      expect((await send(interactions.modalSubmit({ customId: opened.data.custom_id, components: fillModal(opened.data, { bpm }), message: card() }))).data.content).toMatch(/version \d/);
    }
    const votes: string[] = [];
    for (const minutes of [1440, 1]) {
      const vote = await send(interactions.chatInput(salt([{ type: 1, name: 'vote', options: [{ type: 3, name: 'presets', value: 'calling, naive' }, { type: 4, name: 'minutes', value: minutes }] }])));
      votes.push(customIds(vote.data.components).find((id) => id.startsWith('s1:vote:pick:'))!.split(':')[3]!);
    }
    expect((await send(interactions.stringSelect({ customId: `s1:vote:pick:${votes[0]}`, values: ['naive'], user: VOTER }))).type).toBe(7);
    expiredVoteId = votes[1]!;
    // A member opens the Details form… and the process dies before they submit.
    keptModal = (await send(interactions.button({ customId: 's1:card:details', message: card() }))).data;
    await bot.kill9();

    // While the bot is down, the 1-minute vote's deadline passes (moved into the past rather than waiting a minute).
    const store = await openStore();
    try {
      const expired = (await store.votes.get(expiredVoteId))!;
      await store.debug.putRaw(store.debug.keys.vote(expiredVoteId), { ...expired, closesAt: Date.now() - 1000 });
      liveVote = (await store.votes.get(votes[0]!))!;
      historyBefore = (await store.drafts.history(scope)).map((h) => h.version);
    } finally {
      await store.close();
    }
    standin.clearRecords();
    bot = await startBotProcess({ standin, dir, env: env() });
  }, 60_000);

  afterAll(() => stopAll({ bots: [bot], standin, redis, dir }));

  it('WHEN it starts again THEN the vote whose deadline passed while it was down is closed and announced', async () => {
    const announce = t('en-US', 'vote.announce');
    const post = await standin.waitFor((r) => r.method === 'POST' && r.route === 'POST /channels/:channel/messages' && textOf(r.body as Json).includes(announce), 5000);
    expect(post.params.channel).toBe(DEFAULT_IDS.channel);
    expect(standin.violations()).toEqual([]);
  });

  it('WHEN the member submits the modal opened before the crash THEN it saves on top of the kept draft, and an old card button still works', async () => {
    const saved = await send(interactions.modalSubmit({ customId: keptModal.custom_id, components: fillModal(keptModal, { attack: 'hard transient, fast 2 ms attack' }), message: card() }));
    expect(saved.data.content).toContain(`version ${historyBefore[0]! + 1}`);
    const opened = await send(interactions.button({ customId: 's1:card:track', message: card() }));
    expect(opened.type).toBe(9);
    expect(fillModal(opened.data).bpm).toBe('132');
    expect((await send(interactions.stringSelect({ customId: `s1:vote:pick:${liveVote.id}`, values: ['calling'], user: { id: '1400000000000000002', username: 'late' } }))).type).toBe(7);
  });

  it('WHEN an outdated component or a form that no longer exists is used THEN the member gets a friendly answer and a fresh card', async () => {
    const outdated = t('en-US', 'errors.outdated');
    for (const ix of [
      interactions.button({ customId: 's0:card:track', message: card() }),
      interactions.button({ customId: 's1:card:nosuchstep', message: card() }),
      interactions.modalSubmit({ customId: 's1:form:retired:3', components: { x: 'y' }, message: card() }),
    ]) {
      standin.clearRecords();
      const answer = await send(ix);
      expect({ id: (ix.data as Json).custom_id, type: answer.type, content: answer.data?.content }).toEqual({ id: (ix.data as Json).custom_id, type: 4, content: outdated });
      await standin.waitFor((r) => r.method === 'PATCH' && r.route === 'PATCH /channels/:channel/messages/:id' && r.params.id === cardId, 5000);
    }
  });

  // Freezing the backend mid-save needs a separate server process: Redis only (not a skip: the file variant has no such test).
  if (kind === 'redis') it('WHEN SIGTERM arrives while an interaction is in flight THEN it still gets its response and the process exits 0 within 10 s', async () => {
    const opened = await send(interactions.button({ customId: 's1:card:track', message: card() }));
    redis!.pause(); // the save below now waits on Redis
    const answer = bot.post(interactions.modalSubmit({ customId: opened.data.custom_id, components: fillModal(opened.data, { bpm: '134' }), message: card() }));
    await new Promise((r) => setTimeout(r, 300));
    const stopping = bot.term();
    await new Promise((r) => setTimeout(r, 200));
    redis!.resume();
    const res = await answer;
    expect(res.status).toBe(200);
    expect(res.body.type).toBe(4);
    expect(String(res.body.data.content)).toMatch(/version \d+|Storage is unavailable/);
    const { code, ms } = await stopping;
    expect(code).toBe(0);
    expect(ms).toBeLessThanOrEqual(10_000);
  });

  it('WHEN it is stopped THEN drafts, history, ballots and deadlines are all in the store', async () => {
    const { code } = await bot.term();
    expect(code).toBe(0);
    const store = await openStore();
    try {
      const history = (await store.drafts.history(scope)).map((h) => h.version);
      expect(history.slice(-historyBefore.length + 1)).toEqual(historyBefore.slice(-historyBefore.length + 1));
      expect(history).toEqual(Array.from({ length: history.length }, (_, i) => history[0]! - i));
      const vote = (await store.votes.get(liveVote.id))!;
      expect(vote.closesAt).toBe(liveVote.closesAt);
      expect(vote.closed).toBeUndefined();
      expect(vote.ballots).toEqual({ ...liveVote.ballots, '1400000000000000002': 'calling' });
      expect(liveVote.ballots).toEqual({ [VOTER.id]: 'naive' });
      const expired = (await store.votes.get(expiredVoteId))!;
      expect(expired.closed).toMatchObject({ winner: null, by: { id: 'saltbot-vote-timer' } });
      expect((await store.votes.listOpen()).map((v) => v.id)).toEqual([liveVote.id]);
    } finally {
      await store.close();
    }
  });
});
