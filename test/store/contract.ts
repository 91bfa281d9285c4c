/**
 * The store contract: one suite every backend (memory, file, Redis) must pass.
 *   describeStoreContract('memory', (config) => createStore({ memory: true, ...config }))
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Spec } from '../../src/domain/spec.js';
import {
  DraftExistsError,
  DraftMissingError,
  NothingToUndoError,
  PRESET_LIMIT,
  PresetExistsError,
  PresetLimitError,
  StoreCorruptError,
  VoteClosedError,
  VoteExistsError,
  VoteMissingError,
  VoteOptionError,
  type Actor,
  type Scope,
  type Store,
  type StoreConfig,
  type VoteRecord,
} from '../../src/store/index.js';
import { makeSpec } from '../fixtures/spec.js';

export type MakeStore = (config?: Partial<StoreConfig>) => Promise<Store>;

export const silentLogger = { info: () => {}, warn: () => {} };

const ann: Actor = { id: 'u-ann', name: 'Ann' };
const bob: Actor = { id: 'u-bob', name: 'Bob' };

let counter = 0;
/** A scope no other test (or earlier run against the same Redis) uses. */
export function freshScope(): Scope {
  counter++;
  const run = `${process.pid}-${Date.now().toString(36)}-${counter}`;
  return { guildId: `g-${run}`, channelId: `c-${counter}` };
}

