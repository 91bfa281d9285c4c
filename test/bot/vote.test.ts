import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import { closeVoteById, closeVoteOnTimer, VOTE_TIMER_ACTOR } from '../../commands/salt/vote.js';
import { getBuiltinPreset, loadBuiltinPresets } from '../../src/domain/presets.js';
import { decodeAction, encodeAction } from '../../src/discord/customId.js';
import { createVoteScheduler } from '../../src/discord/voteScheduler.js';
import type { Reply } from '../../src/discord/reply.js';
import * as ix from '../standin/interactions.js';
import { DEFAULT_IDS } from '../standin/fixtures.js';
import { makeBot, type TestBot } from '../support/bot.js';

let bot: TestBot;
let other: TestBot | undefined;
afterEach(async () => {
  await bot?.close();
  other = undefined;
});

const scope = { guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel };
const MANAGE_MESSAGES = String(1n << 13n);
const TIE_RULE = 'Ties go to the option listed first';

type Data = { flags?: number; content?: string; components?: unknown[]; allowed_mentions?: unknown };
const dataOf = (reply: Reply): Data => (reply.response as { data?: Data }).data ?? {};
const text = (v: unknown): string => JSON.stringify(v);

function voteCommand(opts: { presets?: string; minutes?: number; guildLocale?: string; locale?: string } = {}) {
  const options: { type: number; name: string; value: string | number }[] = [];
  if (opts.presets !== undefined) options.push({ type: 3, name: 'presets', value: opts.presets });
  if (opts.minutes !== undefined) options.push({ type: 4, name: 'minutes', value: opts.minutes });
  return ix.chatInput({
    name: 'salt',
    ...(opts.guildLocale ? { guildLocale: opts.guildLocale } : {}),
    ...(opts.locale ? { locale: opts.locale } : {}),
    options: [{ type: 1, name: 'vote', options }] as never,
  });
}

/** Finds every custom_id in a component tree. */
function customIds(components: unknown): string[] {
  return [...text(components).matchAll(/"custom_id":"([^"]+)"/g)].map((m) => m[1]!);
}

async function startVote(b: TestBot, opts: Parameters<typeof voteCommand>[0] = {}) {
  const reply = await b.run(voteCommand(opts));
  const ids = customIds(dataOf(reply).components);
  const pickId = ids.find((id) => id.includes(':vote:pick:'))!;
  const closeId = ids.find((id) => id.includes(':vote:close:'))!;
  const action = decodeAction(pickId);
  if (action.kind !== 'vote') throw new Error(`no vote select in ${text(dataOf(reply))}`);
  return { reply, voteId: action.voteId, pickId, closeId };
}

const user = (n: number) => ({ id: `13000000000000009${String(n).padStart(2, '0')}`, username: `member${n}`, global_name: `Member ${n}` });

/** The text of the vote-result announcement (the channel message saying the vote is over). */
function announcement(b: TestBot): string {
  const found = b.api.ofMethod('createMessage').map((c) => text(c.args[1])).filter((s) => s.includes('The vote is over'));
  expect(found).toHaveLength(1);
  return found[0]!;
}

function pick(customId: string, value: string, n: number, extra: Partial<ix.StringSelectOptions> = {}) {
  return ix.stringSelect({ customId, values: [value], user: user(n), ...extra });
}

