import { describe, expect, it } from 'vitest';
import { cardMessage } from '../../src/discord/card.js';
import { MAX_CONTRIBUTORS } from '../../src/store/facade.js';
import { createStore } from '../../src/store/index.js';
import { makeSpec } from '../fixtures/spec.js';

const scope = { guildId: '1300000000000000100', channelId: '1300000000000000200' };
const member = (i: number) => ({ id: String(1300000000001000000n + BigInt(i)), name: `Member ${i}` });

describe('draft contributors (bounded)', () => {
  it('GIVEN more members than a draft lists WHEN each saves a part THEN the first ones stay listed, a listed one still gains parts, and the card says "and others"', async () => {
    const store = await createStore({ memory: true });
    await store.drafts.create(scope, makeSpec(), member(0), { parts: ['create'] });
    const total = MAX_CONTRIBUTORS + 10;
    for (let i = 1; i < total; i++) await store.drafts.update(scope, member(i), 'track', (d) => d, { parts: ['track'] });
    await store.drafts.update(scope, member(1), 'timing', (d) => d, { parts: ['timing'] });
    const record = (await store.drafts.get(scope))!;
    expect(Object.keys(record.contributors)).toHaveLength(MAX_CONTRIBUTORS);
    expect(record.contributors[member(0).id]?.parts).toEqual(['create']);
    expect(record.contributors[member(1).id]?.parts).toEqual(['track', 'timing']);
    expect(record.contributors[member(total - 1).id]).toBeUndefined();
    expect(record.contributorsMore).toBe(true);
    expect(record.version).toBe(total + 1);
    expect(JSON.stringify(cardMessage(record, 'en-US'))).toContain('and others');
    expect(JSON.stringify(cardMessage(record, 'de'))).toContain('und weitere');
    await store.close();
  });

  it('GIVEN a few contributors WHEN the card is drawn THEN no "and others"', async () => {
    const store = await createStore({ memory: true });
    await store.drafts.create(scope, makeSpec(), member(0), { parts: ['create'] });
    await store.drafts.update(scope, member(1), 'track', (d) => d, { parts: ['track'] });
    const record = (await store.drafts.get(scope))!;
    expect(record.contributorsMore).toBeUndefined();
    expect(JSON.stringify(cardMessage(record, 'en-US'))).not.toContain('and others');
    await store.close();
  });
});
