import { MessageFlags, PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePreset } from '../../src/domain/preset.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Reply } from '../../src/discord/reply.js';
import { DEFAULT_IDS, MEMBER_PERMISSIONS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { SCOPE, salt, text, data } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());



const ATTACHMENT_ID = '1300000000000000777';
function withFile(size: number, extra: Partial<ix.ChatInputOptions> = {}) {
  return ix.chatInput({
    name: 'salt',
    options: [{ type: 1, name: 'import', options: [{ type: 11, name: 'file', value: ATTACHMENT_ID }] }] as never,
    resolved: {
      attachments: {
        [ATTACHMENT_ID]: {
          id: ATTACHMENT_ID,
          filename: 'drop.json',
          size,
          url: `https://cdn.discordapp.com/attachments/1/${ATTACHMENT_ID}/drop.json`,
          proxy_url: `https://media.discordapp.net/attachments/1/${ATTACHMENT_ID}/drop.json`,
          content_type: 'application/json',
        },
      },
    } as never,
    ...extra,
  });
}

/** A bot whose attachment fetcher serves `body` and records calls. */
async function botWithFetch(body: string) {
  const b = await makeBot();
  const calls: { url: string; max: number }[] = [];
  (b.deps as { fetchAttachment?: (url: string, max: number) => Promise<string> }).fetchAttachment = async (url, max) => {
    calls.push({ url, max });
    return body;
  };
  return { b, calls };
}

describe('/salt export', () => {
  it.each(['en-US', 'de'])('GIVEN a draft (%s) WHEN exported THEN an ephemeral message carries a .json that parses back to the same spec', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new', { preset: 'calling' }));
    const reply = await bot.run(salt('export', {}, { locale }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(reply.files).toHaveLength(1);
    const file = reply.files![0]!;
    expect(file.name).toBe('draft.json');
    expect(text(reply)).toContain('attachment://draft.json');
    const parsed = parsePreset(JSON.parse(file.data.toString('utf8')));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.value.spec).toEqual((await bot.store.drafts.get(SCOPE))!.spec);
      expect(parsed.value.name).toBe('draft');
    }
  });

  it('GIVEN a name WHEN exported THEN the file is named after it; an invalid name is refused', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const reply = await bot.run(salt('export', { name: 'our-drop' }));
    expect(reply.files![0]!.name).toBe('our-drop.json');
    const bad = await bot.run(salt('export', { name: '../etc' }));
    expect(bad.files).toBeUndefined();
    expect(data(bad).content).toMatch(/not a valid file name/);
  });
});

