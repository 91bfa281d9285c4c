/**
 * /salt listen when the worker cannot deliver: a timeout or a full queue asks the member to try again (localized),
 * a worker failure gets the generic message and an error log; the measured lint says its checks
 * could not run. The pool is replaced with a controllable fake (vi.mock).
 */
import { InteractionResponseType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { encodeAction } from '../../src/discord/customId.js';
import { t } from '../../src/i18n/index.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt } from '../support/payloads.js';

const failure = vi.hoisted(() => ({ next: 'timeout' as 'timeout' | 'crash' | 'busy' }));

vi.mock('../../src/audio/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/audio/pool.js')>();
  const fail = async () => {
    if (failure.next === 'busy') throw new real.PreviewBusyError(real.PREVIEW_MAX_WAITING);
    throw failure.next === 'timeout' ? new real.PreviewTimeoutError(20_000) : new real.PreviewWorkerError('Error: boom');
  };
  return { ...real, renderPreviewInWorker: fail, measureSpecInWorker: fail };
});

let bot: TestBot;
afterEach(async () => bot?.close());

async function withDraft(): Promise<void> {
  bot = await makeBot();
  await bot.store.drafts.create(SCOPE, getBuiltinPreset('calling')!.spec, { id: '1', name: 'Tester' });
}

function lastEdit(): { content?: string; components?: unknown } {
  return bot.api.ofMethod('editOriginal').at(-1)!.args[1] as never;
}

describe('listen failures', () => {
  for (const locale of ['en-US', 'de']) {
    it(`GIVEN a render that times out (${locale}) WHEN /salt listen THEN the placeholder asks to try again, no file, no error log`, async () => {
      failure.next = 'timeout';
      await withDraft();
      const reply = await bot.run(salt('listen', {}, { locale }));
      expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      const edit = bot.api.ofMethod('editOriginal').at(-1)!;
      expect(edit.files).toBeUndefined();
      expect(lastEdit().content).toBe(t(locale, 'errors.listenTimeout'));
      expect(bot.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  }

  for (const locale of ['en-US', 'fr']) {
    it(`GIVEN the preview queue is full (${locale}) WHEN /salt listen THEN the placeholder says many previews are rendering and to try again in a minute, no file, no error log`, async () => {
      failure.next = 'busy';
      await withDraft();
      const reply = await bot.run(salt('listen', {}, { locale }));
      expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
      expect(bot.api.ofMethod('editOriginal').at(-1)!.files).toBeUndefined();
      expect(lastEdit().content).toBe(t(locale, 'errors.listenBusy'));
      expect(lastEdit().content).not.toBe(t(locale, 'errors.listenTimeout'));
      expect(bot.log.lines.filter((l) => l.level === 'error')).toEqual([]);
    });
  }

  it('GIVEN a crashing worker WHEN Listen is pressed THEN the generic message (no internals) and an error log', async () => {
    failure.next = 'crash';
    await withDraft();
    await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'listen' }), locale: 'ja' }));
    expect(lastEdit().content).toBe(t('ja', 'errors.generic'));
    expect(JSON.stringify(lastEdit())).not.toContain('boom');
    expect(bot.log.lines.some((l) => l.level === 'error' && l.msg === 'audio preview failed')).toBe(true);
  });

  it('GIVEN measuring fails WHEN /salt lint THEN the normal lint stays and a note says the measured checks could not run', async () => {
    failure.next = 'timeout';
    await withDraft();
    await bot.run(salt('lint', {}, { locale: 'fr' }));
    const s = JSON.stringify(lastEdit().components);
    expect(s).toContain(JSON.stringify(t('fr', 'help.lintMeasureFailed')).slice(1, -1));
    expect(s).toContain(JSON.stringify(t('fr', 'help.lintHeading', { version: 1 })).slice(1, -1));
  });
});
