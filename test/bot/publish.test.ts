import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePublishArgs, encodePublishArgs } from '../../commands/salt/publish.js';
import { renderCompact } from '../../src/domain/compact.js';
import { lintSpec } from '../../src/domain/lint.js';
import { parseSpec } from '../../src/domain/parse.js';
import { parsePreset } from '../../src/domain/preset.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { renderPrompt } from '../../src/domain/render.js';
import { decodeAction, encodeAction } from '../../src/discord/customId.js';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import type { Reply } from '../../src/discord/reply.js';
import type { ApiCall } from '../support/bot.js';
import { maximalSpecInput } from '../fixtures/arbitrary.js';
import { DEFAULT_IDS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const scope = { guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel };
const actor = { id: DEFAULT_IDS.user, name: 'Tester' };

type Data = { flags?: number; content?: string; components?: unknown[] };
const dataOf = (reply: Reply): Data => (reply.response as { data?: Data }).data ?? {};
const text = (v: unknown): string => JSON.stringify(v);

function publishCommand(opts: { format?: string; budget?: number; guildLocale?: string; locale?: string } = {}) {
  const options: { type: number; name: string; value: string | number }[] = [];
  if (opts.format !== undefined) options.push({ type: 3, name: 'format', value: opts.format });
  if (opts.budget !== undefined) options.push({ type: 4, name: 'budget', value: opts.budget });
  return ix.chatInput({
    name: 'salt',
    ...(opts.guildLocale ? { guildLocale: opts.guildLocale } : {}),
    ...(opts.locale ? { locale: opts.locale } : {}),
    options: [{ type: 1, name: 'publish', options }] as never,
  });
}

async function draftFrom(b: TestBot, preset: string) {
  return b.store.drafts.create(scope, getBuiltinPreset(preset)!.spec, actor);
}

function fileOf(call: ApiCall, name: string): Buffer {
  const f = call.files?.find((x) => x.name === name);
  if (!f) throw new Error(`no ${name} in ${call.files?.map((x) => x.name).join(', ')}`);
  return f.data;
}

function onlyFollowUp(b: TestBot): ApiCall {
  const calls = b.api.ofMethod('followUp');
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

/** Sum of TextDisplay text in a V2 body. */
function textTotal(body: unknown): number {
  let n = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as { type?: number; content?: unknown };
    if (o.type === 10 && typeof o.content === 'string') n += o.content.length;
    Object.values(o).forEach(walk);
  };
  walk(body);
  return n;
}

describe('/salt publish', () => {
  it('GIVEN a clean draft WHEN /salt publish THEN it defers publicly, then follows up with a V2 message and the two files', async () => {
    bot = await makeBot();
    const record = await draftFrom(bot, 'calling');
    expect(lintSpec(record.spec).filter((f) => f.severity !== 'info')).toEqual([]);

    const reply = await bot.run(publishCommand());
    expect(reply.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect((dataOf(reply).flags ?? 0) & MessageFlags.Ephemeral).toBe(0);

    const call = onlyFollowUp(bot);
    const body = call.args[1] as { flags: number; components: unknown[]; allowed_mentions: unknown; attachments: { filename: string }[] };
    expect(body.flags & MessageFlags.IsComponentsV2).toBeTruthy();
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(call.files!.map((f) => f.name)).toEqual(['salt-prompt.txt', 'salt-spec.json', 'salt-chart.png']);
    expect(body.attachments.map((a) => a.filename)).toEqual(['salt-prompt.txt', 'salt-spec.json', 'salt-chart.png']);
    for (const f of call.files!) {
      expect(f.data.length).toBeGreaterThan(0);
      expect(f.data.length).toBeLessThanOrEqual(DISCORD_LIMITS.attachmentBytes);
    }

    const prompt = renderPrompt(record.spec);
    expect(fileOf(call, 'salt-prompt.txt').toString('utf8')).toBe(prompt);
    const parsed = parsePreset(JSON.parse(fileOf(call, 'salt-spec.json').toString('utf8')));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.format).toBe('saltbot.preset');
      expect(parsed.value.spec).toEqual(record.spec);
    }

    const shown = text(body.components);
    expect(shown).toContain('"file":{"url":"attachment://salt-prompt.txt"}');
    expect(shown).toContain('"file":{"url":"attachment://salt-spec.json"}');
    expect(shown).toContain('126 BPM · A minor');
    // The whole prompt is shown in a code block (it fits).
    expect(shown).toContain(JSON.stringify('```\n' + prompt + '\n```').slice(1, -1));
    expect(textTotal(body.components)).toBeLessThanOrEqual(DISCORD_LIMITS.v2TextTotal);
  });

  it('GIVEN a draft WHEN /salt publish format:compact budget:200 THEN the .txt is the compact form within 200 characters', async () => {
    bot = await makeBot();
    const record = await draftFrom(bot, 'calling');
    await bot.run(publishCommand({ format: 'compact', budget: 200 }));
    const call = onlyFollowUp(bot);
    const txt = fileOf(call, 'salt-prompt.txt').toString('utf8');
    expect(txt.length).toBeLessThanOrEqual(200);
    expect(txt.length).toBeGreaterThan(50);
    expect(txt).toBe(renderCompact(record.spec, 200));
    expect(text((call.args[1] as { components: unknown }).components)).toContain('compact prompt (≤ 200 characters)');
  });

  it('GIVEN lint warnings WHEN /salt publish THEN a private confirmation lists them and nothing is posted; WHEN "Publish anyway" THEN it is published with the warnings listed', async () => {
    bot = await makeBot();
    await draftFrom(bot, 'calling');
    await bot.store.drafts.update(scope, actor, 'sidechain', (cur) => ({ ...cur, spec: { ...cur.spec, sidechain: { ...cur.spec.sidechain!, releaseMs: 40 } } }));
    const spec = (await bot.store.drafts.get(scope))!.spec;
    expect(lintSpec(spec).some((f) => f.severity === 'warning')).toBe(true);

    const ask = await bot.run(publishCommand({ format: 'compact', budget: 300 }));
    const data = dataOf(ask) as { flags: number; content: string; components: { components: { custom_id: string; label: string }[] }[] };
    expect(ask.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    expect(data.flags & MessageFlags.Ephemeral).toBeTruthy();
    expect(data.content).toMatch(/Publish anyway\?/);
    expect(data.content).toMatch(/40 ms/);
    const [anyway, cancel] = data.components[0]!.components;
    expect(decodeAction(anyway!.custom_id)).toEqual({ kind: 'confirm', what: 'publish', arg: 'compact.300' });
    expect(cancel!.custom_id).toBe(encodeAction({ kind: 'cancel' }));
    expect(bot.api.calls.filter((c) => c.method !== 'getOriginal')).toEqual([]);

    // Cancel changes nothing.
    const cancelled = await bot.run(ix.button({ customId: cancel!.custom_id }));
    expect(cancelled.response.type).toBe(InteractionResponseType.UpdateMessage);
    expect(bot.api.ofMethod('followUp')).toEqual([]);

    const go = await bot.run(ix.button({ customId: anyway!.custom_id }));
    expect(go.response.type).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    const call = onlyFollowUp(bot);
    const txt = fileOf(call, 'salt-prompt.txt').toString('utf8');
    expect(txt).toBe(renderCompact(spec, 300));
    const shown = text((call.args[1] as { components: unknown }).components);
    expect(shown).toContain('Published despite lint findings');
    expect(shown).toMatch(/40 ms/);
  });

  it('GIVEN a prompt too long to show with the message WHEN published THEN the compact form is shown with a note and the exact prompt is attached', async () => {
    bot = await makeBot();
    const parsed = parseSpec(maximalSpecInput());
    if (!parsed.ok) throw new Error('maximal spec invalid');
    await bot.store.drafts.create(scope, parsed.value, actor);
    const prompt = renderPrompt(parsed.value);
    expect(prompt.length).toBeGreaterThan(3600); // too long once the heading and notes are added

    const first = await bot.run(publishCommand());
    let call = bot.api.ofMethod('followUp')[0];
    if (!call) {
      // The maximal spec may have lint findings: confirm.
      const id = (dataOf(first) as { components: { components: { custom_id: string }[] }[] }).components[0]!.components[0]!.custom_id;
      await bot.run(ix.button({ customId: id }));
      call = onlyFollowUp(bot);
    }
    const body = call.args[1] as { components: unknown };
    expect(fileOf(call, 'salt-prompt.txt').toString('utf8')).toBe(prompt);
    const shown = text(body.components);
    expect(shown).toContain('The exact prompt is attached as `salt-prompt.txt`');
    expect(textTotal(body.components)).toBeLessThanOrEqual(DISCORD_LIMITS.v2TextTotal);
  });

  it('GIVEN two guild locales WHEN published from the card button THEN the follow-up has the same structure', async () => {
    const shapes: string[] = [];
    for (const guildLocale of ['en-US', 'fr']) {
      bot = await makeBot();
      await draftFrom(bot, 'naive');
      await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'publish' }), guildLocale, locale: 'de' }));
      const body = onlyFollowUp(bot).args[1] as { components: { type: number; components?: { type: number }[] }[] };
      shapes.push(text(body.components.map((c) => [c.type, (c.components ?? []).map((k) => k.type)])));
      await bot.close();
    }
    expect(shapes[0]).toBe('[[17,[10,14,10,10,13,13,12]]]');
    expect(shapes[1]).toBe(shapes[0]);
  });

  it('GIVEN no draft WHEN /salt publish THEN a private "no draft" error and nothing is posted', async () => {
    bot = await makeBot();
    const reply = await bot.run(publishCommand());
    expect(dataOf(reply).content).toMatch(/no draft/);
    expect(bot.api.calls).toEqual([]);
  });

  it('encodes and decodes the Publish anyway argument, clamping the budget', () => {
    expect(encodePublishArgs({ format: 'compact', budget: 200 })).toBe('compact.200');
    expect(decodePublishArgs('compact.200')).toEqual({ format: 'compact', budget: 200 });
    expect(decodePublishArgs('compact.99999')).toEqual({ format: 'compact', budget: 4000 });
    expect(decodePublishArgs('garbage')).toEqual({ format: 'full', budget: 1000 });
  });
});