describe('/salt import json:', () => {
  it('GIVEN a draft WHEN a valid preset file is pasted THEN it replaces the draft spec (summary import) and the card is edited', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const preset = getBuiltinPreset('layer-stack')!;
    const edits = bot.api.ofMethod('editMessage').length;
    const reply = await bot.run(salt('import', { json: JSON.stringify(preset) }));
    expect(data(reply).content).toMatch(/Imported preset \*\*layer-stack\*\*/);
    const record = await bot.store.drafts.get(SCOPE);
    expect(record?.spec).toEqual(preset.spec);
    expect((await bot.store.drafts.history(SCOPE))[0]!.summary).toBe('import');
    expect(bot.api.ofMethod('editMessage').length).toBe(edits + 1);
  });

  it('GIVEN no draft WHEN a bare spec is pasted THEN a draft starts from it', async () => {
    bot = await makeBot();
    await bot.run(salt('import', { json: JSON.stringify(getBuiltinPreset('calling')!.spec) }));
    expect((await bot.store.drafts.get(SCOPE))?.spec.track.bpm).toBe(126);
  });

  it.each(['en-US', 'fr'])('GIVEN an invalid spec (%s) WHEN pasted THEN every problem path is listed and the store is unchanged', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const before = await bot.store.drafts.get(SCOPE);
    const spec = structuredClone(getBuiltinPreset('calling')!.spec) as unknown as { track: { bpm: unknown }; layers: { ltv: { brightness: unknown } }[] };
    spec.track.bpm = 400;
    spec.layers[0]!.ltv.brightness = 'shiny';
    const reply = await bot.run(salt('import', { json: JSON.stringify(spec) }, { locale }));
    const content = data(reply).content!;
    expect(content).toContain('track.bpm');
    expect(content).toContain('layers[0].ltv.brightness');
    expect(await bot.store.drafts.get(SCOPE)).toEqual(before);
  });

  it('GIVEN an invalid preset file WHEN pasted THEN its problems are listed with their paths', async () => {
    bot = await makeBot();
    const preset = structuredClone(getBuiltinPreset('calling')!) as unknown as { name: string; spec: { track: { bpm: unknown } } };
    preset.name = 'Bad Name';
    preset.spec.track.bpm = 'fast';
    const content = data(await bot.run(salt('import', { json: JSON.stringify(preset) }))).content!;
    expect(content).toContain('name');
    expect(content).toContain('spec.track.bpm');
    expect(await bot.store.drafts.get(SCOPE)).toBeUndefined();
  });

  it('GIVEN broken JSON WHEN pasted THEN told it is not JSON, nothing saved', async () => {
    bot = await makeBot();
    const content = data(await bot.run(salt('import', { json: '{"version": 1,' }))).content!;
    expect(content).toMatch(/not valid JSON/);
    expect(await bot.store.drafts.get(SCOPE)).toBeUndefined();
  });

  it('GIVEN JSON over 6000 characters WHEN pasted THEN refused', async () => {
    bot = await makeBot();
    const content = data(await bot.run(salt('import', { json: `{"x":"${'a'.repeat(6000)}"}` }))).content!;
    expect(content).toMatch(/too large/);
  });

  it('GIVEN neither file nor json WHEN importing THEN asked for one', async () => {
    bot = await makeBot();
    expect(data(await bot.run(salt('import'))).content).toMatch(/Attach/);
  });
});

describe('/salt import file:', () => {
  it('GIVEN an attached preset file WHEN imported THEN deferred, fetched with the 64 KiB cap, the draft replaced and the reply edited', async () => {
    const preset = getBuiltinPreset('calling')!;
    const { b, calls } = await botWithFetch(JSON.stringify(preset));
    bot = b;
    await bot.run(salt('new'));
    const reply = await bot.run(withFile(2000));
    expect(reply.response.type).toBe(5);
    expect(calls).toEqual([{ url: expect.stringContaining(ATTACHMENT_ID), max: 64 * 1024 }]);
    expect((await bot.store.drafts.get(SCOPE))?.spec).toEqual(preset.spec);
    const answer = bot.api.ofMethod('editOriginal').at(-1)!.args[1] as { content: string };
    expect(answer.content).toMatch(/Imported preset \*\*calling\*\*/);
  });

  it('GIVEN an attachment over 64 KiB WHEN imported THEN refused without downloading', async () => {
    const { b, calls } = await botWithFetch('{}');
    bot = b;
    await bot.run(salt('new'));
    const before = await bot.store.drafts.get(SCOPE);
    const reply = await bot.run(withFile(65 * 1024 + 1));
    expect(data(reply).content).toMatch(/too large.*64 KiB/);
    expect(calls).toHaveLength(0);
    expect(await bot.store.drafts.get(SCOPE)).toEqual(before);
  });

  it('GIVEN an attached invalid spec WHEN imported THEN the edited reply lists the problems and nothing changed', async () => {
    const { b } = await botWithFetch(JSON.stringify({ version: 1, track: { bpm: 20, key: 'A minor', style: 'x' }, layers: [] }));
    bot = b;
    await bot.run(salt('new'));
    const before = await bot.store.drafts.get(SCOPE);
    await bot.run(withFile(200));
    const answer = bot.api.ofMethod('editOriginal').at(-1)!.args[1] as { content: string };
    expect(answer.content).toContain('track.bpm');
    expect(await bot.store.drafts.get(SCOPE)).toEqual(before);
  });

  it('GIVEN a fetch failure WHEN imported THEN a friendly note', async () => {
    bot = await makeBot();
    (bot.deps as { fetchAttachment?: unknown }).fetchAttachment = async () => {
      throw new Error('ECONNRESET');
    };
    await bot.run(withFile(200));
    const answer = bot.api.ofMethod('editOriginal').at(-1)!.args[1] as { content: string };
    expect(answer.content).toMatch(/couldn't download/);
  });
});