describe('/salt vote', () => {
  it('GIVEN a channel WHEN /salt vote presets:calling,naive,layer-stack minutes:5 THEN a public V2 vote with options, tally, deadline, tie rule, select and Close is posted and stored', async () => {
    bot = await makeBot();
    const { reply, voteId, pickId, closeId } = await startVote(bot, { presets: 'calling, naive,layer-stack', minutes: 5 });
    expect(reply.response.type).toBe(InteractionResponseType.ChannelMessageWithSource);
    const data = dataOf(reply);
    expect(data.flags! & MessageFlags.IsComponentsV2).toBeTruthy();
    expect(data.flags! & MessageFlags.Ephemeral).toBe(0);
    const body = text(data.components);
    for (const name of ['calling', 'naive', 'layer-stack']) expect(body).toContain(`**${name}**`);
    expect(body).toContain(getBuiltinPreset('calling')!.title.replace(/"/g, '\\"').slice(0, 20));
    const closesAt = bot.clock.now + 5 * 60_000;
    expect(body).toContain(`<t:${Math.floor(closesAt / 1000)}:R>`);
    expect(body).toContain(TIE_RULE);
    expect(pickId).toBe(encodeAction({ kind: 'vote', op: 'pick', voteId }));
    expect(closeId).toBe(encodeAction({ kind: 'vote', op: 'close', voteId }));
    expect(voteId).toMatch(/^[0-9A-Za-z]{1,40}$/);

    const stored = await bot.store.votes.get(voteId);
    expect(stored?.options).toEqual(['calling', 'naive', 'layer-stack']);
    expect(stored?.closesAt).toBe(closesAt);
    expect(stored?.messageId).toBeDefined();
    expect(bot.scheduled.get(voteId)).toBe(closesAt);
    expect(data.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN three members WHEN they vote and one changes their pick THEN the tally is exact and each pick only updates the vote message', async () => {
    bot = await makeBot();
    const { voteId, pickId } = await startVote(bot, { presets: 'calling,naive,layer-stack' });
    const callsBefore = bot.api.calls.length;
    await bot.run(pick(pickId, 'calling', 1));
    await bot.run(pick(pickId, 'naive', 2));
    await bot.run(pick(pickId, 'naive', 3));
    const last = await bot.run(pick(pickId, 'calling', 3)); // member 3 changes their mind
    expect(last.response.type).toBe(InteractionResponseType.UpdateMessage);
    expect(bot.api.calls.length).toBe(callsBefore); // nothing else posted or edited
    const vote = await bot.store.votes.get(voteId);
    expect(Object.keys(vote!.ballots)).toHaveLength(3);
    expect(Object.values(vote!.ballots).sort()).toEqual(['calling', 'calling', 'naive']);
    const body = text(dataOf(last).components);
    expect(body).toMatch(/\*\*calling\*\*[^\n]*\\n[█░]+ \*\*2\*\* \(67 %\)/);
    expect(body).toMatch(/\*\*naive\*\*[^\n]*\\n[█░]+ \*\*1\*\* \(33 %\)/);
    expect(body).toMatch(/\*\*layer-stack\*\*[^\n]*\\n░+ \*\*0\*\* \(0 %\)/);
    expect(body).toContain('3 ballot(s)');
  });

  it('GIVEN a vote whose 60 earlier ballots are kept in the older layout (inside the vote, no tally) WHEN a member picks and then changes their pick THEN the message counts every ballot and the change moves one', async () => {
    bot = await makeBot();
    const { voteId, pickId } = await startVote(bot, { presets: 'calling,naive' });
    const stored = (await bot.store.votes.get(voteId))!;
    const ballots = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`14000000000000000${String(i).padStart(2, '0')}`, i < 40 ? 'calling' : 'naive']));
    await bot.store.debug.putRaw(bot.store.debug.keys.vote(voteId), { ...stored, ballots });

    const first = text(dataOf(await bot.run(pick(pickId, 'naive', 1))).components);
    expect(first).toMatch(/\*\*calling\*\*[^\n]*\\n[█░]+ \*\*40\*\* \(66 %\)/);
    expect(first).toMatch(/\*\*naive\*\*[^\n]*\\n[█░]+ \*\*21\*\* \(34 %\)/);
    expect(first).toContain('61 ballot(s)');
    const changed = text(dataOf(await bot.run(pick(pickId, 'calling', 1))).components);
    expect(changed).toMatch(/\*\*calling\*\*[^\n]*\\n[█░]+ \*\*41\*\* \(67 %\)/);
    expect(changed).toMatch(/\*\*naive\*\*[^\n]*\\n[█░]+ \*\*20\*\* \(33 %\)/);
    expect(changed).toContain('61 ballot(s)');
    const again = text(dataOf(await bot.run(pick(pickId, 'calling', 1))).components);
    expect(again).toContain('61 ballot(s)');
    expect(again).toMatch(/\*\*calling\*\*[^\n]*\\n[█░]+ \*\*41\*\* \(67 %\)/);
    expect(Object.keys((await bot.store.votes.get(voteId))!.ballots)).toHaveLength(61);
  });

  it('GIVEN an open vote WHEN a member who did not start it and lacks Manage Messages presses Close THEN a localized refusal and the store is unchanged', async () => {
    bot = await makeBot();
    const { voteId, pickId, closeId } = await startVote(bot, { presets: 'calling,naive' });
    await bot.run(pick(pickId, 'naive', 1));
    const before = await bot.store.votes.get(voteId);
    const callsBefore = bot.api.calls.length;
    const reply = await bot.run(ix.button({ customId: closeId, user: user(2) }));
    const data = dataOf(reply);
    expect(data.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(data.content).toMatch(/Only the member who started this vote or members with Manage Messages/);
    expect(await bot.store.votes.get(voteId)).toEqual(before);
    expect(bot.api.calls.length).toBe(callsBefore);
    expect(await bot.store.drafts.get(scope)).toBeUndefined();
  });

  it('GIVEN a draft and a vote WHEN the starter closes it THEN the winner replaces the draft spec, a result is announced, the vote message loses its select and the card is refreshed', async () => {
    bot = await makeBot();
    await bot.run(ix.chatInput({ name: 'salt', options: [{ type: 1, name: 'new', options: [] }] as never }));
    const draftBefore = await bot.store.drafts.get(scope);
    const { voteId, pickId, closeId } = await startVote(bot, { presets: 'naive,calling' });
    const messageId = (await bot.store.votes.get(voteId))!.messageId!;
    await bot.run(pick(pickId, 'calling', 1));
    await bot.run(pick(pickId, 'calling', 2));
    await bot.run(pick(pickId, 'naive', 3));
    const callsBefore = bot.api.calls.length;

    const reply = await bot.run(ix.button({ customId: closeId })); // default user started it
    expect(reply.response.type).toBe(InteractionResponseType.DeferredMessageUpdate);

    const vote = await bot.store.votes.get(voteId);
    expect(vote?.closed?.winner).toBe('calling');
    expect(vote?.closed?.tally).toEqual({ naive: 1, calling: 2 });
    const draft = await bot.store.drafts.get(scope);
    expect(draft!.version).toBe(draftBefore!.version + 1);
    expect(draft!.spec).toEqual(getBuiltinPreset('calling')!.spec);
    expect((await bot.store.drafts.history(scope, 1))[0]!.summary).toBe('vote calling');

    const calls = bot.api.calls.slice(callsBefore);
    const announce = calls.find((c) => c.method === 'createMessage')!;
    expect(announce.args[0]).toBe(DEFAULT_IDS.channel);
    const announced = text(announce.args[1]);
    expect(announced).toContain('**calling** wins with 2 vote(s)');
    expect(announced).toContain(TIE_RULE);
    expect(announced).toContain(`version ${draft!.version}`);
    const edits = calls.filter((c) => c.method === 'editMessage');
    const voteEdit = edits.find((c) => c.args[1] === messageId)!;
    expect(text(voteEdit.args[2])).toContain('Vote closed');
    expect(customIds((voteEdit.args[2] as { components: unknown }).components)).toEqual([]);
    const cardEdit = edits.find((c) => c.args[1] === draft!.cardMessageId)!;
    expect(text(cardEdit.args[2])).toContain('126 BPM');
  });

  it('GIVEN no draft and a member with Manage Messages WHEN they close a vote THEN the draft is started from the winner', async () => {
    bot = await makeBot();
    const { pickId, closeId } = await startVote(bot, { presets: 'calling,naive' });
    await bot.run(pick(pickId, 'naive', 1));
    await bot.run(ix.button({ customId: closeId, user: user(5), permissions: MANAGE_MESSAGES }));
    const draft = await bot.store.drafts.get(scope);
    expect(draft?.spec).toEqual(getBuiltinPreset('naive')!.spec);
    expect(text(bot.api.ofMethod('createMessage').map((c) => c.args[1]))).toContain('Started this channel');
  });

  it('GIVEN a tie WHEN the vote closes THEN the option listed first wins and the rule is stated', async () => {
    bot = await makeBot();
    const { voteId, pickId, closeId } = await startVote(bot, { presets: 'layer-stack,calling,naive' });
    await bot.run(pick(pickId, 'calling', 1));
    await bot.run(pick(pickId, 'layer-stack', 2));
    await bot.run(ix.button({ customId: closeId }));
    expect((await bot.store.votes.get(voteId))?.closed?.winner).toBe('layer-stack');
    const announced = announcement(bot);
    expect(announced).toContain('Tie between **layer-stack**, **calling**');
    expect(announced).toContain(TIE_RULE);
    expect((await bot.store.drafts.get(scope))?.spec).toEqual(getBuiltinPreset('layer-stack')!.spec);
  });

  it('GIVEN nobody voted WHEN the vote closes THEN it is closed with "nothing applied" and no draft appears', async () => {
    bot = await makeBot();
    const { voteId, closeId } = await startVote(bot, { presets: 'calling,naive' });
    await bot.run(ix.button({ customId: closeId }));
    expect((await bot.store.votes.get(voteId))?.closed?.winner).toBeNull();
    expect(announcement(bot)).toContain('No votes were cast, so nothing was applied');
    expect(await bot.store.drafts.get(scope)).toBeUndefined();
  });

  it('GIVEN a closed vote WHEN someone picks or presses Close again THEN they are told it is closed and nothing changes', async () => {
    bot = await makeBot();
    const { voteId, pickId, closeId } = await startVote(bot, { presets: 'calling,naive' });
    await bot.run(pick(pickId, 'naive', 1));
    await bot.run(ix.button({ customId: closeId }));
    const closed = await bot.store.votes.get(voteId);
    const calls = bot.api.calls.length;
    const again = await bot.run(ix.button({ customId: closeId }));
    expect(dataOf(again).content).toMatch(/already closed/);
    const late = await bot.run(pick(pickId, 'calling', 2));
    expect(dataOf(late).content).toMatch(/already closed/);
    expect(await bot.store.votes.get(voteId)).toEqual(closed);
    expect(bot.api.calls.length).toBe(calls);
  });

  it('GIVEN unknown preset names WHEN /salt vote THEN a clear error lists exactly the unknown names and no vote is stored', async () => {
    bot = await makeBot();
    const reply = await bot.run(voteCommand({ presets: 'calling, nope, Zilch ,naive' }));
    const data = dataOf(reply);
    expect(data.flags! & MessageFlags.Ephemeral).toBeTruthy();
    expect(data.content).toContain('`nope`');
    expect(data.content).toContain('`zilch`');
    expect(data.content).not.toContain('`calling`');
    expect(await bot.store.votes.listOpen()).toEqual([]);
    expect(bot.scheduled.size).toBe(0);
  });

  it('GIVEN a single preset WHEN /salt vote THEN it explains that a vote needs two', async () => {
    bot = await makeBot();
    const reply = await bot.run(voteCommand({ presets: 'calling,calling' }));
    expect(dataOf(reply).content).toMatch(/at least two/);
  });

  it('GIVEN a server with many saved presets WHEN /salt vote without presets THEN built-ins come first and the select holds at most 25 options', async () => {
    bot = await makeBot();
    const spec = getBuiltinPreset('naive')!.spec;
    for (let i = 0; i < 25; i++) {
      await bot.store.presets.save(scope.guildId, { name: `house-${String(i).padStart(2, '0')}`, title: `House ${i}`, description: 'saved', spec, savedBy: { id: '1', name: 'a' } });
    }
    const { reply, voteId } = await startVote(bot);
    const vote = await bot.store.votes.get(voteId);
    expect(vote!.options).toHaveLength(25);
    const builtins = loadBuiltinPresets().map((p) => p.name);
    expect(vote!.options.slice(0, builtins.length)).toEqual(builtins);
    expect(vote!.options[builtins.length]).toBe('house-00');
    const select = text(dataOf(reply).components);
    expect((select.match(/"value":"/g) ?? []).length).toBe(25);
  });

  it('GIVEN the card WHEN Vote is pressed THEN a vote over every preset starts with the default 10 minutes', async () => {
    bot = await makeBot();
    const reply = await bot.run(ix.button({ customId: encodeAction({ kind: 'card', step: 'vote' }) }));
    const action = decodeAction(customIds(dataOf(reply).components).find((id) => id.includes(':vote:pick:'))!);
    if (action.kind !== 'vote') throw new Error('no vote');
    const vote = await bot.store.votes.get(action.voteId);
    expect(vote!.closesAt - vote!.createdAt).toBe(10 * 60_000);
    expect(vote!.options.length).toBe(loadBuiltinPresets().length);
  });

  it('GIVEN two guild locales WHEN a vote is posted THEN the message has the same structure (container, select, Close)', async () => {
    const shapes: string[] = [];
    for (const guildLocale of ['en-US', 'de']) {
      bot = await makeBot();
      const { reply } = await startVote(bot, { presets: 'calling,naive', guildLocale, locale: 'ja' });
      const components = dataOf(reply).components as { type: number; components?: { type: number }[] }[];
      shapes.push(text(components.map((c) => [c.type, (c.components ?? []).map((k) => k.type)])));
      await bot.close();
    }
    expect(shapes[0]).toBe('[[17,[10,14,10,10]],[1,[3]],[1,[2]]]');
    expect(shapes[1]).toBe(shapes[0]);
  });

  it('GIVEN a partly typed list WHEN autocompleting presets THEN the last token is completed and earlier ones kept', async () => {
    bot = await makeBot();
    const reply = await bot.run(
      ix.autocomplete({ name: 'salt', options: [{ type: 1, name: 'vote', options: [{ type: 3, name: 'presets', value: 'calling, lay', focused: true }] }] as never }),
    );
    const choices = (reply.response as { data: { choices: { name: string; value: string }[] } }).data.choices;
    expect(choices.map((c) => c.value)).toContain('calling, layer-stack');
    expect(choices.every((c) => c.value.startsWith('calling, ') && c.value !== 'calling, calling')).toBe(true);
  });
});

describe('vote deadlines', () => {
  it('GIVEN an open vote past its deadline WHEN the scheduler starts THEN it closes it once; a second close is a no-op', async () => {
    bot = await makeBot();
    const { voteId, pickId } = await startVote(bot, { presets: 'calling,naive', minutes: 1 });
    await bot.run(pick(pickId, 'naive', 1));
    bot.clock.now += 2 * 60_000;
    const closed: string[] = [];
    const closer = closeVoteOnTimer(bot.deps);
    const scheduler = createVoteScheduler(bot.deps, async (id) => {
      closed.push(id);
      await closer(id);
    });
    await scheduler.start();
    expect(closed).toEqual([voteId]);
    expect(scheduler.pending()).toEqual([]);
    const vote = await bot.store.votes.get(voteId);
    expect(vote?.closed?.winner).toBe('naive');
    expect(vote?.closed?.by).toEqual(VOTE_TIMER_ACTOR);
    const calls = bot.api.calls.length;
    const draftVersion = (await bot.store.drafts.get(scope))!.version;
    expect(text(bot.api.ofMethod('createMessage')[0]!.args[1])).toContain('naive');

    await closeVoteById(bot.deps, voteId, VOTE_TIMER_ACTOR, 'timer'); // the timer of another process
    await scheduler.start(); // a second start sees no open vote
    expect(closed).toEqual([voteId]);
    expect(bot.api.calls.length).toBe(calls);
    expect((await bot.store.drafts.get(scope))!.version).toBe(draftVersion);
    scheduler.stop();
  });

  it('GIVEN a future deadline WHEN scheduled THEN the timer fires once at the deadline; stop() clears pending timers', async () => {
    bot = await makeBot();
    const fired: string[] = [];
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const scheduler = createVoteScheduler(bot.deps, async (id) => {
      fired.push(id);
      resolve();
    });
    scheduler.schedule('abc', bot.clock.now + 30);
    scheduler.schedule('abc', bot.clock.now + 30); // re-arming replaces, never doubles
    scheduler.schedule('later', bot.clock.now + 60 * 60_000);
    expect(scheduler.pending().sort()).toEqual(['abc', 'later']);
    await done;
    await new Promise((r) => setTimeout(r, 50));
    expect(fired).toEqual(['abc']);
    scheduler.stop();
    expect(scheduler.pending()).toEqual([]);
    scheduler.schedule('after-stop', bot.clock.now);
    expect(scheduler.pending()).toEqual([]);
  });

  it('GIVEN a delay longer than setTimeout allows WHEN scheduled THEN it is chained in clamped steps and fires only at the deadline', async () => {
    bot = await makeBot();
    const fired: string[] = [];
    const scheduler = createVoteScheduler(bot.deps, async (id) => void fired.push(id), { maxDelayMs: 10 });
    scheduler.schedule('long', bot.clock.now + 1_000_000);
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual([]); // woke up several times, re-armed each time
    expect(scheduler.pending()).toEqual(['long']);
    bot.clock.now += 1_000_000;
    await new Promise((r) => setTimeout(r, 40));
    expect(fired).toEqual(['long']);
    scheduler.stop();
  });

  it('GIVEN an open vote WHEN the bot restarts over the same store THEN the new bot sees it, re-arms it and can close it', async () => {
    bot = await makeBot();
    const { voteId, pickId, closeId } = await startVote(bot, { presets: 'calling,naive', minutes: 30 });
    await bot.run(pick(pickId, 'calling', 1));

    other = await makeBot({ store: bot.store, now: bot.clock.now + 60_000 });
    const scheduler = createVoteScheduler(other.deps, closeVoteOnTimer(other.deps));
    await scheduler.start();
    expect(scheduler.pending()).toEqual([voteId]);
    expect((await other.store.votes.listOpen()).map((v) => v.id)).toEqual([voteId]);

    await other.run(pick(pickId, 'naive', 2));
    await other.run(pick(pickId, 'naive', 3));
    await other.run(ix.button({ customId: closeId }));
    expect((await other.store.votes.get(voteId))?.closed?.winner).toBe('naive');
    expect(other.api.ofMethod('createMessage').length).toBeGreaterThan(0);
    scheduler.stop();
  });

  it('GIVEN a pick after the deadline before the timer fired WHEN picked THEN it is refused and the vote is closed', async () => {
    bot = await makeBot();
    const { voteId, pickId } = await startVote(bot, { presets: 'calling,naive', minutes: 1 });
    await bot.run(pick(pickId, 'naive', 1));
    bot.clock.now += 61_000;
    const reply = await bot.run(pick(pickId, 'calling', 2));
    expect(dataOf(reply).content).toMatch(/has ended/);
    const vote = await bot.store.votes.get(voteId);
    expect(vote?.closed?.winner).toBe('naive');
    expect(vote?.ballots).toEqual({ [user(1).id]: 'naive' });
  });
});
