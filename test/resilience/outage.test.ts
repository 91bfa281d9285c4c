/**
 * Redis outage: the real bot process (HTTP transport, REDIS_URL) keeps answering while its
 * redis-server is killed. Every interaction (slash command, button, modal submit, vote pick,
 * autocomplete) gets its first response within Discord's 3-second deadline, the messages say
 * "storage unavailable" in the member's locale, /healthz reports the store down, nothing is half
 * written, the process stays up, and once Redis is back (same port, append-only file) the bot
 * heals by itself with every draft intact.
 */
import type { APIInteraction } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import { createStore } from '../../src/store/index.js';
import { DEFAULT_IDS, interactions, startStandin, type Standin } from '../standin/index.js';
import { customIds, fillModal, startBotProcess, stopAll, tempDir, type BotProcess } from '../support/botProcess.js';
import { startRedis, type RedisServer } from '../support/redis.js';

const EPHEMERAL = 1 << 6;
const DEADLINE_MS = 3000;
const CHANNELS = ['1300000000000000101', '1300000000000000102'];
const EMPTY_CHANNEL = '1300000000000000103';

const salt = (options: unknown) => ({ name: 'salt', options: options as never });

describe('GIVEN the bot process over HTTP with Redis', () => {
  let redis: RedisServer;
  let standin: Standin;
  let bot: BotProcess;
  let dir: string;
  let voteId: string;
  const before = new Map<string, { version: number; history: number }>();

  const send = (interaction: APIInteraction) => bot.post(interaction);

  async function snapshot(): Promise<Map<string, { version: number; history: number } | undefined>> {
    const store = await createStore({ redisUrl: redis.url, logger: { info() {}, warn() {} } });
    try {
      const out = new Map<string, { version: number; history: number } | undefined>();
      for (const channelId of [...CHANNELS, EMPTY_CHANNEL]) {
        const scope = { guildId: DEFAULT_IDS.guild, channelId };
        const record = await store.drafts.get(scope);
        out.set(channelId, record ? { version: record.version, history: (await store.drafts.history(scope)).length } : undefined);
      }
      return out;
    } finally {
      await store.close();
    }
  }

  beforeAll(async () => {
    redis = await startRedis({ persist: true });
    standin = await startStandin();
    dir = tempDir('outage');
    bot = await startBotProcess({ standin, dir, env: { REDIS_URL: redis.url, SALT_EDIT_RATE_PER_MINUTE: '0' } });
    for (const channelId of CHANNELS) {
      const created = await send(interactions.chatInput({ channelId, ...salt([{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }]) }));
      expect(created.body.type).toBe(4);
      const opened = await send(interactions.button({ channelId, customId: 's1:card:track' }));
      const submit = interactions.modalSubmit({ channelId, customId: opened.body.data.custom_id, components: fillModal(opened.body.data, { bpm: '128' }) });
      expect((await send(submit)).body.data.content).toContain('version 2');
    }
    const vote = await send(interactions.chatInput(salt([{ type: 1, name: 'vote', options: [{ type: 3, name: 'presets', value: 'calling, naive' }] }])));
    voteId = customIds(vote.body.data.components).find((id) => id.startsWith('s1:vote:pick:'))!.split(':')[3]!;
    for (const [k, v] of await snapshot()) if (v) before.set(k, v);
    expect(before.size).toBe(CHANNELS.length);
  }, 60_000);

  afterAll(() => stopAll({ bots: [bot], standin, redis, dir }));

  it('WHEN Redis is killed THEN /healthz says the store is down and every interaction is answered within 3 s with the localized "storage unavailable" message', async () => {
    expect((await bot.health()).status).toBe(200);
    await redis.kill();
    await expect.poll(async () => (await bot.health()).status, { timeout: 5000, interval: 100 }).toBe(503);
    const health = await bot.health();
    expect(health.body.store).toMatchObject({ kind: 'redis', ok: false });

    const [a, b] = CHANNELS as [string, string];
    const cases: { what: string; locale: string; ix: APIInteraction }[] = [];
    for (const locale of ['en-US', 'de']) {
      cases.push(
        { what: 'slash /salt track', locale, ix: interactions.chatInput({ locale, channelId: a, ...salt([{ type: 1, name: 'track' }]) }) },
        { what: 'slash /salt new (a write)', locale, ix: interactions.chatInput({ locale, channelId: EMPTY_CHANNEL, ...salt([{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }]) }) },
        { what: 'button Track', locale, ix: interactions.button({ locale, channelId: b, customId: 's1:card:track' }) },
        {
          what: 'modal submit (a write)',
          locale,
          ix: interactions.modalSubmit({ locale, channelId: a, customId: 's1:form:track:2', components: { bpm: '140', key: ['A minor'], style: 'progressive house', references: '', extras: [] } }),
        },
        { what: 'vote pick (a write)', locale, ix: interactions.stringSelect({ locale, customId: `s1:vote:pick:${voteId}`, values: ['naive'] }) },
      );
    }
    for (const c of cases) {
      const answer = await send(c.ix);
      expect({ what: c.what, locale: c.locale, status: answer.status, inTime: answer.ms < DEADLINE_MS }).toEqual({ what: c.what, locale: c.locale, status: 200, inTime: true });
      expect(answer.body.type).toBe(4);
      expect(answer.body.data.flags & EPHEMERAL).toBe(EPHEMERAL);
      expect(answer.body.data.content).toBe(t(c.locale, 'errors.storageUnavailable'));
      expect(answer.body.data.allowed_mentions).toEqual({ parse: [] });
    }
    // Autocomplete cannot carry a message: it answers, in time, with no choices.
    const auto = await send(interactions.autocomplete({ channelId: a, ...salt([{ type: 2, name: 'layer', options: [{ type: 1, name: 'edit', options: [{ type: 3, name: 'layer', value: 'sup', focused: true }] }] }]) }));
    expect(auto.ms).toBeLessThan(DEADLINE_MS);
    expect(auto.body).toEqual({ type: 8, data: { choices: [] } });
    expect(bot.alive).toBe(true);
    expect(standin.violations()).toEqual([]);
  });

  it('WHEN Redis comes back on the same port THEN the bot heals by itself, every draft is there and nothing was half written', async () => {
    await redis.restart();
    await expect.poll(async () => (await bot.health()).status, { timeout: 10_000, interval: 100 }).toBe(200);
    const after = await snapshot();
    for (const [channelId, v] of before) expect({ channelId, ...after.get(channelId) }).toEqual({ channelId, ...v });
    expect(after.get(EMPTY_CHANNEL)).toBeUndefined(); // the /salt new sent during the outage left nothing behind
    // And it works again: the Track modal opens on the same version, a save makes the next one.
    const [a] = CHANNELS as [string];
    const opened = await send(interactions.button({ channelId: a, customId: 's1:card:track' }));
    expect(opened.body.type).toBe(9);
    expect(opened.body.data.custom_id).toBe(`s1:form:track:${before.get(a)!.version}`);
    const saved = await send(interactions.modalSubmit({ channelId: a, customId: opened.body.data.custom_id, components: fillModal(opened.body.data, { bpm: '131' }) }));
    expect(saved.body.data.content).toContain(`version ${before.get(a)!.version + 1}`);
    const pick = await send(interactions.stringSelect({ customId: `s1:vote:pick:${voteId}`, values: ['naive'] }));
    expect(pick.body.type).toBe(7);
    expect(bot.alive).toBe(true);
    expect(bot.lines.some((l) => typeof l.msg === 'string' && l.msg.includes('is back'))).toBe(true);
  });
});
