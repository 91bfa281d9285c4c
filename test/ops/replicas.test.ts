/**
 * Several HTTP-interaction replicas behind a load balancer, sharing one Redis: two real bot
 * processes (`node dist/src/main.js`, SALT_TRANSPORT=http) on one redis-server and the Discord
 * stand-in. Interactions for one channel's draft alternate between them; each replica sees the
 * other's edits (modals prefilled from the shared draft, cards rendered with both edits) and the
 * one card message is updated by whichever replica handled the edit.
 */
import type { APIInteraction, APIMessage } from 'discord-api-types/v10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_IDS, interactions, startStandin, type RecordedCallback, type Standin } from '../standin/index.js';
import { customIds, fillModal, sample, startBotProcess, stopAll, tempDir, textOf, type BotProcess, type Json } from '../support/botProcess.js';
import { startRedis, type RedisServer } from '../support/redis.js';

describe('GIVEN two HTTP replicas of the bot on one Redis', () => {
  let redis: RedisServer;
  let standin: Standin;
  let dir: string;
  const bots: BotProcess[] = [];
  let cardId: string | undefined;

  beforeAll(async () => {
    [redis, standin] = await Promise.all([startRedis(), startStandin({ strictEdits: true })]);
    dir = tempDir('replicas');
    // One after the other, as a rolling deploy would: the second finds the commands registered.
    bots.push(await startBotProcess({ standin, dir, env: { REDIS_URL: redis.url } }));
    bots.push(await startBotProcess({ standin, dir, env: { REDIS_URL: redis.url } }));
  }, 60_000);

  afterAll(() => stopAll({ bots, standin, redis, dir }));

  /** Posts to replica `i` (0 = A, 1 = B) as a load balancer would; resolves with its answer. */
  const send = (i: number, interaction: APIInteraction): Promise<RecordedCallback> => bots[i]!.send(interaction);
  const card = (): APIMessage => {
    const m = standin.messages(DEFAULT_IDS.channel).find((x) => x.id === cardId);
    if (!m) throw new Error('the card message is gone');
    return m;
  };
  /** Submits the modal on replica `submitOn`, following "next" steps on the other replica. */
  async function submit(modalCb: RecordedCallback, submitOn: number, overrides: Record<string, string>): Promise<void> {
    let current = modalCb;
    for (let step = 0, on = submitOn; step < 4; step++, on = 1 - on) {
      expect(current.type).toBe(9);
      const modal = current.data as Json;
      const answer = await send(on, interactions.modalSubmit({ customId: modal.custom_id as string, components: fillModal(modal, overrides), message: card() }));
      const next = customIds((answer.data as Json | undefined)?.components).find((id) => id.startsWith('s1:next:'));
      if (!next) return;
      current = await send(1 - on, interactions.button({ customId: next, message: card() }));
    }
  }

  it('WHEN both have started THEN the commands were registered once (the second found the hash in Redis) and both are healthy', async () => {
    expect(standin.requests.filter((r) => r.method === 'PUT').map((r) => r.route)).toEqual(['PUT /applications/:app/guilds/:guild/commands']);
    for (const bot of bots) expect((await bot.health()).body).toMatchObject({ status: 'ok', store: { kind: 'redis', ok: true } });
  });

  it('WHEN interactions on one draft alternate between the replicas THEN each sees the other’s edits and the card shows all of them', async () => {
    const create = interactions.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never });
    expect((await send(0, create)).type).toBe(4);
    await standin.waitFor((r) => r.method === 'GET' && r.path.endsWith(`/${create.token}/messages/@original`), 5000);
    cardId = standin.messages(DEFAULT_IDS.channel).find((m) => (m as Json).interaction_metadata?.id === create.id)?.id;
    expect(cardId).toBeDefined();

    // B opens the track form for the draft A created, A submits it.
    const trackOnB = await send(1, interactions.button({ customId: 's1:card:track', message: card() }));
    expect(Object.entries(fillModal(trackOnB.data as Json)).find(([id]) => id.includes('bpm'))?.[1]).toBe('126');
    await submit(trackOnB, 0, { bpm: '132' });
    await expect.poll(() => textOf(card()), { timeout: 5000, interval: 25 }).toContain('132 BPM');

    // B adds a layer: its card render carries A's BPM.
    const layerOnB = await send(1, interactions.chatInput({ name: 'salt', options: [{ type: 2, name: 'layer', options: [{ type: 1, name: 'add', options: [] }] }] as never }));
    await submit(layerOnB, 1, { id: 'replica_pluck', name: 'replica_pluck' });
    await expect.poll(() => textOf(card()), { timeout: 5000, interval: 25 }).toContain('replica_pluck');
    expect(textOf(card())).toContain('132 BPM');

    // A's track form is prefilled with its own BPM; A's next edit keeps B's layer.
    const trackOnA = await send(0, interactions.button({ customId: 's1:card:track', message: card() }));
    expect(Object.entries(fillModal(trackOnA.data as Json)).find(([id]) => id.includes('bpm'))?.[1]).toBe('132');
    await submit(trackOnA, 0, { bpm: '134' });
    await expect.poll(() => textOf(card()), { timeout: 5000, interval: 25 }).toContain('134 BPM');
    expect(textOf(card())).toContain('replica_pluck');

    // Both replicas edited the one card message.
    expect(standin.violations()).toEqual([]);
    for (const bot of bots) {
      const metrics = await (await fetch(`${bot.url}/metrics`)).text();
      expect(sample(metrics, 'saltbot_interactions_total', { type: 'modal', outcome: 'ok' })).toBeGreaterThan(0);
      expect(bot.lines.filter((l) => l.msg === 'interaction').every((l) => l.outcome === 'ok')).toBe(true);
    }
  });
});
