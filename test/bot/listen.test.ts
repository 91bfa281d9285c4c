/**
 * /salt listen and the card's Listen button, through the real router: a private defer first, then
 * the WAV (rendered on the preview worker) edited in as `salt-preview.wav` with a localized summary.
 */
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { cardMessage } from '../../src/discord/card.js';
import { encodeAction } from '../../src/discord/customId.js';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import type { Reply } from '../../src/discord/reply.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import { t } from '../../src/i18n/index.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type ApiCall, type TestBot } from '../support/bot.js';
import { SCOPE, data, salt } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const actor = { id: '1', name: 'Tester' };

interface Wav {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
  durationS: number;
}

/** Reads a 16-bit PCM WAV header, checking the RIFF structure. */
function readWav(buf: Buffer): Wav {
  expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
  expect(buf.readUInt32LE(4)).toBe(buf.length - 8);
  expect(buf.toString('ascii', 8, 12)).toBe('WAVE');
  expect(buf.toString('ascii', 12, 16)).toBe('fmt ');
  expect(buf.readUInt16LE(20)).toBe(1); // PCM
  const channels = buf.readUInt16LE(22);
  const sampleRate = buf.readUInt32LE(24);
  const bitsPerSample = buf.readUInt16LE(34);
  expect(buf.readUInt32LE(28)).toBe((sampleRate * channels * bitsPerSample) / 8);
  expect(buf.toString('ascii', 36, 40)).toBe('data');
  const dataBytes = buf.readUInt32LE(40);
  expect(dataBytes).toBe(buf.length - 44);
  return { channels, sampleRate, bitsPerSample, dataBytes, durationS: dataBytes / ((channels * bitsPerSample) / 8) / sampleRate };
}

/** Seconds in `bars` bars of 4/4 at `bpm`. */
const barsS = (bars: number, bpm: number) => (bars * 4 * 60) / bpm;

function expectPrivateDefer(reply: Reply): void {
  expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
  expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
}

function theEdit(): ApiCall & { body: { content: string; attachments?: { filename: string }[]; allowed_mentions: unknown; flags?: number } } {
  const edits = bot.api.ofMethod('editOriginal');
  expect(edits).toHaveLength(1);
  return { ...edits[0]!, body: edits[0]!.args[1] as never };
}

async function draft(spec: Spec = getBuiltinPreset('calling')!.spec) {
  return bot.store.drafts.create(SCOPE, spec, actor);
}

