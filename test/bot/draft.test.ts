import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/discord/customId.js';
import { t } from '../../src/i18n/index.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';

let bot: TestBot;
afterEach(async () => bot?.close());

function texts(components: unknown): string {
  return JSON.stringify(components);
}

describe('/salt new', () => {
  it('GIVEN an empty channel WHEN /salt new preset:calling THEN a public card with the preset is posted and stored', async () => {
    bot = await makeBot();
    const reply = await bot.run(ix.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never }));
    expect(reply.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = (reply.response as { data: { flags: number; components: unknown } }).data;
    expect(data.flags & MessageFlags.IsComponentsV2).toBeTruthy();
    expect(data.flags & MessageFlags.Ephemeral).toBe(0);
    expect(texts(data.components)).toContain('126 BPM · A minor');
    expect(texts(data.components)).toContain('supersaw_core');
    const record = await bot.store.drafts.get({ guildId: ix.chatInput({ name: 'x' }).guild_id!, channelId: ix.chatInput({ name: 'x' }).channel!.id });
    expect(record?.spec.track.bpm).toBe(126);
    expect(record?.cardMessageId).toBeDefined();
  });

  it('GIVEN a draft WHEN /salt new again THEN it asks to confirm and changes nothing; WHEN confirmed THEN replaced', async () => {
    bot = await makeBot();
    await bot.run(ix.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'calling' }] }] as never }));
    const ask = await bot.run(ix.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 4, name: 'bpm', value: 140 }] }] as never }));
    const data = (ask.response as { data: { flags: number; components: { components: { custom_id: string }[] }[] } }).data;
    expect(data.flags & MessageFlags.Ephemeral).toBeTruthy();
    const scope = { guildId: ix.chatInput({ name: 'x' }).guild_id!, channelId: ix.chatInput({ name: 'x' }).channel!.id };
    expect((await bot.store.drafts.get(scope))?.spec.track.bpm).toBe(126);
    const confirmId = data.components[0]!.components[0]!.custom_id;
    await bot.run(ix.button({ customId: confirmId }));
    const after = await bot.store.drafts.get(scope);
    expect(after?.spec.track.bpm).toBe(140);
    expect(after?.spec.track.key).toBe('A minor');
  });

  it('GIVEN de locale WHEN an unknown preset THEN a German ephemeral error and nothing stored', async () => {
    bot = await makeBot();
    const reply = await bot.run(ix.chatInput({ locale: 'de', name: 'salt', options: [{ type: 1, name: 'new', options: [{ type: 3, name: 'preset', value: 'nope' }] }] as never } as never));
    const data = (reply.response as { data: { flags: number; content: string } }).data;
    expect(data.flags & MessageFlags.Ephemeral).toBeTruthy();
    expect(data.content).toBe(t('de', 'errors.unknownPreset', { name: 'nope' }));
    expect(data.content).not.toBe(t('en-US', 'errors.unknownPreset', { name: 'nope' }));
    expect(await bot.store.drafts.get({ guildId: ix.chatInput({ name: 'x' }).guild_id!, channelId: ix.chatInput({ name: 'x' }).channel!.id })).toBeUndefined();
  });

  it('GIVEN an outdated custom_id WHEN pressed THEN a friendly note, never an error', async () => {
    bot = await makeBot();
    const reply = await bot.run(ix.button({ customId: 's0:card:track' }));
    expect((reply.response as { data: { content: string } }).data.content).toMatch(/older version/);
    expect(encodeAction({ kind: 'card', step: 'track' })).toBe('s1:card:track');
  });
});
