/**
 * Target profiles: golden outputs for every preset × profile (test/golden/targets/), and
 * properties over generated drafts: every field within its budget, Suno's style front-loads BPM
 * and key, section tags follow the timing markers.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTarget } from '../../src/cli/commands/render.js';
import { loadBuiltinPresets } from '../../src/domain/presets.js';
import { SpecSchema, type Spec } from '../../src/domain/spec.js';
import { TARGETS, markerTags, renderTarget, sunoStyle, wordCount, type Target } from '../../src/domain/targets/index.js';
import { specInputArb } from '../fixtures/arbitrary.js';

const presets = loadBuiltinPresets();
const specArb: fc.Arbitrary<Spec> = specInputArb.map((input) => SpecSchema.parse(input));
const TAG_LINE = /^\[(Intro|Build-Up|Drop|Break|Drop 2|Outro)\]$/gm;

function tags(text: string): string[] {
  return [...text.matchAll(TAG_LINE)].map((m) => m[1]!);
}

describe('golden target profiles of the built-in presets', () => {
  for (const preset of presets) {
    for (const target of TARGETS.filter((t) => t !== 'full' && t !== 'compact')) {
      it(`GIVEN preset ${preset.name} WHEN rendered for ${target} THEN it matches its golden file`, async () => {
        await expect(formatTarget(renderTarget(preset.spec, target))).toMatchFileSnapshot(`../golden/targets/${preset.name}.${target}.txt`);
      });
    }
    it(`GIVEN preset ${preset.name} WHEN rendered for suno with --budget 200 THEN the v4 style matches its golden file`, async () => {
      await expect(formatTarget(renderTarget(preset.spec, 'suno', { budget: 200 }))).toMatchFileSnapshot(`../golden/targets/${preset.name}.suno-200.txt`);
    });
  }
});

describe('target profiles', () => {
  const calling = presets.find((p) => p.name === 'calling')!.spec;

  it('GIVEN the calling preset WHEN rendered for suno THEN style, structure and the vocal exclusion are the three fields', () => {
    const out = renderTarget(calling, 'suno');
    expect(out.fields.map((f) => [f.name, f.label, f.budget])).toEqual([
      ['style', 'Style of Music', 1000],
      ['structure', 'Lyrics', 3000],
      ['exclude', 'Exclude Styles', 200],
    ]);
    expect(out.fields[0]!.text.slice(0, 200)).toMatch(/^Melodic progressive house, 126 BPM, A minor, .*euphoric.*7-voice supersaw/);
    expect(out.fields[0]!.text).not.toMatch(/Alesso|Axwell|Ingrosso/);
    expect(tags(out.fields[1]!.text)).toEqual(['Build-Up', 'Drop', 'Break', 'Outro']);
    expect(out.fields[1]!.text).toContain('[bars 1-15: filter sweeps from closed to fully open');
    expect(out.fields[2]!.text).toContain('vocals');
  });

  it('GIVEN a draft that mentions a vocal WHEN rendered for suno THEN nothing excludes vocals and the structure is not marked instrumental', () => {
    const vocal = { ...calling, track: { ...calling.track, style: 'Progressive house with a female vocal topline' } };
    const out = renderTarget(vocal, 'suno');
    expect(out.fields.map((f) => f.name)).toEqual(['style', 'structure']);
    expect(out.fields[1]!.text).not.toContain('[Instrumental]');
  });

  it('GIVEN the full and compact targets WHEN rendered THEN they are the unchanged full and compact prompts', () => {
    expect(renderTarget(calling, 'llm').fields[0]!.text).toMatch(/REASONING FIRST:/);
    expect(renderTarget(calling, 'full').fields[0]!.text).not.toMatch(/REASONING FIRST:/);
    expect(renderTarget(calling, 'compact', { budget: 200 }).fields[0]!.text.length).toBeLessThanOrEqual(200);
  });

  it('GIVEN a budget for a profile without a choice, or out of range WHEN rendered THEN it is refused', () => {
    expect(() => renderTarget(calling, 'udio', { budget: 200 })).toThrow(/no budget choice/);
    expect(() => renderTarget(calling, 'suno', { budget: 1001 })).toThrow(/17 to 1000/);
  });
});

describe('target profile properties', () => {
  it('GIVEN any valid draft WHEN rendered for every profile THEN every field is within its budget, never empty, and udio describes in 5-15 words', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom<Target>(...TARGETS), (spec, target) => {
        for (const f of renderTarget(spec, target).fields) {
          expect(f.text.length).toBeGreaterThan(0);
          if (f.budget !== undefined) expect(f.text.length).toBeLessThanOrEqual(f.budget);
          if (f.maxWords !== undefined) {
            expect(wordCount(f.text)).toBeLessThanOrEqual(f.maxWords);
            expect(wordCount(f.text)).toBeGreaterThanOrEqual(5);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it("GIVEN any valid draft and a style budget from 17 to 1000 WHEN Suno's style is rendered THEN BPM and key are within its first 200 characters and the budget holds", () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 17, max: 1000 }), (spec, budget) => {
        const style = sunoStyle(spec, budget);
        expect(style.length).toBeLessThanOrEqual(budget);
        const head = style.slice(0, 200);
        expect(head).toContain(`${spec.track.bpm} BPM`);
        expect(head).toContain(spec.track.key);
      }),
      { numRuns: 200 },
    );
  });

  it('GIVEN any valid draft with timing markers WHEN the structure is rendered THEN its section tags follow the markers in bar order', () => {
    fc.assert(
      fc.property(specArb, (spec) => {
        const markers = markerTags(spec).map((m) => m.tag);
        fc.pre(markers.length > 0);
        const shown = tags(renderTarget(spec, 'suno').fields.find((f) => f.name === 'structure')!.text);
        expect(shown.filter((t) => t !== 'Intro' && t !== 'Outro')).toEqual(markers);
        expect(shown.at(-1)).toBe('Outro');
        const udio = tags(renderTarget(spec, 'udio').fields.find((f) => f.name === 'structure')!.text);
        expect(udio).toEqual(shown);
      }),
      { numRuns: 150 },
    );
  });
});
