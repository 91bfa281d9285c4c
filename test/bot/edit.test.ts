import { ComponentType, InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_KEY_NAMES } from '../../src/domain/key.js';
import { encodeAction } from '../../src/discord/customId.js';
import type { Reply } from '../../src/discord/reply.js';
import { t } from '../../src/i18n/index.js';
import { DEFAULT_IDS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';
import { makeBot, type TestBot } from '../support/bot.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const scope = { guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel };
const LOCALES = ['en-US', 'de'] as const;
const ALICE = { user: { id: '1300000000000000301', username: 'alice', global_name: 'Alice' } };
const BOB = { user: { id: '1300000000000000302', username: 'bob', global_name: 'Bob' } };

type Who = { locale?: string; user?: { id: string; username: string; global_name: string } };

interface ModalField {
  label: string;
  description?: string;
  component: { type: number; custom_id: string; value?: string; options?: { value: string; default?: boolean; label: string }[]; required?: boolean; max_values?: number };
}
interface ModalData {
  custom_id: string;
  title: string;
  components: ModalField[];
}
interface MessageData {
  content: string;
  flags: number;
  allowed_mentions?: { parse: unknown[] };
  components?: { components: { custom_id: string; type: number; options?: { value: string }[] }[] }[];
}

async function newDraft(preset?: string, who: Who = {}): Promise<void> {
  await bot.run(ix.chatInput({ ...who, name: 'salt', options: [{ type: 1, name: 'new', options: preset ? [{ type: 3, name: 'preset', value: preset }] : [] }] as never } as never));
}

function slash(path: string, options: Record<string, string> = {}, who: Who = {}) {
  const [a, b] = path.split(' ') as [string, string | undefined];
  const leaf = Object.entries(options).map(([name, value]) => ({ type: 3, name, value }));
  const opts = b ? [{ type: 2, name: a, options: [{ type: 1, name: b, options: leaf }] }] : [{ type: 1, name: a, options: leaf }];
  return bot.run(ix.chatInput({ ...who, name: 'salt', options: opts as never } as never));
}

function modalOf(reply: Reply): ModalData {
  expect(reply.response.type).toBe(InteractionResponseType.Modal);
  const data = (reply.response as unknown as { data: ModalData }).data;
  expect(data.components.length).toBeLessThanOrEqual(5);
  expect(data.custom_id.length).toBeLessThanOrEqual(100);
  return data;
}

function field(m: ModalData, id: string): ModalField['component'] & { label: string; description?: string } {
  const f = m.components.find((c) => c.component.custom_id === id);
  if (!f) throw new Error(`no field ${id} in ${m.custom_id}`);
  return { ...f.component, label: f.label, ...(f.description ? { description: f.description } : {}) };
}

function defaults(m: ModalData, id: string): string[] {
  return (field(m, id).options ?? []).filter((o) => o.default).map((o) => o.value);
}

function message(reply: Reply): MessageData {
  return (reply.response as unknown as { data: MessageData }).data;
}

function submit(customId: string, components: Record<string, string | string[]>, who: Who = {}) {
  return bot.run(ix.modalSubmit({ ...who, customId, components } as never));
}

async function record() {
  const r = await bot.store.drafts.get(scope);
  if (!r) throw new Error('no draft');
  return r;
}

/** The values of an opened modal, as a member who changes nothing would submit them. */
function asSubmitted(m: ModalData): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const f of m.components) {
    const c = f.component;
    out[c.custom_id] = c.type === ComponentType.TextInput ? (c.value ?? '') : (c.options ?? []).filter((o) => o.default).map((o) => o.value);
  }
  return out;
}

function buttonIds(reply: Reply): string[] {
  return (message(reply).components ?? []).flatMap((r) => r.components.map((c) => c.custom_id));
}

function expectEphemeralSafe(reply: Reply): MessageData {
  const data = message(reply);
  expect(data.flags & MessageFlags.Ephemeral).toBeTruthy();
  expect(data.allowed_mentions).toEqual({ parse: [] });
  return data;
}

