import { MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Reply } from '../../src/discord/reply.js';
import { DEFAULT_IDS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { MANAGE, SCOPE, data, salt, text } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const OTHER = { user: { id: '1300000000000000999', username: 'other', global_name: 'Other' } };

describe('/salt preset list and show', () => {
  it.each(['en-US', 'de'])('GIVEN a saved preset (%s) WHEN /salt preset list THEN built-ins and the saved one are listed privately', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new', { preset: 'calling' }));
    await bot.run(salt('preset save', { name: 'our-drop', title: 'Our festival drop' }));
    const reply = await bot.run(salt('preset list', {}, { locale }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(data(reply).flags! & MessageFlags.IsComponentsV2).toBeTruthy();
    const s = text(reply);
    expect(s).toContain('`calling`');
    expect(s).toContain('`layer-stack`');
    expect(s).toContain('`our-drop` · Our festival drop · 126 BPM · A minor');
  });

  it('GIVEN a built-in WHEN /salt preset show THEN its summary and lint are shown privately', async () => {
    bot = await makeBot();
    const reply = await bot.run(salt('preset show', { name: 'calling' }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    const s = text(reply);
    expect(s).toContain('126 BPM');
    expect(s).toContain('supersaw_core');
    expect(s).toMatch(/Lint/);
  });

  it('GIVEN no such preset WHEN shown THEN a friendly error', async () => {
    bot = await makeBot();
    const reply = await bot.run(salt('preset show', { name: 'nope' }));
    expect(data(reply).content).toContain('nope');
  });
});

describe('/salt preset apply', () => {
  it('GIVEN a draft WHEN a preset is applied THEN the spec is replaced, history says so and the card is edited', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const card = (await bot.store.drafts.get(SCOPE))!.cardMessageId;
    const reply = await bot.run(salt('preset apply', { name: 'layer-stack' }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    const record = await bot.store.drafts.get(SCOPE);
    expect(record?.spec).toEqual(getBuiltinPreset('layer-stack')!.spec);
    expect(record?.version).toBe(2);
    expect((await bot.store.drafts.history(SCOPE))[0]!.summary).toBe('preset layer-stack');
    const edits = bot.api.ofMethod('editMessage');
    expect(edits.at(-1)?.args[1]).toBe(card);
  });

  it('GIVEN no draft WHEN a preset is applied THEN a draft is created and a card posted', async () => {
    bot = await makeBot();
    await bot.run(salt('preset apply', { name: 'calling' }));
    expect((await bot.store.drafts.get(SCOPE))?.spec.track.bpm).toBe(126);
    expect(bot.api.ofMethod('createMessage')).toHaveLength(1);
    expect((await bot.store.drafts.get(SCOPE))?.cardMessageId).toBeDefined();
  });

  it('GIVEN a saved preset WHEN applied THEN the server preset is used', async () => {
    bot = await makeBot();
    await bot.run(salt('new', { bpm: 140 }));
    await bot.run(salt('preset save', { name: 'fast' }));
    await bot.run(salt('preset apply', { name: 'calling' }));
    await bot.run(salt('preset apply', { name: 'fast' }));
    expect((await bot.store.drafts.get(SCOPE))?.spec.track.bpm).toBe(140);
  });
});

describe('/salt preset save', () => {
  it('GIVEN a draft WHEN saved THEN stored per server with defaults; a second save needs overwrite', async () => {
    bot = await makeBot();
    await bot.run(salt('new', { preset: 'calling' }));
    const saved = await bot.run(salt('preset save', { name: 'our-drop' }));
    expect(data(saved).content).toContain('our-drop');
    const stored = await bot.store.presets.get(SCOPE.guildId, 'our-drop');
    expect(stored?.spec.track.bpm).toBe(126);
    expect(stored?.title).toContain('126 BPM');
    expect(stored?.savedBy.id).toBe(DEFAULT_IDS.user);

    await bot.run(salt('preset apply', { name: 'naive' }));
    const again = await bot.run(salt('preset save', { name: 'our-drop' }));
    expect(data(again).content).toContain('overwrite');
    expect((await bot.store.presets.get(SCOPE.guildId, 'our-drop'))?.spec.track.bpm).toBe(126);

    const forced = await bot.run(salt('preset save', { name: 'our-drop', overwrite: true, title: 'New', description: 'Newer' }));
    expect(data(forced).content).toMatch(/Replaced/);
    const now = await bot.store.presets.get(SCOPE.guildId, 'our-drop');
    expect(now?.spec).toEqual(getBuiltinPreset('naive')!.spec);
    expect(now?.description).toBe('Newer');
  });

  it.each(['calling', 'layer-stack'])('GIVEN the built-in name %s WHEN saved THEN refused and nothing stored', async (name) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(salt('preset save', { name, overwrite: true }));
    expect(data(reply).content).toMatch(/built-in/);
    expect(await bot.store.presets.list(SCOPE.guildId)).toEqual([]);
  });

  it.each(['Our Drop', 'bad_name', '-dash', 'x'.repeat(33)])('GIVEN an invalid name %j WHEN saved THEN refused', async (name) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(salt('preset save', { name }));
    expect(data(reply).content).toMatch(/not a valid preset name/);
    expect(await bot.store.presets.list(SCOPE.guildId)).toEqual([]);
  });

  it('GIVEN no draft WHEN saved THEN told to start one', async () => {
    bot = await makeBot();
    const reply = await bot.run(salt('preset save', { name: 'x1' }));
    expect(data(reply).content).toContain('/salt new');
  });
});

describe('/salt preset delete', () => {
  it('GIVEN a preset saved by someone else WHEN a plain member deletes it THEN refused; WHEN its saver or a moderator does THEN deleted', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bot.run(salt('preset save', { name: 'mine' }));
    await bot.run(salt('preset save', { name: 'mine-too' }));

    const refused = await bot.run(salt('preset delete', { name: 'mine' }, OTHER));
    expect(data(refused).content).toMatch(/Only Tester/);
    expect(await bot.store.presets.get(SCOPE.guildId, 'mine')).toBeDefined();

    const bySaver = await bot.run(salt('preset delete', { name: 'mine' }));
    expect(data(bySaver).content).toMatch(/Deleted/);
    expect(await bot.store.presets.get(SCOPE.guildId, 'mine')).toBeUndefined();

    await bot.run(salt('preset delete', { name: 'mine-too' }, { ...OTHER, permissions: MANAGE }));
    expect(await bot.store.presets.get(SCOPE.guildId, 'mine-too')).toBeUndefined();
  });

  it('GIVEN a built-in or unknown name WHEN deleted THEN refused', async () => {
    bot = await makeBot();
    expect(data(await bot.run(salt('preset delete', { name: 'calling' }, { permissions: MANAGE }))).content).toMatch(/can't be deleted/);
    expect(data(await bot.run(salt('preset delete', { name: 'ghost' }))).content).toMatch(/no saved preset/);
  });
});

describe('preset autocomplete', () => {
  it('GIVEN a saved preset WHEN completing show/apply THEN built-ins and saved; WHEN completing delete THEN only saved', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bot.run(salt('preset save', { name: 'club-mix' }));
    const auto = (sub: string, value: string) =>
      ix.autocomplete({
        name: 'salt',
        options: [{ type: 2, name: 'preset', options: [{ type: 1, name: sub, options: [{ type: 3, name: 'name', value, focused: true }] }] }] as never,
      });
    const values = (r: Reply) => ((r.response as { data: { choices: { value: string }[] } }).data.choices ?? []).map((c) => c.value);
    const show = values(await bot.run(auto('show', '')));
    expect(show).toContain('calling');
    expect(show).toContain('club-mix');
    expect(values(await bot.run(auto('apply', 'club')))).toEqual(['club-mix']);
    expect(values(await bot.run(auto('delete', '')))).toEqual(['club-mix']);
  });
});
