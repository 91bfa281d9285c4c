import { MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/discord/customId.js';
import type { Reply } from '../../src/discord/reply.js';
import { DEFAULT_IDS, MEMBER_PERMISSIONS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt, text, data } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());



/** Makes `n` more versions by changing the BPM through the store (as the forms would). */
async function bump(n: number, actor = { id: DEFAULT_IDS.user, name: 'Tester' }) {
  for (let i = 0; i < n; i++) {
    await bot.store.drafts.update(SCOPE, actor, `track ${i}`, (c) => ({ ...c, spec: { ...c.spec, track: { ...c.spec.track, bpm: 100 + i } } }), { parts: ['track'] });
  }
}

describe('/salt undo', () => {
  it.each(['en-US', 'de'])('GIVEN two versions (%s) WHEN /salt undo THEN the previous spec is restored, the member told what was undone, the card refreshed', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bot.store.drafts.update(SCOPE, { id: '42', name: 'Ana' }, 'sidechain', (c) => ({ ...c, spec: { ...c.spec, track: { ...c.spec.track, bpm: 140 } } }));
    const edits = bot.api.ofMethod('editMessage').length;
    const reply = await bot.run(salt('undo', {}, { locale }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    const content = data(reply).content!;
    if (locale === 'en-US') {
      expect(content).toContain('version 1');
      expect(content).toContain('version 2 (sidechain, by Ana)');
    } else {
      expect(content).toMatch(/Version 1\b/);
      expect(content).toContain('Ana');
      expect(content).not.toContain('restored');
    }
    const record = await bot.store.drafts.get(SCOPE);
    expect(record?.spec.track.bpm).toBe(128);
    expect(record?.version).toBe(3);
    expect(bot.api.ofMethod('editMessage').length).toBe(edits + 1);
  });

  it('GIVEN a fresh draft WHEN the card Undo button is pressed THEN nothing to undo, nothing changed', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'undo' }) }));
    expect(data(reply).content).toMatch(/no earlier version/);
    expect((await bot.store.drafts.get(SCOPE))?.version).toBe(1);
  });

  it('GIVEN no draft WHEN /salt undo THEN told to start one', async () => {
    bot = await makeBot();
    expect(data(await bot.run(salt('undo'))).content).toContain('/salt new');
  });
});

describe('/salt history', () => {
  it.each(['en-US', 'ja'])('GIVEN 25 versions (%s) WHEN /salt history THEN the last 20 are listed newest first within limits', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bump(24, { id: '7', name: 'A *very* long name that keeps going and going `and` going' });
    const reply = await bot.run(salt('history', {}, { locale })); // run() throws on any Discord limit violation
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(data(reply).flags! & MessageFlags.IsComponentsV2).toBeTruthy();
    const s = text(reply);
    expect(s).toContain('`v25`');
    expect(s).toContain('`v6`');
    expect(s).not.toContain('`v5`');
    expect(s.indexOf('`v25`')).toBeLessThan(s.indexOf('`v24`'));
    expect(s).toMatch(/<t:\d+:R>/);
    expect(s).toContain('track 23');
    expect(s).not.toContain('*very*');
  });

  it('GIVEN a draft WHEN the card History button is pressed THEN the versions are listed', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bump(2);
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'history' }) }));
    const s = text(reply);
    expect(s).toContain('`v3`');
    expect(s).toContain('`v1`');
    expect(s).toContain('create');
  });

  it('GIVEN an undo WHEN history THEN the undo entry is listed', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bump(1);
    await bot.run(salt('undo'));
    expect(text(await bot.run(salt('history')))).toContain('undo v2');
  });
});