describe('/salt track', () => {
  for (const locale of LOCALES) {
    it(`GIVEN the calling draft (${locale}) WHEN /salt track THEN the track modal opens prefilled with the base version`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m = modalOf(await slash('track', {}, { locale }));
      expect(m.custom_id).toBe('s1:form:track:1');
      expect(m.title).toBe(t(locale, 'forms.track.title'));
      expect(m.components.map((c) => c.component.custom_id)).toEqual(['bpm', 'key', 'style', 'references', 'extras']);
      expect(field(m, 'bpm').value).toBe('126');
      expect(field(m, 'bpm').label).toBe(t(locale, 'forms.track.bpm'));
      expect(field(m, 'key').options?.map((o) => o.value)).toEqual([...ALL_KEY_NAMES]);
      expect(field(m, 'key').options).toHaveLength(24);
      expect(defaults(m, 'key')).toEqual(['A minor']);
      expect(field(m, 'style').value).toMatch(/^Melodic progressive house/);
      expect(field(m, 'references').value?.split('\n')).toEqual([
        'Sebastian Ingrosso & Alesso - Calling (Lose My Mind)',
        'Axwell - Sun Is Shining',
        'Swedish House Mafia - Leave the World Behind',
      ]);
      expect(field(m, 'extras').options?.map((o) => o.value)).toEqual(['chainOfThought', 'referenceAnchor']);
    });
  }

  it('GIVEN no draft WHEN /salt track, the track button or /salt layer add THEN errors.noDraft, privately', async () => {
    bot = await makeBot();
    for (const reply of [await slash('track'), await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'track' }) })), await slash('layer add')]) {
      expect(expectEphemeralSafe(reply).content).toBe(t('en-US', 'errors.noDraft'));
    }
  });

  it('GIVEN the track modal WHEN a valid submit THEN saved (version +1, history, contributor), answered privately and the card edited', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const m = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'track' }) })));
    const reply = await submit(m.custom_id, {
      bpm: '128',
      key: ['F# minor'],
      style: 'big room, festival',
      references: 'Alesso - Heroes\nAxwell - Sun Is Shining',
      extras: ['chainOfThought'],
    }, ALICE);
    const data = expectEphemeralSafe(reply);
    expect(data.content).toContain(t('en-US', 'common.saved', { part: t('en-US', 'forms.track.title'), version: 2 }));
    const r = await record();
    expect(r.version).toBe(2);
    expect(r.spec.track).toEqual({ bpm: 128, key: 'F# minor', style: 'big room, festival', references: [{ artist: 'Alesso', title: 'Heroes' }, { artist: 'Axwell', title: 'Sun Is Shining' }] });
    expect(r.spec.extras).toEqual({ chainOfThought: true, referenceAnchor: false });
    expect(r.spec.layers).toHaveLength(5);
    expect((await bot.store.drafts.history(scope))[0]).toMatchObject({ version: 2, summary: 'track', actor: { id: ALICE.user.id } });
    expect(r.contributors[ALICE.user.id]?.parts).toContain('track');
    const edits = bot.api.ofMethod('editMessage');
    expect(edits).toHaveLength(1);
    expect(edits[0]!.args[1]).toBe(r.cardMessageId);
    expect(JSON.stringify(edits[0]!.args[2])).toContain('128 BPM · F# minor');
  });

  for (const locale of LOCALES) {
    it(`GIVEN the track modal (${locale}) WHEN bpm "abc", bpm 500 or no key THEN a private list naming each bad field and nothing saved`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m = modalOf(await slash('track'));
      const base = asSubmitted(m);
      const bad = await submit(m.custom_id, { ...base, bpm: 'abc', key: [] }, { locale });
      const content = expectEphemeralSafe(bad).content;
      expect(content.split('\n')[0]).toBe(t(locale, 'errors.invalid'));
      expect(content).toContain(`**${t(locale, 'forms.track.bpm')}**`);
      expect(content).toContain(`**${t(locale, 'forms.track.key')}**`);
      expect(content).toContain(t(locale, 'forms.problems.type', { expected: t(locale, 'forms.expected.number') }));
      const big = await submit(m.custom_id, { ...base, bpm: '500' }, { locale });
      expect(message(big).content).toContain(`**${t(locale, 'forms.track.bpm')}**: ${t(locale, 'forms.problems.too_big', { max: 200 })}`);
      const refs = await submit(m.custom_id, { ...base, references: 'no separator here' }, { locale });
      expect(message(refs).content).toContain(`**${t(locale, 'forms.track.references')}**: ${t(locale, 'forms.problems.reference')}`);
      const tooMany = await submit(m.custom_id, { ...base, references: 'A - 1\nB - 2\nC - 3\nD - 4' }, { locale });
      expect(message(tooMany).content).toContain(`**${t(locale, 'forms.track.references')}**`);
      expect((await record()).version).toBe(1);
      expect(bot.api.ofMethod('editMessage')).toHaveLength(0);
    });
  }

  it('GIVEN a style with mentions WHEN saved THEN the text is kept but no payload can ping', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const m = modalOf(await slash('track'));
    const reply = await submit(m.custom_id, { ...asSubmitted(m), style: '@everyone <@123> progressive' });
    expectEphemeralSafe(reply);
    expect((await record()).spec.track.style).toBe('@everyone <@123> progressive');
    const card = bot.api.ofMethod('editMessage')[0]!.args[2] as { allowed_mentions?: unknown };
    expect(card.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('concurrent edits', () => {
  it('GIVEN A opened track on v1 WHEN B saves the sidechain and A then changes only the BPM THEN both land and A is told what B saved', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const a = modalOf(await slash('track', {}, ALICE));
    const b = modalOf(await slash('sidechain', {}, BOB));
    await submit(b.custom_id, { ...asSubmitted(b), duck: '9', release: '250' }, BOB);
    expect((await record()).version).toBe(2);
    const reply = await submit(a.custom_id, { ...asSubmitted(a), bpm: '124' }, ALICE);
    const r = await record();
    expect(r.version).toBe(3);
    expect(r.spec.track.bpm).toBe(124);
    expect(r.spec.sidechain).toMatchObject({ duckDb: 9, releaseMs: 250 });
    const content = message(reply).content;
    expect(content).toContain('Bob');
    expect(content).toContain('sidechain');
  });

  it('GIVEN A and B opened track on v1 WHEN B changes the key and A the BPM THEN both land and A is told the key changed under them', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const a = modalOf(await slash('track', {}, ALICE));
    const b = modalOf(await slash('track', {}, BOB));
    await submit(b.custom_id, { ...asSubmitted(b), key: ['C minor'] }, BOB);
    const reply = await submit(a.custom_id, { ...asSubmitted(a), bpm: '124' }, ALICE);
    const r = await record();
    expect(r.spec.track).toMatchObject({ bpm: 124, key: 'C minor' });
    expect(message(reply).content).toContain(t('en-US', 'common.changedUnderYou', { names: 'Bob', fields: t('en-US', 'forms.track.key') }));
  });

  it('GIVEN two members WHEN they save different parts at the same time THEN both changes land', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const a = modalOf(await slash('timing', {}, ALICE));
    const b = modalOf(await slash('details', {}, BOB));
    await Promise.all([
      submit(a.custom_id, { ...asSubmitted(a), drop: '33', break: '49' }, ALICE),
      submit(b.custom_id, { ...asSubmitted(b), lead: '250-15000', attack: 'soft swell' }, BOB),
    ]);
    const r = await record();
    expect(r.version).toBe(3);
    expect(r.spec.timing).toMatchObject({ dropBar: 33, breakBar: 49, buildStartBar: 1 });
    expect(r.spec.spectral.leadRange).toEqual({ lowHz: 250, highHz: 15000 });
    expect(r.spec.attack).toEqual({ description: 'soft swell' });
    expect(Object.keys(r.contributors)).toEqual(expect.arrayContaining([ALICE.user.id, BOB.user.id]));
  });
});

