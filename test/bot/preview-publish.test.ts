/** Publishing attaches the draft's picture (`salt-chart.png`) next to the prompt and spec files. */
import { ComponentType } from 'discord-api-types/v10';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { t } from '../../src/i18n/index.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());

type Body = { components: { type: number; components: { type: number; items?: { media: { url: string }; description?: string }[] }[] }[]; attachments: { id: string; filename: string }[] };

describe('publish with the picture', () => {
  for (const [guildLocale, options] of [
    ['en-US', {}],
    ['fr', { target: 'udio' }],
  ] as const) {
    it(`GIVEN the naive draft WHEN /salt publish ${JSON.stringify(options)} (guild ${guildLocale}) THEN salt-chart.png (1200x900) is attached and shown at the end of the post`, async () => {
      bot = await makeBot();
      await bot.store.drafts.create(SCOPE, getBuiltinPreset('naive')!.spec, { id: '1', name: 'Tester' });
      await bot.run(salt('publish', options, { guildLocale }));
      const [call] = bot.api.ofMethod('followUp');
      const names = call!.files!.map((f) => f.name);
      expect(names.at(-1)).toBe('salt-chart.png');
      expect(names).toContain('salt-spec.json');
      const body = call!.args[1] as Body;
      expect(body.attachments).toEqual(names.map((filename, i) => ({ id: String(i), filename })));
      const inner = body.components[0]!.components;
      const gallery = inner.at(-1)!;
      expect(gallery.type).toBe(ComponentType.MediaGallery);
      expect(gallery.items![0]!.media.url).toBe('attachment://salt-chart.png');
      expect(gallery.items![0]!.description).toBe(t(guildLocale, 'card.preview.chartAlt', { version: 1 }));
      const chart = call!.files!.at(-1)!;
      expect(chart.data.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachmentBytes);
      const png = PNG.sync.read(chart.data);
      expect([png.width, png.height]).toEqual([1200, 900]);
    });
  }
});
