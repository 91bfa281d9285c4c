/** /salt patch and the card's Patch button: private V2 sheets with one .txt per synth, in two locales. */
import { MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { patchSheet, renderPatchSheet } from '../../src/domain/patch.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { encodeAction } from '../../src/discord/customId.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, data, salt, text } from '../support/payloads.js';
import * as ix from '../standin/interactions.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const actor = { id: '1', name: 'Tester' };

describe('/salt patch', () => {
  for (const locale of ['en-US', 'ja']) {
    it(`GIVEN the calling draft WHEN /salt patch synth:serum in ${locale} THEN a private V2 message shows the Serum sheet and attaches it`, async () => {
      bot = await makeBot();
      const record = await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
      const reply = await bot.run(salt('patch', { synth: 'serum' }, { locale }));
      const d = data(reply) as { flags: number; attachments: { filename: string }[] };
      expect(d.flags & MessageFlags.Ephemeral).toBeTruthy();
      expect(d.flags & MessageFlags.IsComponentsV2).toBeTruthy();
      expect(reply.files!.map((f) => f.name)).toEqual(['salt-patch-serum.txt']);
      expect(d.attachments.map((a) => a.filename)).toEqual(['salt-patch-serum.txt']);
      const sheet = renderPatchSheet(patchSheet(record.spec, 'serum'));
      expect(reply.files![0]!.data.toString('utf8')).toBe(`${sheet}\n`);
      expect(text(reply)).toContain('MG Low 24');
      expect(text(reply)).toContain(locale === 'ja' ? 'パッチシート' : 'Patch sheet');
    });
  }

  it('GIVEN a draft WHEN the card Patch button is pressed THEN both sheets are attached and the message stays within limits', async () => {
    bot = await makeBot();
    await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'patch' }), locale: 'de' }));
    expect(reply.files!.map((f) => f.name)).toEqual(['salt-patch-serum.txt', 'salt-patch-sylenth1.txt']);
    expect(text(reply)).toContain('Patch-Blatt');
    expect(text(reply)).toContain('SYLENTH1 PATCH SHEET');
  });

  it('GIVEN no draft WHEN /salt patch THEN a private no-draft error', async () => {
    bot = await makeBot();
    const reply = await bot.run(salt('patch'));
    expect(data(reply).content).toMatch(/no draft/);
  });
});