describe('/salt details', () => {
  for (const locale of LOCALES) {
    it(`GIVEN the calling draft (${locale}) WHEN details opened and saved THEN prefilled, then saved; a reversed band is refused`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m = modalOf(await bot.run(ix.button({ locale, customId: encodeAction({ kind: 'card', step: 'details' }) })));
      expect(m.custom_id).toBe('s1:form:details:1');
      expect(field(m, 'sub').value).toBe('200');
      expect(field(m, 'lead').value).toBe('200-16000');
      expect(field(m, 'spectralNotes').value).toMatch(/own band/);
      expect(field(m, 'attack').value).toMatch(/^Every melody note/);
      const bad = await submit(m.custom_id, { ...asSubmitted(m), lead: '5000-100', sub: 'x' }, { locale });
      expect(message(bad).content).toContain(`**${t(locale, 'forms.details.lead')}**`);
      expect(message(bad).content).toContain(`**${t(locale, 'forms.details.sub')}**`);
      expect((await record()).version).toBe(1);
      await submit(m.custom_id, { ...asSubmitted(m), lead: '180 - 15k', arrangement: 'euphoric, spacious' }, { locale });
      const r = await record();
      expect(r.spec.spectral.leadRange).toEqual({ lowHz: 180, highHz: 15000 });
      expect(r.spec.arrangement).toEqual({ intent: 'euphoric, spacious' });
      expect(r.spec.attack?.description).toMatch(/^Every melody note/);
    });
  }
});

