import { describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/domain/parse.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { deepFreeze, isTrustedSpec } from '../../src/domain/trusted.js';

const callingInput = () => JSON.parse(JSON.stringify(getBuiltinPreset('calling')!.spec)) as Record<string, unknown>;

describe('trusted specs (validated once, frozen)', () => {
  it('GIVEN valid input WHEN parsed THEN the spec is deeply frozen and parsing it again returns the very same object', () => {
    const first = parseSpec(callingInput());
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(isTrustedSpec(first.value)).toBe(true);
    expect(Object.isFrozen(first.value)).toBe(true);
    expect(Object.isFrozen(first.value.layers[0]!.ltv)).toBe(true);
    const again = parseSpec(first.value);
    expect(again.ok && again.value).toBe(first.value);
  });

  it('GIVEN a trusted spec WHEN code tries to change it THEN it throws and the spec is unchanged', () => {
    const parsed = parseSpec(callingInput());
    if (!parsed.ok) throw new Error('calling must parse');
    const bpm = parsed.value.track.bpm;
    expect(() => {
      (parsed.value.track as { bpm: number }).bpm = 999;
    }).toThrow(TypeError);
    expect(parsed.value.track.bpm).toBe(bpm);
  });

  it('GIVEN an invalid copy of a trusted spec WHEN parsed THEN it is validated again and its problem is reported', () => {
    const parsed = parseSpec(callingInput());
    if (!parsed.ok) throw new Error('calling must parse');
    const copy = structuredClone(parsed.value) as unknown as { track: { bpm: number } };
    copy.track.bpm = 999;
    const result = parseSpec(copy);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.path)).toContain('track.bpm');
    expect(isTrustedSpec(copy)).toBe(false);
  });

  it('GIVEN a frozen object that never passed the schema WHEN parsed THEN it is not taken on trust', () => {
    const frozen = deepFreeze({ ...callingInput(), track: { bpm: 'fast' } });
    const result = parseSpec(frozen);
    expect(result.ok).toBe(false);
  });

  it('GIVEN input holding -0 WHEN parsed THEN the spec holds 0 and the input is left as it was', () => {
    const input = callingInput() as { layers: { synth?: { detuneCents?: number } }[] };
    const synth = input.layers.find((l) => l.synth?.detuneCents !== undefined)?.synth;
    if (!synth) throw new Error('calling has a detune figure');
    synth.detuneCents = -0;
    const result = parseSpec(input);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const out = result.value.layers.find((l) => (l as { synth?: { detuneCents?: number } }).synth?.detuneCents === 0);
    expect(out).toBeDefined();
    expect(Object.is(synth.detuneCents, -0)).toBe(true);
  });
});