export function withBpm(spec: Spec, bpm: number): Spec {
  return { ...spec, track: { ...spec.track, bpm } };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function vote(overrides: Partial<VoteRecord> = {}): VoteRecord {
  const { guildId, channelId } = freshScope();
  return {
    id: `v-${guildId}`,
    guildId,
    channelId,
    options: ['big-room', 'trance-lead', 'pluck'],
    ballots: {},
    createdBy: ann,
    createdAt: Date.now(),
    closesAt: Date.now() + 60_000,
    ...overrides,
  };
}

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`store contract: ${name}`, () => {
    const open: Store[] = [];
    async function store(config: Partial<StoreConfig> = {}): Promise<Store> {
      const s = await makeStore({ logger: silentLogger, ...config });
      open.push(s);
      return s;
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((s) => s.close()));
    });

    describe('drafts', () => {
      it('GIVEN no draft WHEN get THEN undefined', async () => {
        const s = await store();
        expect(await s.drafts.get(freshScope())).toBeUndefined();
      });

      it('GIVEN no draft WHEN create THEN version 1 with creator, contributors and a history entry', async () => {
        const s = await store();
        const scope = freshScope();
        const created = await s.drafts.create(scope, makeSpec(), ann, { parts: ['track'] });
        expect(created.version).toBe(1);
        expect(created.createdBy).toEqual(ann);
        expect(created.contributors).toEqual({ [ann.id]: { name: 'Ann', parts: ['track'] } });
        expect(await s.drafts.get(scope)).toEqual(created);
        const history = await s.drafts.history(scope);
        expect(history).toHaveLength(1);
        expect(history[0]).toMatchObject({ version: 1, actor: ann, summary: 'create' });
      });

      it('GIVEN a draft WHEN create again THEN DraftExistsError and the draft is untouched', async () => {
        const s = await store();
        const scope = freshScope();
        const created = await s.drafts.create(scope, makeSpec(), ann);
        const error = await s.drafts.create(scope, withBpm(makeSpec(), 140), bob).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(DraftExistsError);
        expect((error as DraftExistsError).code).toBe('draft_exists');
        expect(await s.drafts.get(scope)).toEqual(created);
      });

      it('GIVEN a draft WHEN create with replace THEN a new version by the new creator, and undo brings the old spec back', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        const replaced = await s.drafts.create(scope, withBpm(makeSpec(), 140), bob, { replace: true });
        expect(replaced.version).toBe(2);
        expect(replaced.createdBy).toEqual(bob);
        expect(replaced.spec.track.bpm).toBe(140);
        expect((await s.drafts.history(scope))[0]).toMatchObject({ version: 2, summary: 'replace', actor: bob });
        const undone = await s.drafts.undo(scope, bob);
        expect(undone.spec.track.bpm).toBe(128);
      });

      it('GIVEN a draft WHEN update THEN the version goes up and history records actor and summary', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        const { record, previous } = await s.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 132) }), { parts: ['track'] });
        expect(previous.version).toBe(1);
        expect(previous.spec.track.bpm).toBe(128);
        expect(record.version).toBe(2);
        expect(record.spec.track.bpm).toBe(132);
        expect(record.createdBy).toEqual(ann);
        expect(record.contributors[bob.id]).toEqual({ name: 'Bob', parts: ['track'] });
        expect(await s.drafts.get(scope)).toEqual(record);
        const history = await s.drafts.history(scope);
        expect(history.map((h) => [h.version, h.actor.id, h.summary, h.spec.track.bpm])).toEqual([
          [2, bob.id, 'track', 132],
          [1, ann.id, 'create', 128],
        ]);
      });

      it('GIVEN no draft WHEN update THEN DraftMissingError', async () => {
        const s = await store();
        await expect(s.drafts.update(freshScope(), ann, 'track', (d) => d)).rejects.toBeInstanceOf(DraftMissingError);
      });

      it('GIVEN a draft WHEN 50 members update it concurrently THEN all 50 changes land', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            s.drafts.update(scope, { id: `u${i}`, name: `member ${i}` }, `part ${i}`, async (d) => {
              await sleep(Math.random() * 3); // widen the read-modify-write window
              return { ...d, contributors: { ...d.contributors, [`u${i}`]: { name: `member ${i}`, parts: [`part:${i}`] } } };
            }),
          ),
        );
        const final = await s.drafts.get(scope);
        expect(final?.version).toBe(51);
        expect(new Set(results.map((r) => r.record.version)).size).toBe(50);
        for (let i = 0; i < 50; i++) expect(final?.contributors[`u${i}`]?.parts).toEqual([`part:${i}`]);
      });

      it('GIVEN a draft WHEN the mutate function throws THEN the error propagates and nothing is saved', async () => {
        const s = await store();
        const scope = freshScope();
        const created = await s.drafts.create(scope, makeSpec(), ann);
        const boom = new Error('invalid bpm');
        await expect(
          s.drafts.update(scope, bob, 'track', () => {
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await s.drafts.get(scope)).toEqual(created);
        expect(await s.drafts.history(scope)).toHaveLength(1);
      });

      it('GIVEN a mutate that returns an invalid spec WHEN update THEN InvalidRecordError and nothing is saved', async () => {
        const s = await store();
        const scope = freshScope();
        const created = await s.drafts.create(scope, makeSpec(), ann);
        const error = await s.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 999) })).catch((e: unknown) => e);
        expect((error as { code?: string }).code).toBe('store_invalid_record');
        expect(await s.drafts.get(scope)).toEqual(created);
      });

      it('GIVEN three versions WHEN undo THEN the previous spec returns as a new version, and undoing the undo restores it', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        await s.drafts.update(scope, ann, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 130) }));
        await s.drafts.update(scope, bob, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 140) }));
        const undone = await s.drafts.undo(scope, ann);
        expect(undone.version).toBe(4);
        expect(undone.spec.track.bpm).toBe(130);
        expect((await s.drafts.history(scope))[0]).toMatchObject({ version: 4, actor: ann, summary: 'undo v3' });
        const redone = await s.drafts.undo(scope, bob);
        expect(redone.version).toBe(5);
        expect(redone.spec.track.bpm).toBe(140);
        const history = await s.drafts.history(scope);
        expect(history.map((h) => h.version)).toEqual([5, 4, 3, 2, 1]);
      });

      it('GIVEN a fresh draft WHEN undo THEN NothingToUndoError; without a draft THEN DraftMissingError', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        const error = await s.drafts.undo(scope, ann).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(NothingToUndoError);
        expect((error as NothingToUndoError).code).toBe('nothing_to_undo');
        await expect(s.drafts.undo(freshScope(), ann)).rejects.toBeInstanceOf(DraftMissingError);
      });

      it('GIVEN 30 updates WHEN history THEN the newest 25 are kept newest first, and a limit trims', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        for (let i = 0; i < 30; i++) await s.drafts.update(scope, ann, `step ${i}`, (d) => ({ ...d, spec: withBpm(d.spec, 100 + i) }));
        const history = await s.drafts.history(scope);
        expect(history).toHaveLength(25);
        expect(history[0]).toMatchObject({ version: 31, summary: 'step 29' });
        expect(history.map((h) => h.version)).toEqual(Array.from({ length: 25 }, (_, i) => 31 - i));
        expect(await s.drafts.history(scope, 3)).toHaveLength(3);
      });

      it('GIVEN historyLimit below 20 WHEN many updates THEN at least 20 entries are still kept', async () => {
        const s = await store({ historyLimit: 5 });
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        for (let i = 0; i < 24; i++) await s.drafts.update(scope, ann, `step ${i}`, (d) => d);
        expect(await s.drafts.history(scope)).toHaveLength(20);
      });

      it('GIVEN a short TTL WHEN the draft is idle THEN it expires; an update refreshes the TTL', async () => {
        const s = await store({ draftTtlMs: 400 });
        const idle = freshScope();
        const busy = freshScope();
        await s.drafts.create(idle, makeSpec(), ann);
        await s.drafts.create(busy, makeSpec(), ann);
        await sleep(250);
        await s.drafts.update(busy, ann, 'track', (d) => d);
        await sleep(250);
        expect(await s.drafts.get(idle)).toBeUndefined();
        expect(await s.drafts.history(idle)).toEqual([]);
        expect((await s.drafts.get(busy))?.version).toBe(2);
        await sleep(450);
        expect(await s.drafts.get(busy)).toBeUndefined();
        // An expired draft can be created again.
        expect((await s.drafts.create(idle, makeSpec(), bob)).version).toBe(1);
      });

      it('GIVEN a draft WHEN setCardMessage THEN the id is stored without a new version', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        await s.drafts.setCardMessage(scope, '123456789');
        const record = await s.drafts.get(scope);
        expect(record?.cardMessageId).toBe('123456789');
        expect(record?.version).toBe(1);
        const { record: updated } = await s.drafts.update(scope, ann, 'track', (d) => d);
        expect(updated.cardMessageId).toBe('123456789');
        await expect(s.drafts.setCardMessage(freshScope(), '1')).rejects.toBeInstanceOf(DraftMissingError);
      });

      it('GIVEN a draft WHEN delete THEN draft and history are gone; deleting again is DraftMissingError', async () => {
        const s = await store();
        const scope = freshScope();
        await s.drafts.create(scope, makeSpec(), ann);
        await s.drafts.update(scope, ann, 'track', (d) => d);
        await s.drafts.delete(scope, ann);
        expect(await s.drafts.get(scope)).toBeUndefined();
        expect(await s.drafts.history(scope)).toEqual([]);
        await expect(s.drafts.delete(scope, ann)).rejects.toBeInstanceOf(DraftMissingError);
        expect((await s.drafts.create(scope, makeSpec(), bob)).version).toBe(1);
      });

      it('GIVEN drafts in two channels WHEN one changes THEN the other is untouched', async () => {
        const s = await store();
        const a = freshScope();
        const b = { ...a, channelId: `${a.channelId}-other` };
        await s.drafts.create(a, makeSpec(), ann);
        await s.drafts.create(b, withBpm(makeSpec(), 150), bob);
        await s.drafts.update(a, ann, 'track', (d) => ({ ...d, spec: withBpm(d.spec, 90) }));
        expect((await s.drafts.get(b))?.spec.track.bpm).toBe(150);
        expect((await s.drafts.get(b))?.version).toBe(1);
      });
    });

    describe('corrupt values', () => {
      it('GIVEN a foreign value at a draft key WHEN get/update THEN StoreCorruptError naming the key; replace and delete recover', async () => {
        const s = await store();
        const scope = freshScope();
        const key = s.debug.keys.draft(scope);
        await s.debug.putRaw(key, { hello: 'world' });
        const error = await s.drafts.get(scope).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StoreCorruptError);
        expect((error as StoreCorruptError).code).toBe('store_corrupt');
        expect((error as StoreCorruptError).key).toBe(key);
        await expect(s.drafts.update(scope, ann, 'track', (d) => d)).rejects.toBeInstanceOf(StoreCorruptError);
        await expect(s.drafts.create(scope, makeSpec(), ann)).rejects.toBeInstanceOf(StoreCorruptError);
        expect((await s.drafts.create(scope, makeSpec(), ann, { replace: true })).version).toBe(1);
        await s.debug.putRaw(key, 'not even json {');
        await expect(s.drafts.get(scope)).rejects.toBeInstanceOf(StoreCorruptError);
        await s.drafts.delete(scope, ann);
        expect(await s.drafts.get(scope)).toBeUndefined();
      });

      it('GIVEN a spec that no longer validates in a stored draft WHEN get THEN StoreCorruptError', async () => {
        const s = await store();
        const scope = freshScope();
        const created = await s.drafts.create(scope, makeSpec(), ann);
        await s.debug.putRaw(s.debug.keys.draft(scope), { ...created, spec: { ...created.spec, track: { ...created.spec.track, bpm: 'fast' } } });
        await expect(s.drafts.get(scope)).rejects.toBeInstanceOf(StoreCorruptError);
      });

      it('GIVEN corrupt presets, votes and history WHEN read THEN StoreCorruptError', async () => {
        const s = await store();
        const scope = freshScope();
        await s.debug.putRaw(s.debug.keys.presets(scope.guildId), ['nope']);
        await expect(s.presets.list(scope.guildId)).rejects.toBeInstanceOf(StoreCorruptError);
        await s.debug.putRaw(s.debug.keys.vote('v-bad'), { id: 'v-bad' });
        await expect(s.votes.get('v-bad')).rejects.toBeInstanceOf(StoreCorruptError);
        await s.debug.putRaw(s.debug.keys.history(scope), [{ version: 'x' }]);
        await expect(s.drafts.history(scope)).rejects.toBeInstanceOf(StoreCorruptError);
      });
    });

    describe('presets', () => {
      const preset = (name: string, bpm = 128) => ({ name, title: `Title ${name}`, description: 'A lead stack', spec: withBpm(makeSpec(), bpm), savedBy: ann });

      it('GIVEN presets saved WHEN list/get THEN sorted by name with who saved them', async () => {
        const s = await store();
        const { guildId } = freshScope();
        await s.presets.save(guildId, preset('zeta'));
        const saved = await s.presets.save(guildId, preset('alpha', 140));
        expect(saved).toMatchObject({ name: 'alpha', savedBy: ann });
        expect(typeof saved.savedAt).toBe('number');
        expect((await s.presets.list(guildId)).map((p) => p.name)).toEqual(['alpha', 'zeta']);
        expect((await s.presets.get(guildId, 'alpha'))?.spec.track.bpm).toBe(140);
        expect(await s.presets.get(guildId, 'missing')).toBeUndefined();
        expect(await s.presets.list(freshScope().guildId)).toEqual([]);
      });

      it('GIVEN a preset WHEN saved again without overwrite THEN PresetExistsError; with overwrite THEN replaced', async () => {
        const s = await store();
        const { guildId } = freshScope();
        await s.presets.save(guildId, preset('lead'));
        const error = await s.presets.save(guildId, preset('lead', 150)).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PresetExistsError);
        expect((error as PresetExistsError).code).toBe('preset_exists');
        expect((await s.presets.get(guildId, 'lead'))?.spec.track.bpm).toBe(128);
        await s.presets.save(guildId, { ...preset('lead', 150), savedBy: bob }, { overwrite: true });
        expect(await s.presets.get(guildId, 'lead')).toMatchObject({ savedBy: bob, spec: { track: { bpm: 150 } } });
      });

      it('GIVEN a preset WHEN delete THEN true once, then false', async () => {
        const s = await store();
        const { guildId } = freshScope();
        await s.presets.save(guildId, preset('lead'));
        expect(await s.presets.delete(guildId, 'lead')).toBe(true);
        expect(await s.presets.delete(guildId, 'lead')).toBe(false);
        expect(await s.presets.list(guildId)).toEqual([]);
      });

      it(`GIVEN ${PRESET_LIMIT} presets WHEN saving another THEN PresetLimitError; overwriting one still works; other servers unaffected`, async () => {
        const s = await store();
        const { guildId } = freshScope();
        await Promise.all(Array.from({ length: PRESET_LIMIT }, (_, i) => s.presets.save(guildId, preset(`p${i}`))));
        expect(await s.presets.list(guildId)).toHaveLength(PRESET_LIMIT);
        const error = await s.presets.save(guildId, preset('one-more')).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(PresetLimitError);
        expect((error as PresetLimitError).code).toBe('preset_limit');
        await s.presets.save(guildId, preset('p3', 99), { overwrite: true });
        expect((await s.presets.get(guildId, 'p3'))?.spec.track.bpm).toBe(99);
        await s.presets.save(freshScope().guildId, preset('one-more'));
      });

      it('GIVEN an invalid preset name WHEN save THEN InvalidRecordError', async () => {
        const s = await store();
        await expect(s.presets.save(freshScope().guildId, preset('Not Valid!'))).rejects.toMatchObject({ code: 'store_invalid_record' });
      });
    });

    describe('votes', () => {
      it('GIVEN an open vote WHEN members cast and change ballots THEN one ballot per member, the latest counts', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        expect(await s.votes.get(v.id)).toEqual(v);
        await s.votes.cast(v.id, 'u1', 'pluck');
        await s.votes.cast(v.id, 'u2', 'big-room');
        const changed = await s.votes.cast(v.id, 'u1', 'big-room');
        expect(changed).toMatchObject({ tally: { 'big-room': 2, 'trance-lead': 0, pluck: 0 }, ballotCount: 2 });
        expect((await s.votes.get(v.id))?.ballots).toEqual({ u1: 'big-room', u2: 'big-room' });
        await expect(s.votes.cast(v.id, 'u3', 'not-an-option')).rejects.toBeInstanceOf(VoteOptionError);
        await expect(s.votes.cast('v-nope', 'u3', 'pluck')).rejects.toBeInstanceOf(VoteMissingError);
        await expect(s.votes.create(v)).rejects.toBeInstanceOf(VoteExistsError);
      });

      /** What the ballots say, per option: the count a live tally must equal. */
      const recount = (record: VoteRecord) => {
        const tally: Record<string, number> = Object.fromEntries(record.options.map((o) => [o, 0]));
        for (const option of Object.values(record.ballots)) tally[option] = (tally[option] ?? 0) + 1;
        return tally;
      };

      it('GIVEN a vote with 300 ballots WHEN a member changes their pick THEN the tally moves by one and equals a recount of the ballots', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        for (let i = 0; i < 300; i++) await s.votes.cast(v.id, `m${i}`, v.options[i % 3]!);
        const before = await s.votes.cast(v.id, 'm0', 'big-room'); // m0 already picked big-room
        expect(before.tally).toEqual({ 'big-room': 100, 'trance-lead': 100, pluck: 100 });
        const after = await s.votes.cast(v.id, 'm0', 'pluck');
        expect(after.tally).toEqual({ 'big-room': 99, 'trance-lead': 100, pluck: 101 });
        expect(after.ballotCount).toBe(300);
        expect(after.tally).toEqual(recount((await s.votes.get(v.id))!));
        expect(after).toMatchObject({ id: v.id, guildId: v.guildId, channelId: v.channelId, options: v.options, createdBy: ann, closesAt: v.closesAt });
        expect(after).not.toHaveProperty('ballots');
      });

      it('GIVEN a member who picked an option WHEN they pick it again THEN it counts once', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        await s.votes.cast(v.id, 'u1', 'pluck');
        await s.votes.cast(v.id, 'u2', 'trance-lead');
        const again = await s.votes.cast(v.id, 'u1', 'pluck');
        expect(again).toMatchObject({ tally: { 'big-room': 0, 'trance-lead': 1, pluck: 1 }, ballotCount: 2 });
        expect(again.tally).toEqual(recount((await s.votes.get(v.id))!));
      });

      it('GIVEN a vote that already holds ballots and has no tally yet WHEN a member casts THEN the counts include every earlier ballot', async () => {
        const s = await store();
        const v = vote({ ballots: { a: 'pluck', b: 'pluck', c: 'big-room' } });
        await s.votes.create(v);
        const cast = await s.votes.cast(v.id, 'c', 'trance-lead');
        expect(cast).toMatchObject({ tally: { 'big-room': 0, 'trance-lead': 1, pluck: 2 }, ballotCount: 3 });
        expect((await s.votes.cast(v.id, 'd', 'pluck')).tally).toEqual({ 'big-room': 0, 'trance-lead': 1, pluck: 3 });
      });

      it('GIVEN members changing their picks at once WHEN the vote closes THEN the last live tally, a recount and the closing tally agree', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        await Promise.all(Array.from({ length: 20 }, (_, i) => s.votes.cast(v.id, `m${i}`, v.options[i % 3]!)));
        // Every member changes twice, concurrently with the others (and with their own second change).
        await Promise.all(Array.from({ length: 40 }, (_, i) => s.votes.cast(v.id, `m${i % 20}`, v.options[(i + 1) % 3]!)));
        const last = await s.votes.cast(v.id, 'm0', v.options[2]!);
        const closed = await s.votes.close(v.id, ann);
        expect(last.ballotCount).toBe(20);
        expect(last.tally).toEqual(recount(closed));
        expect(closed.closed.tally).toEqual(last.tally);
      });

      it('GIVEN a vote WHEN info THEN the record without its ballots; a missing vote THEN undefined', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        await s.votes.cast(v.id, 'u1', 'pluck');
        const { ballots: _ballots, ...info } = v;
        expect(await s.votes.info(v.id)).toEqual(info);
        expect(await s.votes.info('v-nope')).toBeUndefined();
      });

      it('GIVEN 30 members casting at once WHEN the vote closes THEN every ballot is counted', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        await Promise.all(Array.from({ length: 30 }, (_, i) => s.votes.cast(v.id, `m${i}`, v.options[i % 3]!)));
        const closed = await s.votes.close(v.id, ann);
        expect(Object.keys(closed.ballots)).toHaveLength(30);
        expect(closed.closed.tally).toEqual({ 'big-room': 10, 'trance-lead': 10, pluck: 10 });
        expect(closed.closed.winner).toBe('big-room'); // tie → first option
      });

      it('GIVEN a vote WHEN closed twice THEN the second close returns the same result flagged alreadyClosed, and casting is refused', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        await s.votes.cast(v.id, 'u1', 'pluck');
        await s.votes.cast(v.id, 'u2', 'pluck');
        await s.votes.cast(v.id, 'u3', 'trance-lead');
        const [first, second] = await Promise.all([s.votes.close(v.id, ann), s.votes.close(v.id, bob)]);
        expect(first.alreadyClosed).toBe(false);
        expect(second.alreadyClosed).toBe(true);
        expect(second.closed).toEqual(first.closed);
        expect(first.closed).toMatchObject({ by: ann, winner: 'pluck', tally: { pluck: 2, 'trance-lead': 1, 'big-room': 0 } });
        await expect(s.votes.cast(v.id, 'u4', 'pluck')).rejects.toBeInstanceOf(VoteClosedError);
        expect((await s.votes.get(v.id))?.closed?.winner).toBe('pluck');
      });

      it('GIVEN a vote nobody voted in WHEN closed THEN no winner', async () => {
        const s = await store();
        const v = vote();
        await s.votes.create(v);
        expect((await s.votes.close(v.id, ann)).closed.winner).toBeNull();
      });

      it('GIVEN open and closed votes WHEN listOpen THEN only open ones, soonest deadline first', async () => {
        const s = await store();
        const later = vote({ closesAt: Date.now() + 90_000 });
        const sooner = vote({ closesAt: Date.now() + 30_000 });
        const done = vote();
        for (const v of [later, sooner, done]) await s.votes.create(v);
        await s.votes.setMessage(sooner.id, '42');
        await s.votes.close(done.id, ann);
        const ids = (await s.votes.listOpen()).map((v) => v.id);
        expect(ids.filter((id) => [later.id, sooner.id, done.id].includes(id))).toEqual([sooner.id, later.id]);
        expect((await s.votes.get(sooner.id))?.messageId).toBe('42');
      });
    });

    describe('meta values and housekeeping', () => {
      it('GIVEN a meta value WHEN set and get THEN it round-trips', async () => {
        const s = await store();
        const key = `commands-hash-${freshScope().guildId}`;
        expect(await s.kv.get(key)).toBeUndefined();
        await s.kv.set(key, { hash: 'abc', at: 1 });
        expect(await s.kv.get(key)).toEqual({ hash: 'abc', at: 1 });
        await s.kv.set(key, 'plain');
        expect(await s.kv.get(key)).toBe('plain');
      });

      it('GIVEN a store WHEN describe, ping and stats THEN one line, a round trip and counted operations', async () => {
        const s = await store();
        expect(s.describe()).not.toContain('\n');
        expect(s.describe().length).toBeGreaterThan(10);
        expect(await s.ping()).toBeGreaterThanOrEqual(0);
        const before = s.stats().ops;
        await s.drafts.get(freshScope());
        expect(s.stats().ops).toBe(before + 1);
        expect(s.stats()).toMatchObject({ casRetries: expect.any(Number), errors: expect.any(Number) });
      });

      it('GIVEN ids with separators WHEN used as a scope THEN a TypeError, not a key collision', async () => {
        const s = await store();
        await expect(s.drafts.get({ guildId: 'a:b', channelId: 'c' })).rejects.toBeInstanceOf(TypeError);
      });
    });
  });
}
