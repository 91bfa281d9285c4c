/** /salt publish target:… and the Publish-for select: each field a labelled block and its own .txt. */
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISH_CHOICES, decodePublishArgs, encodePublishArgs, publishSelect } from '../../commands/salt/publish.js';
import { cardMessage } from '../../src/discord/card.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { renderTarget } from '../../src/domain/targets/index.js';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import { t } from '../../src/i18n/index.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt } from '../support/payloads.js';
import * as ix from '../standin/interactions.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const actor = { id: '1', name: 'Tester' };

describe('/salt publish target', () => {
  for (const guildLocale of ['en-US', 'fr']) {
    it(`GIVEN the calling draft WHEN /salt publish target:suno (guild ${guildLocale}) THEN each Suno field is a labelled block with its count and its own .txt`, async () => {
      bot = await makeBot();
      const record = await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
      await bot.run(salt('publish', { target: 'suno' }, { guildLocale }));
      const [call] = bot.api.ofMethod('followUp');
      const fields = renderTarget(record.spec, 'suno').fields;
      expect(call!.files!.map((f) => f.name)).toEqual(['salt-suno-style.txt', 'salt-suno-structure.txt', 'salt-suno-exclude.txt', 'salt-spec.json', 'salt-chart.png']);
      const shown = JSON.stringify(call!.args[1]);
      fields.forEach((f, i) => {
        expect(call!.files![i]!.data.toString('utf8')).toBe(`${f.text}\n`);
        expect(shown).toContain(JSON.stringify(`**${f.label}** · ${f.text.length}/${f.budget}`).slice(1, -1));
        expect(shown).toContain(JSON.stringify('```\n' + f.text + '\n```').slice(1, -1));
      });
      expect(shown).toContain(guildLocale === 'fr' ? 'caractères' : 'characters');
      expect(shown.length).toBeGreaterThan(0);
    });
  }

  it('GIVEN the calling draft WHEN /salt publish target:suno budget:200 THEN the style field is the v4 200-character one', async () => {
    bot = await makeBot();
    await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
    await bot.run(salt('publish', { target: 'suno', budget: 200 }));
    const style = bot.api.ofMethod('followUp')[0]!.files![0]!.data.toString('utf8');
    expect(style.trimEnd().length).toBeLessThanOrEqual(200);
    expect(style).toMatch(/^Melodic progressive house, 126 BPM, A minor/);
  });

  it('GIVEN a draft WHEN the Publish-for select picks llm THEN the LLM prompt with the reasoning preamble is published', async () => {
    bot = await makeBot();
    await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
    const select = publishSelect((key, params) => t('de', key, params));
    expect(select.options.length).toBeLessThanOrEqual(DISCORD_LIMITS.selectOptions);
    await bot.run(ix.stringSelect({ customId: select.custom_id, values: ['llm.1000'], locale: 'de' }));
    const [call] = bot.api.ofMethod('followUp');
    expect(call!.files![0]!.name).toBe('salt-llm-prompt.txt');
    expect(call!.files![0]!.data.toString('utf8')).toMatch(/REASONING FIRST:/);
  });

  it('encodes every profile in the confirmation argument and caps the Suno budget at 1000', () => {
    expect(decodePublishArgs(encodePublishArgs({ format: 'udio', budget: 1000 }))).toEqual({ format: 'udio', budget: 1000 });
    expect(encodePublishArgs({ format: 'suno', budget: 4000 })).toBe('suno.1000');
    expect(decodePublishArgs('bogus.10')).toEqual({ format: 'full', budget: 1000 });
  });
});

describe('the card offers the publish profiles', () => {
  it('GIVEN a draft card (de) WHEN it is shown THEN its last row is the "publish for" select with every profile, and choosing Suno publishes its fields', async () => {
    const bot = await makeBot();
    await bot.run(salt('new', { preset: 'calling' }));
    const record = (await bot.store.drafts.get(SCOPE))!;
    const rows = cardMessage(record, 'de').components.filter((c) => c.type === 1) as { components: { type: number; custom_id: string; options?: { value: string }[] }[] }[];
    const select = rows.at(-1)!.components[0]!;
    expect(select.type).toBe(3);
    expect(select.options!.map((o) => o.value)).toEqual(PUBLISH_CHOICES.map((c) => c.value));
    await bot.run(ix.stringSelect({ customId: select.custom_id, values: ['suno.1000'] }));
    const files = bot.api.ofMethod('followUp').flatMap((c) => (c.files ?? []).map((f) => f.name));
    expect(files).toEqual(expect.arrayContaining(['salt-suno-style.txt', 'salt-spec.json']));
    await bot.close();
  });
});
