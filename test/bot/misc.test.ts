import { readFileSync } from 'node:fs';
import { MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { saltCommand } from '../../commands/index.js';
import { LINT_MESSAGES_EN, LINT_RULES, lintSpec } from '../../src/domain/lint.js';
import { MEASURED_LINT_MESSAGES_EN } from '../../src/audio/measure.js';
import { encodeAction } from '../../src/discord/customId.js';
import { localizeCommandRefs, t, type Locale } from '../../src/i18n/index.js';
import { DEFAULT_IDS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';
import { MANAGE, SCOPE, data, salt, text } from '../support/payloads.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const OTHER = { user: { id: '1300000000000000999', username: 'other', global_name: 'Other' } };

async function withRelease(releaseMs: number) {
  await bot.store.drafts.update(SCOPE, { id: DEFAULT_IDS.user, name: 'Tester' }, 'sidechain', (c) => ({
    ...c,
    spec: { ...c.spec, track: { ...c.spec.track, bpm: 128 }, sidechain: { duckDb: 7, releaseMs } },
  }));
}

describe('lint.json', () => {
  it('equals LINT_MESSAGES_EN plus MEASURED_LINT_MESSAGES_EN (keys are the rule ids) so they never drift', () => {
    const file = JSON.parse(readFileSync(new URL('../../locales/en-US/lint.json', import.meta.url), 'utf8')) as Record<string, string>;
    const all = { ...LINT_MESSAGES_EN, ...MEASURED_LINT_MESSAGES_EN };
    const expected = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.replace(/^lint\./, ''), v]));
    expect(file).toEqual(expected);
    const measuredIds = Object.keys(MEASURED_LINT_MESSAGES_EN).map((k) => k.replace(/^lint\./, ''));
    expect(Object.keys(file).sort()).toEqual([...LINT_RULES.map((r) => r.id), ...measuredIds].sort());
  });
});

describe('/salt lint', () => {
  it.each(['en-US', 'de'])('GIVEN a 500 ms release at 128 BPM (%s) WHEN /salt lint THEN every finding is listed privately, localized', async (locale) => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await withRelease(500);
    const findings = lintSpec((await bot.store.drafts.get(SCOPE))!.spec);
    expect(findings.some((f) => f.rule === 'sidechain-release-muddy')).toBe(true);
    const reply = await bot.run(salt('lint', {}, { locale }));
    expect(data(reply).flags! & MessageFlags.Ephemeral).toBeTruthy();
    const s = text(reply);
    expect(s).toContain('500 ms');
    if (locale === 'en-US') expect(s).toContain('still ducked');
    for (const f of findings) expect(s).toContain(JSON.stringify(t(locale, f.messageKey, f.params)).slice(1, 40));
    expect(s).toContain('`sidechain.releaseMs`');
  });

  it('GIVEN a draft WHEN the card Lint button is pressed THEN the same list', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await withRelease(500);
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'lint' }) }));
    expect(text(reply)).toContain('Sidechain release 500 ms');
  });

  it('GIVEN a clean release WHEN linted THEN no release finding', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    await withRelease(350);
    expect(text(await bot.run(salt('lint')))).not.toContain('Sidechain release 350 ms');
  });
});

describe('/salt reset', () => {
  it('GIVEN a draft WHEN its creator resets and confirms THEN the draft and history are deleted and the card says so', async () => {
    bot = await makeBot();
    await bot.run(salt('new'));
    const cardId = (await bot.store.drafts.get(SCOPE))!.cardMessageId!;
    const ask = await bot.run(salt('reset'));
    expect(data(ask).flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(await bot.store.drafts.get(SCOPE)).toBeDefined();
    const confirmId = data(ask).components![0]!.components![0]!.custom_id!;
    expect(confirmId).toMatch(/^s1:ok:reset/);
    const done = await bot.run(ix.button({ customId: confirmId }));
    expect(done.response.type).toBe(7);
    expect(await bot.store.drafts.get(SCOPE)).toBeUndefined();
    expect(await bot.store.drafts.history(SCOPE)).toEqual([]);
    const edit = bot.api.ofMethod('editMessage').at(-1)!;
    expect(edit.args[1]).toBe(cardId);
    expect(JSON.stringify(edit.args[2])).toContain('reset by Tester');
  });

  it('GIVEN a draft by someone else WHEN a plain member asks or presses confirm THEN refused and nothing deleted', async () => {
    bot = await makeBot();
    await bot.run(salt('new', {}, OTHER));
    expect(data(await bot.run(salt('reset'))).content).toMatch(/Only the draft's creator/);
    const forged = await bot.run(ix.button({ customId: encodeAction({ kind: 'confirm', what: 'reset', arg: '1' }) }));
    expect(data(forged).content).toMatch(/Only the draft's creator/);
    expect(await bot.store.drafts.get(SCOPE)).toBeDefined();
  });

  it('GIVEN a draft by someone else WHEN a member with Manage Messages resets THEN deleted', async () => {
    bot = await makeBot();
    await bot.run(salt('new', {}, OTHER));
    const ask = await bot.run(salt('reset', {}, { permissions: MANAGE }));
    await bot.run(ix.button({ customId: data(ask).components![0]!.components![0]!.custom_id!, permissions: MANAGE }));
    expect(await bot.store.drafts.get(SCOPE)).toBeUndefined();
  });

  it('GIVEN no draft WHEN reset THEN told there is none; cancel changes nothing', async () => {
    bot = await makeBot();
    expect(data(await bot.run(salt('reset'))).content).toContain('/salt new');
    await bot.run(salt('new'));
    const cancel = await bot.run(ix.button({ customId: encodeAction({ kind: 'cancel' }) }));
    expect(text(cancel)).toContain('Cancelled');
    expect(await bot.store.drafts.get(SCOPE)).toBeDefined();
  });
});

describe('/salt help', () => {
  it.each(['en-US', 'pt-BR', 'ja'])('GIVEN locale %s WHEN /salt help THEN an ephemeral V2 tour within limits naming every subcommand', async (locale) => {
    bot = await makeBot();
    const reply = await bot.run(salt('help', {}, { locale })); // run() throws on any limit violation
    const d = data(reply);
    expect(d.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(d.flags! & MessageFlags.IsComponentsV2).toBeTruthy();
    const s = text(reply);
    expect(s).toContain('SALT');
    expect(s).toContain('LTV');
    const steps = locale === 'en-US' ? ['/salt new', 'Track', 'Layers', 'Sidechain', 'Timing', 'Vote', 'Publish'] : [localizeCommandRefs('/salt new', locale as Locale)];
    for (const step of steps) expect(s).toContain(step);
    type Opt = { type: number; name: string; options?: Opt[] };
    const paths = (saltCommand.options as unknown as Opt[]).flatMap((o) => (o.type === 2 ? (o.options ?? []).map((s2) => `${o.name} ${s2.name}`) : [o.name]));
    for (const p of paths) expect(s).toContain(localizeCommandRefs(`/salt ${p}`, locale as Locale));
    const total = JSON.stringify(d.components).length;
    expect(total).toBeLessThan(6000);
  });
});