describe('layers', () => {
  it('GIVEN a draft WHEN layer add → Next → layer2 → Next → layer3 THEN a full layer is saved, the card updated after each step', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const m1 = modalOf(await slash('layer add'));
    expect(m1.custom_id).toBe('s1:form:layer1:1');
    expect(m1.title).toBe(t('en-US', 'forms.layer1.titleAdd'));
    expect(field(m1, 'id').value).toBeUndefined();
    expect(field(m1, 'role').options?.map((o) => o.value)).toEqual(['foundation', 'core', 'transient', 'harmony', 'air', 'custom']);
    const r1 = await submit(m1.custom_id, { id: 'Sub Pluck', role: ['transient'], texture: 'crisp, dry', brightness: ['brilliant'], edge: ['percussive'] });
    const nextId = buttonIds(r1)[0]!;
    expect(nextId).toBe(encodeAction({ kind: 'next', form: 'layer2', layer: 'sub_pluck' }));
    let r = await record();
    expect(r.version).toBe(2);
    expect(r.spec.layers.at(-1)).toEqual({
      id: 'sub_pluck',
      role: 'transient',
      ltv: { texture: ['crisp', 'dry'], brightness: 'brilliant', movement: { kind: 'static' }, density: 'sparse', edge: 'percussive' },
    });
    expect((await bot.store.drafts.history(scope))[0]?.summary).toBe('layer sub_pluck');

    const m2 = modalOf(await bot.run(ix.button({ customId: nextId })));
    expect(m2.custom_id).toBe('s1:form:layer2:2:sub_pluck');
    expect(defaults(m2, 'movement')).toEqual(['static']);
    expect(defaults(m2, 'density')).toEqual(['sparse']);
    expect(defaults(m2, 'waveform')).toEqual(['none']);
    expect(field(m2, 'unison').value).toBeUndefined();
    const r2 = await submit(m2.custom_id, { ...asSubmitted(m2), movement: ['evolving'], qualifier: 'quarter-note shimmer', waveform: ['triangle'], unison: '1, , 0' });
    expect(buttonIds(r2)).toEqual([encodeAction({ kind: 'next', form: 'layer3', layer: 'sub_pluck' })]);

    const m3 = modalOf(await bot.run(ix.button({ customId: buttonIds(r2)[0]! })));
    expect(m3.custom_id).toBe('s1:form:layer3:3:sub_pluck');
    expect(defaults(m3, 'filter')).toEqual(['none']);
    const r3 = await submit(m3.custom_id, { filter: ['bp'], cutoff: '3000, 10', envelope: '0, 120, 0, 80', level: '-6, 1, 0', band: '1000-5000' });
    expect(buttonIds(r3)).toEqual([]);
    r = await record();
    expect(r.version).toBe(4);
    expect(r.spec.layers.at(-1)).toEqual({
      id: 'sub_pluck',
      role: 'transient',
      band: { lowHz: 1000, highHz: 5000 },
      ltv: { texture: ['crisp', 'dry'], brightness: 'brilliant', movement: { kind: 'evolving', qualifier: 'quarter-note shimmer' }, density: 'sparse', edge: 'percussive' },
      synth: {
        waveform: 'triangle',
        voices: 1,
        stereoWidthPct: 0,
        filter: { type: 'bp', cutoffHz: 3000, resonancePct: 10 },
        envelope: { attackMs: 0, decayMs: 120, sustainPct: 0, releaseMs: 80 },
        levelDb: -6,
        octave: 1,
        intervalSemitones: 0,
      },
    });
    expect(bot.api.ofMethod('editMessage')).toHaveLength(3);
    expect(JSON.stringify(bot.api.ofMethod('editMessage')[2]!.args[2])).toContain('sub_pluck');

    // reopening shows what was saved
    const again = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'next', form: 'layer3', layer: 'sub_pluck' }) })));
    expect(asSubmitted(again)).toEqual({ filter: ['bp'], cutoff: '3000, 10', envelope: '0, 120, 0, 80', level: '-6, 1, 0', band: '1000-5000' });
    const again2 = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'next', form: 'layer2', layer: 'sub_pluck' }) })));
    expect(field(again2, 'unison').value).toBe('1, , 0');
  });

  for (const locale of LOCALES) {
    it(`GIVEN layer forms (${locale}) WHEN texture has 4 words, unison is "x" or the band is reversed THEN each bad field is named and nothing saved`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m1 = modalOf(await slash('layer edit', { layer: 'supersaw_core' }, { locale }));
      const bad1 = await submit(m1.custom_id, { ...asSubmitted(m1), texture: 'rich, glassy, wide, bright', brightness: [] }, { locale });
      expect(message(bad1).content).toContain(`**${t(locale, 'forms.layer1.texture')}**: ${t(locale, 'forms.problems.too_many', { max: 3 })}`);
      expect(message(bad1).content).toContain(`**${t(locale, 'forms.layer1.brightness')}**`);
      const m2 = modalOf(await bot.run(ix.button({ locale, customId: encodeAction({ kind: 'next', form: 'layer2', layer: 'supersaw_core' }) })));
      const bad2 = await submit(m2.custom_id, { ...asSubmitted(m2), unison: 'x', density: [] }, { locale });
      expect(message(bad2).content).toContain(`**${t(locale, 'forms.layer2.unison')}**: ${t(locale, 'forms.problems.list')}`);
      expect(message(bad2).content).toContain(`**${t(locale, 'forms.layer2.density')}**`);
      const m3 = modalOf(await bot.run(ix.button({ locale, customId: encodeAction({ kind: 'next', form: 'layer3', layer: 'supersaw_core' }) })));
      const bad3 = await submit(m3.custom_id, { ...asSubmitted(m3), band: '5000-100', envelope: '1, 2, 300' }, { locale });
      expect(message(bad3).content).toContain(`**${t(locale, 'forms.layer3.band')}**`);
      expect(message(bad3).content).toContain(`**${t(locale, 'forms.layer3.envelope')}**`);
      const bad4 = await submit(m3.custom_id, { ...asSubmitted(m3), filter: ['none'], cutoff: '6000' }, { locale });
      expect(message(bad4).content).toContain(`**${t(locale, 'forms.layer3.cutoff')}**: ${t(locale, 'forms.problems.filterType')}`);
      expect((await record()).version).toBe(1);
    });
  }

  it('GIVEN the layer edit button WHEN a layer is picked THEN layer1 opens prefilled; renaming keeps the other fields', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const pick = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'layeredit' }) }));
    const sel = message(pick).components![0]!.components[0]!;
    expect(sel.custom_id).toBe('s1:pick:edit');
    expect(sel.options?.map((o) => o.value)).toEqual((await record()).spec.layers.map((l) => l.id));
    const m = modalOf(await bot.run(ix.stringSelect({ customId: sel.custom_id, values: ['pluck_transient'] })));
    expect(m.custom_id).toBe('s1:form:layer1:1:pluck_transient');
    expect(field(m, 'id').value).toBe('pluck_transient');
    expect(defaults(m, 'role')).toEqual(['transient']);
    expect(field(m, 'texture').value).toBe('crisp, dry, percussive');
    expect(defaults(m, 'brightness')).toEqual(['brilliant']);
    expect(defaults(m, 'edge')).toEqual(['percussive']);
    const before = (await record()).spec.layers.find((l) => l.id === 'pluck_transient')!;
    const reply = await submit(m.custom_id, { ...asSubmitted(m), id: 'pluck' });
    expect(buttonIds(reply)).toEqual([encodeAction({ kind: 'next', form: 'layer2', layer: 'pluck' })]);
    const r = await record();
    const after = r.spec.layers.find((l) => l.id === 'pluck')!;
    expect(after).toEqual({ ...before, id: 'pluck' });
    expect(r.spec.layers.findIndex((l) => l.id === 'pluck')).toBe(2);
  });

  it('GIVEN layer autocomplete WHEN typing THEN matching layer ids are offered', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const reply = await bot.run(
      ix.autocomplete({ name: 'salt', options: [{ type: 2, name: 'layer', options: [{ type: 1, name: 'edit', options: [{ type: 3, name: 'layer', value: 'saw', focused: true }] }] }] as never }),
    );
    const choices = (reply.response as unknown as { data: { choices: { value: string }[] } }).data.choices;
    expect(choices.map((c) => c.value)).toEqual(['foundation_saw', 'supersaw_core']);
  });

  it('GIVEN an unknown or meanwhile deleted layer WHEN edited THEN errors.unknownLayer lists the existing ids', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const ids = (await record()).spec.layers.map((l) => l.id).join(', ');
    const reply = await slash('layer edit', { layer: 'nope' });
    expect(expectEphemeralSafe(reply).content).toBe(t('en-US', 'errors.unknownLayer', { layer: 'nope', layers: ids }));

    const m = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'next', form: 'layer2', layer: 'noise_air' }) })));
    const ask = await slash('layer remove', { layer: 'noise_air' }, BOB);
    await bot.run(ix.button({ ...BOB, customId: buttonIds(ask)[0]! } as never));
    const late = await submit(m.custom_id, { ...asSubmitted(m), density: ['dense'] });
    const left = (await record()).spec.layers.map((l) => l.id).join(', ');
    expect(message(late).content).toBe(t('en-US', 'errors.unknownLayer', { layer: 'noise_air', layers: left }));
    expect((await record()).version).toBe(2);
  });

  it('GIVEN /salt layer remove WHEN confirmed THEN the layer is gone, version +1 and the card edited; cancel changes nothing', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const ask = await slash('layer remove', { layer: 'harmony_fifth' });
    expect(expectEphemeralSafe(ask).content).toBe(t('en-US', 'forms.edit.removeAsk', { layer: 'harmony_fifth' }));
    expect(buttonIds(ask)).toEqual(['s1:ok:remove:harmony_fifth', 's1:cancel']);
    const cancel = await bot.run(ix.button({ customId: 's1:cancel' }));
    expect(cancel.response.type).toBe(InteractionResponseType.UpdateMessage);
    expect((await record()).version).toBe(1);
    const done = await bot.run(ix.button({ customId: buttonIds(ask)[0]! }));
    expect(done.response.type).toBe(InteractionResponseType.UpdateMessage);
    expect(message(done).content).toBe(t('en-US', 'forms.edit.removed', { layer: 'harmony_fifth', version: 2 }));
    const r = await record();
    expect(r.version).toBe(2);
    expect(r.spec.layers.map((l) => l.id)).not.toContain('harmony_fifth');
    expect((await bot.store.drafts.history(scope))[0]?.summary).toBe('layer remove harmony_fifth');
    expect(bot.api.ofMethod('editMessage')).toHaveLength(1);
    // pressing the stale confirmation again: the layer is unknown now
    const again = await bot.run(ix.button({ customId: buttonIds(ask)[0]! }));
    expect(message(again).content).toContain('harmony_fifth');
    expect((await record()).version).toBe(2);
  });

  it('GIVEN the remove button WHEN a layer is picked THEN the confirmation follows', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const pick = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'layerremove' }) }));
    const sel = message(pick).components![0]!.components[0]!;
    expect(sel.custom_id).toBe('s1:pick:remove');
    const ask = await bot.run(ix.stringSelect({ customId: sel.custom_id, values: ['noise_air'] }));
    expect(buttonIds(ask)[0]).toBe('s1:ok:remove:noise_air');
  });

  for (const locale of LOCALES) {
    it(`GIVEN a one-layer draft (${locale}) WHEN its layer is removed THEN refused with a clear error`, async () => {
      bot = await makeBot();
      await newDraft();
      const reply = await slash('layer remove', { layer: 'supersaw_core' }, { locale });
      expect(expectEphemeralSafe(reply).content).toBe(t(locale, 'forms.edit.lastLayer', { layer: 'supersaw_core' }));
      const forced = await bot.run(ix.button({ locale, customId: 's1:ok:remove:supersaw_core' }));
      expect(message(forced).content).toBe(t(locale, 'forms.edit.lastLayer', { layer: 'supersaw_core' }));
      expect((await record()).spec.layers).toHaveLength(1);
    });
  }

  it('GIVEN 8 layers WHEN a 9th is added THEN refused, also from a form opened at 7', async () => {
    bot = await makeBot();
    await newDraft();
    let open7 = '';
    for (let i = 2; i <= 8; i++) {
      const m = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'layeradd' }) })));
      if (i === 8) open7 = m.custom_id;
      else await submit(m.custom_id, { id: `layer_${i}`, role: ['custom'], texture: 'warm', brightness: ['warm'], edge: ['soft'] });
    }
    const spare = modalOf(await slash('layer add'));
    await submit(open7, { id: 'layer_8', role: ['air'], texture: 'airy', brightness: ['brilliant'], edge: ['soft'] });
    expect((await record()).spec.layers).toHaveLength(8);
    const refused = await slash('layer add');
    expect(expectEphemeralSafe(refused).content).toBe(t('en-US', 'forms.edit.layerLimit', { max: 8 }));
    const late = await submit(spare.custom_id, { id: 'layer_9', role: ['air'], texture: 'airy', brightness: ['brilliant'], edge: ['soft'] });
    expect(message(late).content).toBe(t('en-US', 'forms.edit.layerLimit', { max: 8 }));
    expect((await record()).spec.layers).toHaveLength(8);
  });

  it('GIVEN an existing id WHEN a layer is added with it THEN the id field is named', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const m = modalOf(await slash('layer add'));
    const reply = await submit(m.custom_id, { id: 'noise_air', role: ['air'], texture: 'airy', brightness: ['brilliant'], edge: ['soft'] });
    expect(message(reply).content).toContain(`**${t('en-US', 'forms.layer1.id')}**: ${t('en-US', 'forms.problems.duplicate_layer')}`);
    expect((await record()).version).toBe(1);
  });
});

