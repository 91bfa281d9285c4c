import { describe, expect, it } from 'vitest';
import { formatPath, formatProblem, parseSpec, parseSpecJson, type SpecProblem } from '../../src/domain/parse.js';
import type { SpecInput } from '../../src/domain/spec.js';
import { layerInput, specInput } from '../fixtures/spec.js';

/** Parses and returns the problems as "path: reason" lines; fails the test when the spec is valid. */
function problems(input: unknown): string[] {
  const result = parseSpec(input);
  if (result.ok) throw new Error('expected the spec to be invalid');
  return result.problems.map(formatProblem);
}

function problemList(input: unknown): SpecProblem[] {
  const result = parseSpec(input);
  if (result.ok) throw new Error('expected the spec to be invalid');
  return result.problems;
}

function withTrack(track: Record<string, unknown>): unknown {
  const base = specInput();
  return { ...base, track: { ...base.track, ...track } };
}

describe('parseSpec: a valid spec', () => {
  it('GIVEN the fixture spec WHEN parsed THEN it is ok and defaults are filled', () => {
    const input = specInput();
    delete (input as Partial<SpecInput>).extras;
    delete (input as Partial<SpecInput>).spectral;
    const result = parseSpec(input);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.extras).toEqual({ chainOfThought: false, referenceAnchor: false });
    expect(result.value.spectral.subReservedBelowHz).toBe(200);
  });

  it('GIVEN a lenient key spelling WHEN parsed THEN the key is stored in its canonical name', () => {
    for (const [written, canonical] of [['f#m', 'F# minor'], ['Gb minor', 'F# minor'], ['8A', 'A minor'], ['Bbmaj', 'Bb major']]) {
      const result = parseSpec(withTrack({ key: written }));
      expect(result.ok && result.value.track.key).toBe(canonical);
    }
  });

  it('GIVEN text with padding, tabs, newlines and control characters WHEN parsed THEN it is trimmed to one clean line', () => {
    const result = parseSpec(withTrack({ style: '  prog\u0007house \n\t big\u007f  room ' }));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.track.style).toBe('prog house big room');
  });

  it('GIVEN a layer texture word with padding WHEN parsed THEN the word is trimmed', () => {
    const result = parseSpec(specInput({ layers: [layerInput({ ltv: { ...layerInput().ltv, texture: ['  rich ', 'glassy'] } })] }));
    expect(result.ok && result.value.layers[0]!.ltv.texture).toEqual(['rich', 'glassy']);
  });
});

