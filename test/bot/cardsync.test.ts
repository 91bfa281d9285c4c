import { describe, expect, it } from 'vitest';
import { refreshCard } from '../../src/discord/cardSync.js';
import type { Deps } from '../../src/discord/deps.js';
import { createStore } from '../../src/store/index.js';
import type { Scope } from '../../src/store/types.js';
import { makeSpec } from '../fixtures/spec.js';
import { RecordingApi, RecordingLogger } from '../support/bot.js';

/** A recording API whose card edits wait until released, so refreshes pile up behind one. */
class GatedApi extends RecordingApi {
  private gates: (() => void)[] = [];
  override async editMessage(channelId: string, messageId: string, body: object | (() => object)) {
    await new Promise<void>((resolve) => this.gates.push(resolve));
    await super.editMessage(channelId, messageId, body);
  }
  get waiting(): number {
    return this.gates.length;
  }
  release(): void {
    for (const open of this.gates.splice(0)) open();
  }
}

async function setup(options: { channels?: string[] } = {}) {
  const store = await createStore({ memory: true });
  const api = new GatedApi();
  const deps: Deps = { store, api, log: new RecordingLogger(), now: Date.now, votes: { schedule() {} } };
  const actor = { id: '1300000000000000300', name: 'ana' };
  const scopes: Scope[] = (options.channels ?? ['1300000000000000200']).map((channelId) => ({ guildId: '1300000000000000100', channelId }));
  for (const scope of scopes) {
    await store.drafts.create(scope, makeSpec(), actor);
    await store.drafts.setCardMessage(scope, `9${scope.channelId}`);
  }
  const bump = (scope: Scope, bpm: number) => store.drafts.update(scope, actor, 'track', (c) => ({ ...c, spec: { ...c.spec, track: { ...c.spec.track, bpm } } }));
  const settle = () => new Promise((r) => setTimeout(r, 5));
  /** Lets the running edit through, then the refresh queued behind it. */
  const releaseInTurn = async (running: Promise<void>, queued: Promise<void>) => {
    api.release();
    await running;
    await settle();
    api.release();
    await queued;
  };
  return { store, api, deps, scopes, bump, settle, releaseInTurn };
}

const shown = (body: unknown) => JSON.stringify(body);