describe('/salt sidechain', () => {
  for (const locale of LOCALES) {
    it(`GIVEN the calling draft (${locale}) WHEN sidechain opened THEN prefilled with the release window at the BPM`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m = modalOf(await slash('sidechain', {}, { locale }));
      expect(m.custom_id).toBe('s1:form:sidechain:1');
      expect(field(m, 'duck').value).toBe('7');
      expect(field(m, 'attack').value).toBe('2');
      expect(field(m, 'release').value).toBe('350');
      expect(field(m, 'ratio').value).toBe('4');
      expect(field(m, 'release').description).toBe(t(locale, 'forms.sidechain.releaseHint', { bpm: 126, min: 333, max: 381 }));
      expect(field(m, 'layers').options?.map((o) => o.value)).toEqual((await record()).spec.layers.map((l) => l.id));
    });
  }

  it('GIVEN the sidechain modal WHEN layers picked THEN each layer is marked; WHEN duck and release emptied THEN the sidechain is removed', async () => {
    bot = await makeBot();
    await newDraft('calling');
    const m = modalOf(await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'sidechain' }) })));
    await submit(m.custom_id, { ...asSubmitted(m), duck: '8 dB', release: '330ms', layers: ['supersaw_core', 'harmony_fifth'] });
    let r = await record();
    expect(r.spec.sidechain).toMatchObject({ duckDb: 8, releaseMs: 330, attackMs: 2, ratio: 4 });
    expect(Object.fromEntries(r.spec.layers.map((l) => [l.id, l.synth?.sidechained]))).toEqual({
      foundation_saw: false,
      supersaw_core: true,
      pluck_transient: false,
      harmony_fifth: true,
      noise_air: false,
    });
    const m2 = modalOf(await slash('sidechain'));
    expect(defaults(m2, 'layers')).toEqual(['supersaw_core', 'harmony_fifth']);
    const bad = await submit(m2.custom_id, { ...asSubmitted(m2), release: '', duck: 'lots' });
    expect(message(bad).content).toContain(`**${t('en-US', 'forms.sidechain.duck')}**`);
    expect(message(bad).content).toContain(`**${t('en-US', 'forms.sidechain.release')}**`);
    await submit(m2.custom_id, { ...asSubmitted(m2), duck: '', release: '' });
    r = await record();
    expect(r.spec.sidechain).toBeUndefined();
    expect(r.spec.layers.every((l) => l.synth?.sidechained === undefined)).toBe(true);
  });
});

