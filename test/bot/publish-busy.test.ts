/**
 * Publishing while the picture queue is full: the post goes out at once, complete (prompt and spec
 * files), just without the picture; nothing is logged as a failure. The chart pool is replaced
 * with one that always answers "busy" (vi.mock).
 */
import { ComponentType } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt } from '../support/payloads.js';

vi.mock('../../src/chart/pool.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/chart/pool.js')>();
  return {
    ...real,
    renderChartPngInWorker: async () => {
      throw new real.ChartBusyError(real.CHART_MAX_WAITING);
    },
  };
});

let bot: TestBot;
afterEach(async () => bot?.close());

type Body = { components: { type: number; components: { type: number }[] }[]; attachments: { id: string; filename: string }[] };

describe('publish while the picture queue is full', () => {
  it('GIVEN the chart queue is full WHEN /salt publish THEN the post has the prompt and spec files and no picture, and no warning or error is logged', async () => {
    bot = await makeBot();
    await bot.store.drafts.create(SCOPE, getBuiltinPreset('naive')!.spec, { id: '1', name: 'Tester' });
    await bot.run(salt('publish', {}));
    const call = bot.api.ofMethod('followUp').at(-1)!;
    const body = call.args[1] as Body;
    const names = call.files!.map((f) => f.name);
    expect(names).toEqual(['salt-prompt.txt', 'salt-spec.json']);
    expect(body.attachments.map((a) => a.filename)).toEqual(names);
    expect(body.components[0]!.components.some((c) => c.type === ComponentType.MediaGallery)).toBe(false);
    expect(bot.log.lines.filter((l) => l.level === 'warn' || l.level === 'error')).toEqual([]);
  });
});
