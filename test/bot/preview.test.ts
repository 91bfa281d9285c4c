/**
 * The card's Preview button and /salt show prompt:True attach the draft's picture
 * (`salt-chart.png`, shown in a media gallery) next to the prompt; /salt lint adds the measured
 * findings (rendered and analysed on the preview worker), marked 🔬, to the normal lint.
 */
import { ComponentType, MessageFlags } from 'discord-api-types/v10';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { measureSpecReport } from '../../src/audio/measure.js';
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/chart/index.js';
import { encodeAction } from '../../src/discord/customId.js';
import type { Reply } from '../../src/discord/reply.js';
import { lintSpec } from '../../src/domain/lint.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { renderPrompt } from '../../src/domain/render.js';
import { t } from '../../src/i18n/index.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, data, salt, text } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());
const actor = { id: '1', name: 'Tester' };

/** The JSON-escaped form of a string, as it appears inside JSON.stringify output. */
const inJson = (s: string) => JSON.stringify(s).slice(1, -1);

function expectChart(reply: Reply, locale: string, version: number): void {
  const d = data(reply) as { flags: number; components: { type: number; items?: { media: { url: string }; description?: string }[] }[]; attachments: { filename: string }[] };
  expect(d.flags & MessageFlags.Ephemeral).toBeTruthy();
  expect(d.flags & MessageFlags.IsComponentsV2).toBeTruthy();
  expect(reply.files!.map((f) => f.name)).toEqual(['salt-chart.png']);
  expect(reply.files![0]!.contentType).toBe('image/png');
  expect(d.attachments.map((a) => a.filename)).toEqual(['salt-chart.png']);
  const gallery = d.components.find((c) => c.type === ComponentType.MediaGallery)!;
  expect(gallery.items![0]!.media.url).toBe('attachment://salt-chart.png');
  expect(gallery.items![0]!.description).toBe(t(locale, 'card.preview.chartAlt', { version }));
  const png = PNG.sync.read(reply.files![0]!.data);
  expect([png.width, png.height]).toEqual([1200, 900]);
  expect([CHART_WIDTH, CHART_HEIGHT]).toEqual([1200, 900]);
}

describe('Preview with the picture', () => {
  for (const locale of ['en-US', 'ja']) {
    it(`GIVEN the calling draft WHEN the card Preview button is pressed (${locale}) THEN the prompt and a 1200x900 PNG chart, privately`, async () => {
      bot = await makeBot();
      const record = await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
      const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'preview' }), locale }));
      expectChart(reply, locale, record.version);
      const prompt = renderPrompt(record.spec);
      expect(text(reply)).toContain(inJson(prompt.split('\n')[0]!));
      expect(text(reply)).toContain(inJson(prompt.slice(-60)));
    });
  }

  it('GIVEN a blank draft WHEN /salt show prompt:True (de) THEN the prompt and the chart, privately', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(salt('show', { prompt: true }, { locale: 'de' }));
    expectChart(reply, 'de', 1);
    expect(text(reply)).toContain(inJson(renderPrompt((await bot.store.drafts.get(SCOPE))!.spec).split('\n')[0]!));
  });

  it('GIVEN /salt show without prompt WHEN run THEN the public card, without a picture', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(salt('show'));
    expect(reply.files).toBeUndefined();
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeFalsy();
  });
});

describe('/salt lint with measured findings', () => {
  for (const locale of ['en-US', 'de']) {
    it(`GIVEN the calling draft (${locale}) WHEN /salt lint THEN the normal lint at once, then the measured findings marked 🔬 edited in`, async () => {
      bot = await makeBot();
      const record = await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, actor);
      const reply = await bot.run(salt('lint', {}, { locale }));
      // First response: the normal lint, and a note that measuring is under way.
      expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
      expect(text(reply)).toContain(inJson(t(locale, 'help.lintMeasuring')));
      for (const f of lintSpec(record.spec)) expect(text(reply)).toContain(inJson(t(locale, f.messageKey, f.params)).slice(0, 40));

      const edits = bot.api.ofMethod('editOriginal');
      expect(edits).toHaveLength(1);
      const body = edits[0]!.args[1] as { flags: number; components: unknown; allowed_mentions: unknown };
      expect(body.flags & MessageFlags.IsComponentsV2).toBeTruthy();
      expect(body.allowed_mentions).toEqual({ parse: [] });
      const edited = JSON.stringify(body.components);
      expect(edited).toContain(inJson(t(locale, 'help.lintMeasuredHeading')));
      expect(edited).not.toContain(inJson(t(locale, 'help.lintMeasuring')));
      const measured = measureSpecReport(record.spec).findings;
      expect(measured.length).toBeGreaterThan(0);
      for (const f of measured) expect(edited).toContain(inJson(`ℹ️ 🔬 ${t(locale, f.messageKey, f.params)}`));
      // The normal lint is still there.
      for (const f of lintSpec(record.spec)) expect(edited).toContain(inJson(t(locale, f.messageKey, f.params)).slice(0, 40));
    });
  }

  it('GIVEN a draft whose sound matches its words WHEN the Lint button is pressed THEN the measured part says so', async () => {
    bot = await makeBot();
    const spec = getBuiltinPreset('naive')!.spec;
    expect(measureSpecReport(spec).findings).toEqual([]);
    await bot.store.drafts.create(SCOPE, spec, actor);
    await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'lint' }), locale: 'es-ES' }));
    const edited = JSON.stringify((bot.api.ofMethod('editOriginal')[0]!.args[1] as { components: unknown }).components);
    expect(edited).toContain(inJson(t('es-ES', 'help.lintMeasuredClean')));
  });
});