describe('/salt timing', () => {
  for (const locale of LOCALES) {
    it(`GIVEN the calling draft (${locale}) WHEN timing1 saved → Next → timing2 saved THEN bars and notes are stored`, async () => {
      bot = await makeBot();
      await newDraft('calling');
      const m1 = modalOf(await slash('timing', {}, { locale }));
      expect(m1.custom_id).toBe('s1:form:timing1:1');
      expect(asSubmitted(m1)).toEqual({ build: '1', apex: '15', drop: '17', break: '33', secondDrop: '' });
      const bad = await submit(m1.custom_id, { ...asSubmitted(m1), drop: 'x', secondDrop: '0' }, { locale });
      expect(message(bad).content).toContain(`**${t(locale, 'forms.timing1.drop')}**`);
      expect(message(bad).content).toContain(`**${t(locale, 'forms.timing1.secondDrop')}**`);
      const r1 = await submit(m1.custom_id, { ...asSubmitted(m1), apex: '', secondDrop: '49' }, { locale });
      expect(buttonIds(r1)).toEqual([encodeAction({ kind: 'next', form: 'timing2' })]);
      const m2 = modalOf(await bot.run(ix.button({ locale, customId: buttonIds(r1)[0]! })));
      expect(m2.custom_id).toBe('s1:form:timing2:2');
      expect(field(m2, 'dropNote').value).toBe('full layer density, no filter, melody centred and dominant');
      await submit(m2.custom_id, { ...asSubmitted(m2), breakNote: '' , buildNote: 'riser and snare roll' }, { locale });
      const r = await record();
      expect(r.version).toBe(3);
      expect(r.spec.timing).toEqual({
        buildStartBar: 1,
        buildNote: 'riser and snare roll',
        dropBar: 17,
        dropNote: 'full layer density, no filter, melody centred and dominant',
        breakBar: 33,
        secondDropBar: 49,
      });
      expect(bot.api.ofMethod('editMessage')).toHaveLength(2);
    });
  }
});