describe('/salt listen', () => {
  for (const locale of ['en-US', 'de']) {
    it(`GIVEN the calling draft WHEN /salt listen bars:2 in ${locale} THEN a private defer, then a ${locale} summary with a valid 2-bar WAV`, async () => {
      bot = await makeBot();
      const record = await draft();
      const reply = await bot.run(salt('listen', { bars: 2 }, { locale }));
      expectPrivateDefer(reply);

      const edit = theEdit();
      expect(edit.files!.map((f) => f.name)).toEqual(['salt-preview.wav']);
      expect(edit.files![0]!.contentType).toBe('audio/wav');
      expect(edit.body.attachments!.map((a) => a.filename)).toEqual(['salt-preview.wav']);
      expect(edit.body.allowed_mentions).toEqual({ parse: [] });
      expect(edit.body.flags ?? 0).toBe(0); // a plain message: Discord plays the attachment inline
      const wav = edit.files![0]!.data;
      expect(wav.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachmentBytes);
      const header = readWav(wav);
      expect(header).toMatchObject({ channels: 2, sampleRate: 44100, bitsPerSample: 16 });
      expect(header.durationS).toBeCloseTo(barsS(2, record.spec.track.bpm), 3);

      const content = edit.body.content;
      expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
      const tr = (key: string, params?: Record<string, string | number>) => t(locale, key, params);
      expect(content).toContain(tr('card.listen.notesDefault', { notes: 'A4 C5 E5 D5 C5 B4 C5 A4', key: 'A minor' }));
      expect(content).toContain(`${record.spec.track.bpm} BPM`);
      expect(content).toContain(tr('card.listen.layers', { layers: record.spec.layers.map((l) => l.id).join(', ') }));
      expect(content).toContain(locale === 'de' ? '2 Takte' : '2 bars');
    });
  }

  it('GIVEN typed notes WHEN /salt listen notes:"E5 G5" bars:1 THEN the loop plays them and the summary lists them', async () => {
    bot = await makeBot();
    const record = await draft();
    expectPrivateDefer(await bot.run(salt('listen', { bars: 1, notes: 'E5 G5' }, { locale: 'ja' })));
    const edit = theEdit();
    expect(edit.body.content).toContain(t('ja', 'card.listen.notesTyped', { notes: 'E5 G5' }));
    expect(readWav(edit.files![0]!.data).durationS).toBeCloseTo(barsS(1, record.spec.track.bpm), 3);
  });

  it('GIVEN a blank draft (no synth settings) WHEN /salt listen THEN the summary lists the values the preview inferred', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await bot.run(salt('listen', { bars: 1 }));
    const content = theEdit().body.content;
    expect(content).toContain(t('en-US', 'card.listen.inferredHeading'));
    expect(content).toMatch(/• supersaw_core synth\.voices = \d+ \(/);
  });

  it('GIVEN no bars WHEN /salt listen THEN four bars (the default)', async () => {
    bot = await makeBot();
    const record = await draft();
    await bot.run(salt('listen'));
    expect(readWav(theEdit().files![0]!.data).durationS).toBeCloseTo(barsS(4, record.spec.track.bpm), 3);
  });

  for (const [locale, notes, token] of [
    ['en-US', 'A4 H9 C5', 'H9'],
    ['fr', 'A4 C9', 'C9'],
  ] as const) {
    it(`GIVEN bad notes "${notes}" (${locale}) WHEN /salt listen THEN an immediate private ${locale} error naming ${token}, and nothing is rendered`, async () => {
      bot = await makeBot();
      await draft();
      const reply = await bot.run(salt('listen', { notes }, { locale }));
      expect(reply.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
      expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
      const key = token === 'H9' ? 'errors.notes.notANote' : 'errors.notes.outOfRange';
      expect(data(reply).content).toBe(t(locale, key, { token, max: 32 }));
      expect(data(reply).content).toContain(`\`${token}\``);
      expect(bot.api.calls).toEqual([]);
    });
  }

  it('GIVEN no draft WHEN /salt listen THEN the private placeholder says there is no draft (no file)', async () => {
    bot = await makeBot();
    expectPrivateDefer(await bot.run(salt('listen', {}, { locale: 'es-ES' })));
    const edit = theEdit();
    expect(edit.body.content).toBe(t('es-ES', 'errors.noDraft'));
    expect(edit.files).toBeUndefined();
  });

  it('GIVEN a forged bars value of 99 WHEN /salt listen THEN it is clamped to 8 bars', async () => {
    bot = await makeBot();
    const record = await draft(getBuiltinPreset('naive')!.spec);
    await bot.run(salt('listen', { bars: 99 }));
    const wav = theEdit().files![0]!.data;
    expect(wav.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachmentBytes);
    expect(readWav(wav).durationS).toBeCloseTo(barsS(8, record.spec.track.bpm), 3);
  });
});

describe('the card Listen button', () => {
  it('GIVEN a draft card WHEN it is shown THEN it has a Listen button, and every row has at most 5 buttons', async () => {
    bot = await makeBot();
    const record = await draft();
    const components = cardMessage(record, 'pt-BR').components as { type: number; components?: { custom_id?: string; label?: string }[] }[];
    const rows = components.filter((c) => c.type === 1);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const r of rows) expect(r.components!.length).toBeLessThanOrEqual(5);
    const listen = rows.flatMap((r) => r.components!).find((b) => b.custom_id === encodeAction({ kind: 'card', step: 'listen' }));
    expect(listen?.label).toBe(t('pt-BR', 'card.buttons.listen'));
  });

  for (const locale of ['en-US', 'pt-BR']) {
    it(`GIVEN a draft WHEN Listen is pressed (${locale}) THEN a private defer, then 4 bars of WAV with a ${locale} summary`, async () => {
      bot = await makeBot();
      const record = await draft();
      const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'listen' }), locale }));
      expectPrivateDefer(reply);
      const edit = theEdit();
      const wav = edit.files![0]!.data;
      expect(wav.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachmentBytes);
      expect(readWav(wav).durationS).toBeCloseTo(barsS(4, record.spec.track.bpm), 3);
      expect(edit.body.content).toContain(t(locale, 'card.listen.footer'));
      expect(edit.body.content).toContain(t(locale, 'card.listen.heading', { version: 1, bars: 4, bpm: record.spec.track.bpm, key: 'A minor', seconds: barsS(4, record.spec.track.bpm).toFixed(1) }));
    });
  }
});