describe('card refresh coalescing', () => {
  it('GIVEN a card edit in flight WHEN ten more saves ask for a refresh THEN one queued edit follows, showing the latest version', async () => {
    const { api, deps, scopes, bump, settle } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US');
    await settle();
    expect(api.waiting).toBe(1);
    const later: Promise<void>[] = [];
    for (let i = 0; i < 10; i++) {
      await bump(scope, 130 + i);
      later.push(refreshCard(deps, scope, 'en-US'));
    }
    api.release();
    await first;
    await settle();
    expect(api.waiting).toBe(1);
    api.release();
    await Promise.all(later);
    const edits = api.ofMethod('editMessage');
    expect(edits).toHaveLength(2);
    expect(shown(edits[1]!.args[2])).toContain('139 BPM');
  });

  it('GIVEN refreshes of two channels WHEN both are asked at once THEN neither waits for the other', async () => {
    const { api, deps, scopes, settle } = await setup({ channels: ['1300000000000000201', '1300000000000000202'] });
    const both = scopes.map((scope) => refreshCard(deps, scope, 'en-US'));
    await settle();
    expect(api.waiting).toBe(2);
    api.release();
    await Promise.all(both);
    expect(api.ofMethod('editMessage').map((c) => c.args[0])).toEqual(['1300000000000000201', '1300000000000000202']);
  });

  it('GIVEN a refresh that failed to read the store WHEN the next one is asked THEN it runs again and edits the card', async () => {
    const { api, deps, scopes, store } = await setup();
    const scope = scopes[0]!;
    const get = store.drafts.get;
    store.drafts.get = async () => {
      throw new Error('store down');
    };
    await expect(refreshCard(deps, scope, 'en-US')).rejects.toThrow('store down');
    store.drafts.get = get;
    const again = refreshCard(deps, scope, 'en-US');
    await new Promise((r) => setTimeout(r, 5));
    api.release();
    await again;
    expect(api.ofMethod('editMessage')).toHaveLength(1);
  });

  it('GIVEN a card edit in flight that already read the latest version WHEN another refresh is asked without a new save THEN the queued refresh edits nothing', async () => {
    const { api, deps, scopes, settle } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US');
    await settle();
    expect(api.waiting).toBe(1);
    const queued = refreshCard(deps, scope, 'en-US');
    api.release();
    await first;
    await settle();
    expect(api.waiting).toBe(0);
    api.release();
    await queued;
    expect(api.ofMethod('editMessage')).toHaveLength(1);
  });

  it('GIVEN a card edit in flight WHEN a member is promised a fresh card (forced refresh) without a new save THEN the queued refresh edits the card anyway', async () => {
    const { api, deps, scopes, settle } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US');
    await settle();
    expect(api.waiting).toBe(1);
    const forced = refreshCard(deps, scope, 'en-US', undefined, { force: true });
    api.release();
    await first;
    await settle();
    expect(api.waiting).toBe(1);
    api.release();
    await forced;
    const edits = api.ofMethod('editMessage');
    expect(edits).toHaveLength(2);
    expect(shown(edits[1]!.args[2])).toBe(shown(edits[0]!.args[2]));
  });

  it('GIVEN a queued refresh for the same version WHEN the guild locale differs THEN the card is edited again in that locale', async () => {
    const { api, deps, scopes, settle, releaseInTurn } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US');
    await settle();
    const queued = refreshCard(deps, scope, 'de');
    await releaseInTurn(first, queued);
    expect(api.ofMethod('editMessage')).toHaveLength(2);
  });

  it('GIVEN a card refreshed earlier WHEN refreshed again later without a change THEN it is edited again (a deleted card would come back)', async () => {
    const { api, deps, scopes, settle } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US');
    await settle();
    api.release();
    await first;
    const later = refreshCard(deps, scope, 'en-US');
    await settle();
    api.release();
    await later;
    expect(api.ofMethod('editMessage')).toHaveLength(2);
  });

  it('GIVEN a save handing its record to the refresh WHEN nothing else is refreshing THEN the card shows that record without a store read; WHEN a refresh is running THEN the queued one reads the latest', async () => {
    const { store, api, deps, scopes, bump, settle, releaseInTurn } = await setup();
    const scope = scopes[0]!;
    let reads = 0;
    const get = store.drafts.get;
    store.drafts.get = (s) => {
      reads++;
      return get(s);
    };
    const { record } = await bump(scope, 141);
    const first = refreshCard(deps, scope, 'en-US', record);
    await settle();
    expect(reads).toBe(0);
    const { record: older } = await bump(scope, 142);
    await bump(scope, 143);
    const queued = refreshCard(deps, scope, 'en-US', older);
    await releaseInTurn(first, queued);
    const edits = api.ofMethod('editMessage');
    expect(edits).toHaveLength(2);
    // The waiting edit drew its card on its turn, from the newest record handed in (142: the save of
    // 143 handed in nothing, as a save made by another process would).
    expect(shown(edits[0]!.args[2])).toContain('**142 BPM');
    // The queued refresh read the store when it started: the latest save, not the record it was handed.
    expect(reads).toBe(1);
    expect(shown(edits[1]!.args[2])).toContain('**143 BPM');
  });

  it('GIVEN a card edit waiting for its turn WHEN three saves land meanwhile and hand in their records THEN the edit shows the last of them and the refresh they queued edits nothing', async () => {
    const { api, deps, scopes, bump, settle } = await setup();
    const scope = scopes[0]!;
    const first = refreshCard(deps, scope, 'en-US', (await bump(scope, 150)).record);
    await settle();
    expect(api.waiting).toBe(1);
    const later: Promise<void>[] = [];
    for (const bpm of [151, 152, 153]) later.push(refreshCard(deps, scope, 'en-US', (await bump(scope, bpm)).record));
    api.release();
    await first;
    await settle();
    expect(api.waiting).toBe(0);
    await Promise.all(later);
    const edits = api.ofMethod('editMessage');
    expect(edits).toHaveLength(1);
    expect(shown(edits[0]!.args[2])).toContain('**153 BPM');
  });

  it('GIVEN a card edit waiting for its turn WHEN the draft is deleted and made again and that save hands in its record THEN the waiting edit does not draw the new draft on the old card', async () => {
    const { store, api, deps, scopes, bump, settle, releaseInTurn } = await setup();
    const scope = scopes[0]!;
    const before = await store.drafts.get(scope);
    const first = refreshCard(deps, scope, 'en-US', before);
    await settle();
    const bo = { id: '1300000000000000301', name: 'bo' };
    await store.drafts.delete(scope, bo);
    await store.drafts.create(scope, makeSpec(), bo);
    await bump(scope, 98);
    const { record: again } = await bump(scope, 99);
    expect(again.version).toBeGreaterThan(before!.version);
    const queued = refreshCard(deps, scope, 'en-US', again);
    await releaseInTurn(first, queued);
    const edits = api.ofMethod('editMessage');
    expect(edits.length).toBeGreaterThanOrEqual(1);
    expect(shown(edits[0]!.args[2])).not.toContain('**99 BPM');
    expect(edits[0]!.args[1]).toBe(before!.cardMessageId);
  });
});
