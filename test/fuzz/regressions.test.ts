/**
 * Bugs the router fuzzer (./router.test.ts) found, each pinned by a focused test.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAction } from '../../src/discord/customId.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { t } from '../../src/i18n/index.js';
import * as ix from '../standin/interactions.js';
import { MANAGE, SCOPE, data, salt } from '../support/payloads.js';
import { makeBot, type TestBot } from '../support/bot.js';

let bot: TestBot;
afterEach(async () => bot?.close());

const errorLines = () => bot.log.lines.filter((l) => l.level === 'error');

describe('GIVEN interaction payloads without the data Discord always sends', () => {
  it.each([
    ['a modal submit without data', { ...ix.modalSubmit({ customId: 's1:form:track:1', components: {} }), data: null }],
    ['a button whose custom_id is a number', { ...ix.button({ customId: 'x' }), data: { custom_id: 0, component_type: 2 } }],
    ['a slash command without data', (({ data: _d, ...rest }) => rest)(ix.chatInput({ name: 'salt' }))],
    ['a slash command whose options are not a list', { ...ix.chatInput({ name: 'salt' }), data: { name: 'salt', type: 1, options: 'new' } }],
  ])('WHEN %s arrives THEN the member gets the localized unknown-command answer and no unexpected error is logged', async (_what, payload) => {
    bot = await makeBot();
    const reply = await bot.run(payload as never);
    expect(reply.response.type).toBe(4);
    expect(data(reply).content).toBe(t('en-US', 'errors.unknownCommand'));
    expect(errorLines()).toEqual([]);
  });

  it('WHEN an autocomplete request without data arrives THEN it gets an empty choice list (an autocomplete must be answered with choices)', async () => {
    bot = await makeBot();
    const { data: _d, ...payload } = ix.autocomplete({ name: 'salt' });
    const reply = await bot.run(payload as never);
    expect(reply.response).toEqual({ type: 8, data: { choices: [] } });
    expect(errorLines()).toEqual([]);
  });
});

describe('GIVEN an open vote in a channel of one server', () => {
  const HOME = { guildId: '1300000000000000100', channelId: '1300000000000000200' };
  const STARTER = { user: { id: '1300000000000000301', username: 'alice' } };

  async function openVote(): Promise<string> {
    await bot.run(salt('vote', { presets: 'calling, euphoric-sun' }, { ...HOME, ...STARTER }));
    const [vote] = await bot.store.votes.listOpen();
    return vote!.id;
  }

  it.each([
    ['another server', { guildId: '1300000000000000900', channelId: '1300000000000000901' }],
    ['another channel of the same server', { guildId: HOME.guildId, channelId: '1300000000000000201' }],
  ])('WHEN a member in %s sends a ballot naming that vote (a forged custom_id) THEN the vote is untouched and they are told it does not exist', async (_where, elsewhere) => {
    bot = await makeBot();
    const voteId = await openVote();
    const before = await bot.store.votes.get(voteId);
    const reply = await bot.run(ix.stringSelect({ ...elsewhere, customId: encodeAction({ kind: 'vote', op: 'pick', voteId }), values: ['calling'] }));
    expect(data(reply).content).toBe(t('en-US', 'errors.store.vote_missing'));
    expect(await bot.store.votes.get(voteId)).toEqual(before);
  });

  it('WHEN a moderator of another server presses Close with that vote id THEN the vote stays open and no draft changes', async () => {
    bot = await makeBot();
    const voteId = await openVote();
    const reply = await bot.run(
      ix.button({ guildId: '1300000000000000900', channelId: '1300000000000000901', permissions: MANAGE, customId: encodeAction({ kind: 'vote', op: 'close', voteId }) }),
    );
    expect(data(reply).content).toBe(t('en-US', 'errors.store.vote_missing'));
    expect((await bot.store.votes.get(voteId))?.closed).toBeUndefined();
    expect(await bot.store.drafts.get(HOME)).toBeUndefined();
  });

  it('WHEN a member of the vote\'s own channel picks an option THEN the ballot still counts', async () => {
    bot = await makeBot();
    const voteId = await openVote();
    const reply = await bot.run(ix.stringSelect({ ...HOME, customId: encodeAction({ kind: 'vote', op: 'pick', voteId }), values: ['calling'] }));
    expect(reply.response.type).toBe(7);
    expect(Object.values((await bot.store.votes.get(voteId))!.ballots)).toEqual(['calling']);
  });
});

describe('GIVEN the built-in presets (looked up without copying every preset, which made each lookup slow)', () => {
  it('WHEN a caller tries to edit the preset it got THEN the edit is refused and the next lookup returns the original', () => {
    const first = getBuiltinPreset('calling')!;
    const bpm = first.spec.track.bpm;
    expect(() => {
      first.spec.track.bpm = bpm + 1;
    }).toThrow(TypeError);
    expect(getBuiltinPreset(' Calling ')!.spec.track.bpm).toBe(bpm);
    expect(getBuiltinPreset('no-such-preset')).toBeUndefined();
  });
});

describe('stale and forged form versions', () => {
  it('GIVEN a form whose base version is newer than the draft (forged) WHEN submitted THEN the outdated answer and nothing saved', async () => {
    const bot = await makeBot();
    await bot.run(salt('new'));
    const before = await bot.store.drafts.get(SCOPE);
    const reply = await bot.run(ix.modalSubmit({ customId: encodeAction({ kind: 'form', form: 'timing1', base: 999_999 }), components: { drop: '17' } }));
    expect(data(reply).content).toBe(t('en-US', 'errors.outdated'));
    expect(await bot.store.drafts.get(SCOPE)).toEqual(before);
    await bot.close();
  });
});