describe('parseSpec: problems name the path and a plain reason', () => {
  it('GIVEN a BPM of 500 WHEN parsed THEN the problem is "track.bpm: must be at most 200"', () => {
    expect(problems(withTrack({ bpm: 500 }))).toEqual(['track.bpm: must be at most 200']);
  });

  it('GIVEN a BPM of 20 WHEN parsed THEN the problem is "track.bpm: must be at least 60"', () => {
    expect(problems(withTrack({ bpm: 20 }))).toEqual(['track.bpm: must be at least 60']);
  });

  it('GIVEN a BPM written as text WHEN parsed THEN the problem says it must be a number, not a string', () => {
    const [problem] = problemList(withTrack({ bpm: '128' }));
    expect(problem).toMatchObject({ path: 'track.bpm', code: 'type', message: 'must be a number, not a string' });
  });

  it('GIVEN a fractional BPM WHEN parsed THEN the problem says it must be a whole number and shows the value', () => {
    expect(problems(withTrack({ bpm: 127.5 }))).toEqual(['track.bpm: must be a whole number, not 127.5']);
  });

  it('GIVEN null, NaN or an overflowing number WHEN parsed THEN the reason names what was given', () => {
    expect(problems(withTrack({ bpm: null }))).toEqual(['track.bpm: must be a number, not null']);
    expect(problems(withTrack({ bpm: Number.NaN }))).toEqual(['track.bpm: must be a number, not NaN']);
    // JSON text "1e400" parses to Infinity
    expect(problems(JSON.parse(JSON.stringify(withTrack({ bpm: 0 })).replace('"bpm":0', '"bpm":1e400')))).toEqual([
      'track.bpm: must be a number, not Infinity',
    ]);
  });

  it('GIVEN layers written as an object WHEN parsed THEN the problem says it must be a list', () => {
    expect(problems(specInput({ layers: {} as never }))).toEqual(['layers: must be a list, not an object']);
  });

  it('GIVEN a missing style WHEN parsed THEN the problem is "track.style: is required" with code required', () => {
    const track: Record<string, unknown> = { ...specInput().track };
    delete track.style;
    const [problem] = problemList({ ...specInput(), track });
    expect(problem).toMatchObject({ path: 'track.style', code: 'required' });
    expect(formatProblem(problem!)).toBe('track.style: is required');
  });

  it('GIVEN a style that is only whitespace and control characters WHEN parsed THEN it must not be empty', () => {
    expect(problems(withTrack({ style: '  \u0001\t ' }))).toEqual(['track.style: must not be empty']);
  });

  it('GIVEN a style over the limit WHEN parsed THEN the problem gives the character limit', () => {
    expect(problems(withTrack({ style: 'x'.repeat(121) }))).toEqual(['track.style: must be at most 120 characters']);
  });

  it('GIVEN an unknown brightness word WHEN parsed THEN the problem lists the allowed values', () => {
    const input = specInput({ layers: [layerInput({ ltv: { ...layerInput().ltv, brightness: 'shiny' as never } })] });
    const [problem] = problemList(input);
    expect(problem).toMatchObject({ path: 'layers[0].ltv.brightness', code: 'one_of' });
    expect(problem!.message).toBe('must be one of: dark, warm, neutral, bright, brilliant');
    expect(problem!.params).toEqual({ values: 'dark, warm, neutral, bright, brilliant' });
  });

  it('GIVEN an unknown movement kind WHEN parsed THEN the problem lists the four movement words', () => {
    const input = specInput({ layers: [layerInput({ ltv: { ...layerInput().ltv, movement: { kind: 'wobbly' as never } } })] });
    expect(problems(input)).toEqual(['layers[0].ltv.movement.kind: must be one of: static, breathing, evolving, aggressive']);
  });

  it('GIVEN two layers with the same id WHEN parsed THEN the second is reported as a duplicate of the first', () => {
    const [problem] = problemList(specInput({ layers: [layerInput(), layerInput()] }));
    expect(problem).toMatchObject({ path: 'layers[1].id', code: 'duplicate_layer' });
    expect(problem!.message).toBe('layer id "supersaw_core" is already used by layer 1');
  });

  it('GIVEN a bad layer id WHEN parsed THEN the problem explains the id format', () => {
    const [problem] = problemList(specInput({ layers: [layerInput({ id: 'Bad Id' })] }));
    expect(problem).toMatchObject({ path: 'layers[0].id', code: 'format' });
    expect(problem!.message).toMatch(/lowercase letters, digits and underscores/);
  });

  it('GIVEN no layers or four texture words WHEN parsed THEN the problem gives the list size limit', () => {
    expect(problems(specInput({ layers: [] }))).toEqual(['layers: must have at least 1 item']);
    const four = specInput({ layers: [layerInput({ ltv: { ...layerInput().ltv, texture: ['a', 'b', 'c', 'd'] } })] });
    expect(problems(four)).toEqual(['layers[0].ltv.texture: must have at most 3 items']);
  });

  it('GIVEN a band whose low edge is above its high edge WHEN parsed THEN the high edge is reported', () => {
    expect(problems(specInput({ layers: [layerInput({ band: { lowHz: 500, highHz: 200 } })] }))).toEqual([
      'layers[0].band.highHz: must be above lowHz',
    ]);
  });

  it('GIVEN a key that is not a key WHEN parsed THEN the problem quotes it and suggests spellings', () => {
    const [problem] = problemList(withTrack({ key: 'H minor' }));
    expect(problem).toMatchObject({ path: 'track.key', code: 'key' });
    expect(problem!.message).toMatch(/"H minor" is not a key/);
    expect(problem!.message).toMatch(/A minor/);
  });

  it('GIVEN several mistakes WHEN parsed THEN each is reported once, with its own path', () => {
    const input = specInput({
      track: { bpm: 500, key: 'H', style: '' },
      layers: [layerInput({ id: 'Bad' })],
    });
    const paths = problemList(input).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['track.bpm', 'track.key', 'track.style', 'layers[0].id']));
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe('parseSpec: versions and whole-spec problems', () => {
  it('GIVEN a spec from a future version WHEN parsed THEN it is rejected with clear text asking to update', () => {
    const [problem] = problemList(specInput({ version: 2 as never }));
    expect(problem).toMatchObject({ path: 'version', code: 'newer_version', params: { version: 2, supported: 1 } });
    expect(formatProblem(problem!)).toBe('version: is 2, newer than this saltbot understands (1); update saltbot');
  });

  it('GIVEN a spec without a version WHEN parsed THEN the version is required and the current one is named', () => {
    const input: Record<string, unknown> = { ...specInput() };
    delete input.version;
    expect(problems(input)).toEqual(['version: is required (this saltbot writes version 1)']);
  });

  it('GIVEN version 0 WHEN parsed THEN it must be 1', () => {
    expect(problems(specInput({ version: 0 as never }))).toEqual(['version: must be 1']);
  });

  it.each([
    [null, 'a spec must be a JSON object, not null'],
    [[], 'a spec must be a JSON object, not a list'],
    ['spec', 'a spec must be a JSON object, not a string'],
    [42, 'a spec must be a JSON object, not a number'],
  ])('GIVEN %j instead of an object WHEN parsed THEN the whole spec is reported', (input, message) => {
    expect(problemList(input)).toEqual([{ path: '', code: 'type', message, params: { expected: 'object' } }]);
    expect(problems(input)).toEqual([message]);
  });
});

describe('parseSpecJson', () => {
  it('GIVEN valid JSON text WHEN parsed THEN the spec is ok', () => {
    expect(parseSpecJson(JSON.stringify(specInput())).ok).toBe(true);
  });

  it.each(['{ "version": 1, ', '', 'not json', '{"version": 1,}'])('GIVEN broken JSON %j WHEN parsed THEN it is a problem, not a throw', (text) => {
    let result: ReturnType<typeof parseSpecJson> | undefined;
    expect(() => (result = parseSpecJson(text))).not.toThrow();
    expect(result!.ok).toBe(false);
    if (result!.ok) return;
    expect(result!.problems).toHaveLength(1);
    expect(result!.problems[0]).toMatchObject({ path: '', code: 'json' });
    expect(result!.problems[0]!.message).toMatch(/^is not valid JSON \(.+\)$/);
  });

  it('GIVEN JSON of a future version WHEN parsed THEN the version problem comes through', () => {
    const result = parseSpecJson(JSON.stringify({ ...specInput(), version: 3 }));
    expect(result.ok === false && result.problems[0]!.code).toBe('newer_version');
  });
});

describe('formatPath and formatProblem', () => {
  it('GIVEN a zod path WHEN formatted THEN keys are dotted and indexes bracketed', () => {
    expect(formatPath(['layers', 1, 'ltv', 'brightness'])).toBe('layers[1].ltv.brightness');
    expect(formatPath([])).toBe('');
    expect(formatPath([0, 'id'])).toBe('[0].id');
  });

  it('GIVEN a whole-spec problem WHEN formatted THEN there is no leading colon', () => {
    expect(formatProblem({ path: '', code: 'json', message: 'is not valid JSON (x)', params: {} })).toBe('is not valid JSON (x)');
  });
});

describe('strictness and hidden characters', () => {
  it('GIVEN a typo field WHEN parsed THEN it is reported, not silently dropped', () => {
    const r = parseSpec({ ...specInput(), track: { ...specInput().track, bpn: 120 } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem)).toContain('track: has unknown field: bpn');
  });

  it('GIVEN bidi overrides and zero-width characters in text WHEN parsed THEN they are removed', () => {
    const r = parseSpec(specInput({ track: { bpm: 128, key: 'A minor', style: 'prog\u202Ehouse\u200B deep', references: [] } }));
    expect(r.ok && r.value.track.style).toBe('prog house deep');
  });
});
