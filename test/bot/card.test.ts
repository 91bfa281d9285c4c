/**
 * The draft card's rendering cache: a frozen record (as the store hands it out) is rendered once
 * per locale and the body shared; anything else is rendered afresh. What the card says never
 * depends on whether it came from the cache.
 */
import { describe, expect, it } from 'vitest';
import { cardMessage } from '../../src/discord/card.js';
import { clip } from '../../src/discord/limits.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { deepFreeze } from '../../src/domain/trusted.js';
import type { DraftRecord } from '../../src/store/types.js';
import { makeSpec } from '../fixtures/spec.js';

const ana = { id: '1300000000000000300', name: 'ana' };

function record(overrides: Partial<DraftRecord> = {}): DraftRecord {
  return {
    spec: getBuiltinPreset('calling')!.spec,
    version: 3,
    createdBy: ana,
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_100_000,
    contributors: { [ana.id]: { name: 'ana', parts: ['track'] } },
    cardMessageId: '1400000000000000001',
    ...overrides,
  };
}

const shown = (body: unknown) => JSON.stringify(body);

describe('draft card rendering', () => {
  it('GIVEN a frozen record WHEN its card is rendered twice in one locale THEN both calls get the same frozen body', () => {
    const frozen = deepFreeze(record());
    const first = cardMessage(frozen, 'en-US');
    const second = cardMessage(frozen, 'en-US');
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(shown(first)).toContain('v3');
    expect(first.allowed_mentions).toEqual({ parse: [] });
  });

  it('GIVEN a frozen record WHEN its card is rendered in en-US and de THEN each locale gets its own text', () => {
    const frozen = deepFreeze(record());
    expect(shown(cardMessage(frozen, 'en-US'))).toContain('SALT draft · v3');
    expect(shown(cardMessage(frozen, 'de'))).toContain('SALT-Entwurf · v3');
    expect(cardMessage(frozen, 'de')).toBe(cardMessage(frozen, 'de'));
  });

  it('GIVEN a cached card WHEN a caller tries to change it THEN the change is refused and the next render is unchanged', () => {
    const frozen = deepFreeze(record());
    const body = cardMessage(frozen, 'en-US');
    const before = shown(body);
    expect(() => {
      (body as { flags: number }).flags = 0;
    }).toThrow(TypeError);
    expect(shown(cardMessage(frozen, 'en-US'))).toBe(before);
  });

  it('GIVEN a record that is not frozen WHEN rendered twice THEN each call gets its own body with the same content', () => {
    const open = record();
    const first = cardMessage(open, 'en-US');
    const second = cardMessage(open, 'en-US');
    expect(second).not.toBe(first);
    expect(shown(second)).toBe(shown(first));
    open.version = 4;
    expect(shown(cardMessage(open, 'en-US'))).toContain('v4');
  });

  it('GIVEN two versions that share one spec WHEN both cards are rendered THEN each shows its own version and contributors', () => {
    const spec = getBuiltinPreset('calling')!.spec;
    const v3 = deepFreeze(record({ spec, version: 3 }));
    const v4 = deepFreeze(record({ spec, version: 4, contributors: { '1300000000000000301': { name: 'bo', parts: ['sidechain'] } } }));
    expect(shown(cardMessage(v3, 'en-US'))).toContain('v3');
    expect(shown(cardMessage(v3, 'en-US'))).toContain('ana (track)');
    expect(shown(cardMessage(v4, 'en-US'))).toContain('v4');
    expect(shown(cardMessage(v4, 'en-US'))).toContain('bo (sidechain)');
    expect(shown(cardMessage(v4, 'en-US'))).not.toContain('ana (track)');
  });

  it('GIVEN an untrusted spec equal to a cached one but changed afterwards WHEN rendered again THEN the card shows the change', () => {
    const spec = structuredClone(makeSpec()) as { track: { bpm: number } };
    const open = record({ spec: spec as never });
    expect(shown(cardMessage(open, 'en-US'))).toContain(`${spec.track.bpm} BPM`);
    spec.track.bpm = 140;
    expect(shown(cardMessage(open, 'en-US'))).toContain('140 BPM');
  });

  it('GIVEN a hundred contributors WHEN the card is rendered THEN the contributors line is the whole list clipped to 600 characters', () => {
    const contributors: DraftRecord['contributors'] = {};
    for (let i = 0; i < 100; i++) contributors[String(1300000000001000000n + BigInt(i))] = { name: `Member *${i}*`, parts: ['track', 'sidechain', 'timing', 'details', 'lint'].slice(0, 1 + (i % 5)) };
    const full = Object.values(contributors)
      .map((c) => `${c.name.replace(/[*_`~|>@#<]/g, '')} (${c.parts.slice(0, 4).join(', ')}${c.parts.length > 4 ? '…' : ''})`)
      .join(' · ');
    const body = shown(cardMessage(deepFreeze(record({ contributors })), 'en-US'));
    expect(body).toContain(JSON.stringify(`Contributors: ${clip(full, 600)}`).slice(1, -1));
  });
});
