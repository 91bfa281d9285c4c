import { describe, expect, it } from 'vitest';
import { COMPACT_MIN_BUDGET, COMPACT_SEPARATOR, compactFacts, renderCompact } from '../../src/domain/compact.js';
import { makeSpec } from '../fixtures/spec.js';

const spec = makeSpec({ track: { bpm: 126, key: 'A minor', style: 'melodic progressive house', references: [] } });
const tokens = (s: string): string[] => s.split(/[\s,;]+/).filter(Boolean);

describe('renderCompact', () => {
  it('GIVEN a budget of 200 WHEN rendered THEN it fits and starts with style, BPM, key and the lead architecture', () => {
    const text = renderCompact(spec, 200);
    expect(text.length).toBeLessThanOrEqual(200);
    expect(text.startsWith('melodic progressive house; 126 BPM; A minor; 7-voice supersaw core, 25 cents, LP 6 kHz; 7 dB moderate pump, 350 ms release')).toBe(true);
  });

  it('GIVEN a budget of 1000 WHEN rendered THEN every fact of this small spec fits, in list order', () => {
    const text = renderCompact(spec, 1000);
    expect(text.length).toBeLessThanOrEqual(1000);
    expect(text).toBe(compactFacts(spec).join(COMPACT_SEPARATOR));
    expect(text).toContain('supersaw core: rich, glassy, bright, breathing (sidechain), massive, sharp edge');
    expect(text).toContain('drop at bar 17');
    expect(text).toContain('build bars 1-15');
  });

  it('GIVEN any budget WHEN rendered THEN the output is whole facts of the full list, in order, and no word is cut', () => {
    const all = compactFacts(spec);
    const allTokens = new Set(tokens(all.join(COMPACT_SEPARATOR)));
    for (let budget = 0; budget <= 700; budget += 7) {
      const text = renderCompact(spec, budget);
      expect(text.length).toBeLessThanOrEqual(budget);
      for (const t of tokens(text)) expect(allTokens.has(t)).toBe(true);
      const facts = text === '' ? [] : text.split(COMPACT_SEPARATOR);
      const positions = facts.map((f) => all.indexOf(f));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    }
  });

  it('GIVEN a tight budget WHEN rendered THEN BPM and key are kept first', () => {
    expect(renderCompact(spec, COMPACT_MIN_BUDGET)).toBe('126 BPM; A minor');
    expect(renderCompact(makeSpec({ track: { bpm: 200, key: 'C# minor', style: 'x', references: [] } }), COMPACT_MIN_BUDGET)).toBe('200 BPM; C# minor');
  });

  it('GIVEN a budget too small for any fact WHEN rendered THEN the result is empty', () => {
    expect(renderCompact(spec, 0)).toBe('');
    expect(renderCompact(spec, 5)).toBe('');
  });
});
