import { describe, expect, it } from 'vitest';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { parseSpec } from '../../src/domain/parse.js';
import { deepFreeze } from '../../src/domain/trusted.js';
import { StoreCorruptError } from '../../src/store/errors.js';
import { DraftRecordSchema, readAs, writeAs } from '../../src/store/schemas.js';

const specInput = () => JSON.parse(JSON.stringify(getBuiltinPreset('calling')!.spec)) as { track: { bpm: unknown } };
const record = (spec: unknown) => ({
  spec,
  version: 3,
  createdBy: { id: '1', name: 'Ana' },
  createdAt: 1,
  updatedAt: 2,
  contributors: { '1': { name: 'Ana', parts: ['track'] } },
});

describe('store schemas (validated once)', () => {
  it('GIVEN a frozen stored value WHEN read twice THEN the second read returns the first result (frozen), and an equal unfrozen value is validated anew', () => {
    const stored = deepFreeze(record(specInput()));
    const first = readAs(DraftRecordSchema, 'k', stored)!;
    expect(readAs(DraftRecordSchema, 'k', stored)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    const fresh = readAs(DraftRecordSchema, 'k', record(specInput()))!;
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
  });

  it('GIVEN a record just written WHEN it is read back THEN it is its own validated result; its spec stays the trusted one', () => {
    const parsed = parseSpec(specInput());
    if (!parsed.ok) throw new Error('calling must parse');
    const written = writeAs(DraftRecordSchema, 'k', record(parsed.value));
    expect(written.spec).toBe(parsed.value);
    expect(readAs(DraftRecordSchema, 'k', written)).toBe(written);
  });

  it('GIVEN a stored draft whose spec is corrupt WHEN read THEN StoreCorruptError names the field inside the spec', () => {
    const bad = specInput();
    bad.track.bpm = 'fast';
    let error: unknown;
    try {
      readAs(DraftRecordSchema, 'saltbot:draft:g:c', deepFreeze(record(bad)));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreCorruptError);
    expect(String((error as Error).message)).toMatch(/spec\.track\.bpm/);
  });

  it('GIVEN a record with an invalid spec WHEN written THEN it is refused and nothing is remembered as valid', () => {
    const bad = specInput();
    bad.track.bpm = 1000;
    const value = record(bad);
    expect(() => writeAs(DraftRecordSchema, 'k', value)).toThrow(/spec\.track\.bpm/);
    expect(() => readAs(DraftRecordSchema, 'k', deepFreeze(value))).toThrow(StoreCorruptError);
  });

  it('GIVEN records whose contributors are malformed WHEN written THEN each is refused naming contributors; a good one passes', () => {
    const parsed = parseSpec(specInput());
    if (!parsed.ok) throw new Error('calling must parse');
    const bad: unknown[] = [
      [],
      { '': { name: 'a', parts: [] } },
      { '1': { name: 'x'.repeat(101), parts: [] } },
      { '1': { name: 'a', parts: ['y'.repeat(101)] } },
      { '1': { name: 'a', parts: 'track' } },
      { '1': { name: 'a', parts: [], admin: true } },
      { '1': null },
    ];
    for (const contributors of bad) {
      expect(() => writeAs(DraftRecordSchema, 'k', { ...record(parsed.value), contributors })).toThrow(/contributors/);
    }
    expect(writeAs(DraftRecordSchema, 'k', { ...record(parsed.value), contributors: { '1': { name: 'Ana', parts: ['track', 'timing'] } } }).contributors).toEqual({
      '1': { name: 'Ana', parts: ['track', 'timing'] },
    });
  });

  it('GIVEN a contributors map that passed once WHEN written again THEN accepted (it was frozen: it cannot have changed); an invalid map is still refused afterwards', () => {
    const parsed = parseSpec(specInput());
    if (!parsed.ok) throw new Error('calling must parse');
    const map: Record<string, { name: string; parts: string[] }> = { '1': { name: 'Ana', parts: ['track'] } };
    writeAs(DraftRecordSchema, 'k', { ...record(parsed.value), contributors: map });
    expect(() => map['1']!.parts.push('y'.repeat(101))).toThrow(TypeError);
    for (let i = 0; i < 2; i++) expect(writeAs(DraftRecordSchema, 'k', { ...record(parsed.value), contributors: map }).contributors).toEqual({ '1': { name: 'Ana', parts: ['track'] } });
    const bad = deepFreeze({ '2': { name: 'Bo', parts: ['y'.repeat(101)] } });
    for (let i = 0; i < 2; i++) expect(() => writeAs(DraftRecordSchema, 'k', { ...record(parsed.value), contributors: bad })).toThrow(/contributors/);
  });
});
