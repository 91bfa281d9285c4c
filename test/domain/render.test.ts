import { describe, expect, it } from 'vitest';
import { buildRange, formatBand, formatHz, PROMPT_MAX_CHARS, pumpCharacter, renderPrompt, synthesisLine } from '../../src/domain/render.js';
import { parseSpec } from '../../src/domain/parse.js';
import { foundationInput, layerInput, makeSpec, specInput } from '../fixtures/spec.js';
import { maximalSpecInput } from '../fixtures/arbitrary.js';

const withRefs = (extras: { chainOfThought: boolean; referenceAnchor: boolean }) =>
  makeSpec({
    track: { bpm: 126, key: 'A minor', style: 'melodic progressive house', references: [{ artist: 'Sebastian Ingrosso & Alesso', title: 'Calling (Lose My Mind)' }] },
    extras,
  });

describe('formatting helpers', () => {
  it('GIVEN frequencies WHEN formatted THEN they read like a producer says them', () => {
    expect(formatHz(200)).toBe('200 Hz');
    expect(formatHz(2500)).toBe('2.5 kHz');
    expect(formatHz(6000)).toBe('6 kHz');
    expect(formatHz(16000)).toBe('16 kHz');
  });

  it('GIVEN bands WHEN formatted THEN the unit is written once when shared', () => {
    expect(formatBand({ lowHz: 80, highHz: 500 })).toBe('80-500 Hz');
    expect(formatBand({ lowHz: 8000, highHz: 16000 })).toBe('8-16 kHz');
    expect(formatBand({ lowHz: 200, highHz: 8000 })).toBe('200 Hz-8 kHz');
  });

  it('GIVEN releases at 128 BPM WHEN judged THEN the pump word follows the 70-80 % window', () => {
    expect(pumpCharacter(150, 128).word).toBe('aggressive');
    expect(pumpCharacter(250, 128).word).toBe('tight');
    expect(pumpCharacter(350, 128).word).toBe('moderate');
    expect(pumpCharacter(390, 128).word).toBe('slow');
    expect(pumpCharacter(450, 128).word).toBe('muddy');
  });

  it('GIVEN the core synth WHEN the synthesis line is built THEN it lists the numbers compactly', () => {
    expect(
      synthesisLine({ waveform: 'saw', voices: 7, detuneCents: 25, filter: { type: 'lp24', cutoffHz: 6000, resonancePct: 5 }, envelope: { attackMs: 1, sustainPct: 100 }, levelDb: -7, octave: -1, sidechained: true }),
    ).toBe('saw x7, 25 cents detune, LP24 6 kHz res 5 %, attack 1 ms, sustain 100 %, level -7 dB, octave -1, sidechained');
    expect(synthesisLine(undefined)).toBeUndefined();
    expect(synthesisLine({})).toBeUndefined();
  });
});

describe('renderPrompt', () => {
  it('GIVEN the fixture spec WHEN rendered THEN every SALT + LTV section appears in order', () => {
    const text = renderPrompt(makeSpec());
    const order = ['TRACK PARAMETERS:', 'SALT FRAMEWORK:', 'Spectral:', 'Attack:', 'Layer:', 'Timing:', 'LAYER TIMBRAL VOCABULARY:', 'ARRANGEMENT INSTRUCTION:'];
    const positions = order.map((h) => text.indexOf(h));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('BPM: 128');
    expect(text).toContain('Key: F minor');
    expect(text).toContain('below 200 Hz stays clean for kick and bass');
    expect(text).toContain('The lead spans 200 Hz-16 kHz');
    expect(text).toContain('foundation_saw 200-500 Hz');
    expect(text).toContain('7 dB of ducking, attack 2 ms, release 350 ms, ratio 4:1');
    expect(text).toContain('Moderate pump');
  });

  it('GIVEN one LTV block per layer WHEN rendered THEN each has the five fields and a synthesis line', () => {
    const text = renderPrompt(makeSpec());
    expect(text).toContain('supersaw_core:\ntexture: rich, glassy\nbrightness: bright\nmovement: breathing (sidechain)\ndensity: massive\nedge: sharp\nsynthesis: saw x7, 25 cents detune, LP24 6 kHz res 5 %');
    expect(text).toContain('foundation_saw:\ntexture: warm, woody\nbrightness: dark\nmovement: static\n');
    expect(text).toContain('octave -1');
  });

  it('GIVEN a drop at bar 17 at 126 BPM WHEN rendered THEN the timestamp 0:30.5 sits next to the bar number', () => {
    const text = renderPrompt(makeSpec({ track: { bpm: 126, key: 'A minor', style: 'x', references: [] } }));
    expect(text).toContain('Drop at bar 17 (0:30.5)');
    expect(text).toContain('Build bars 1-15 (0:00.0-0:28.6)');
    expect(text).toContain('Break at bar 33 (1:01.0)');
  });

  it('GIVEN a minimal spec WHEN rendered THEN absent sections are left out and nothing reads undefined', () => {
    const spec = makeSpec({ attack: undefined, sidechain: undefined, arrangement: undefined, timing: {}, spectral: undefined, layers: [layerInput({ band: undefined, synth: undefined })] });
    const text = renderPrompt(spec);
    expect(text).not.toMatch(/Attack:|Layer:|ARRANGEMENT INSTRUCTION|REASONING FIRST|REFERENCE ANCHOR|References:|Bands:|synthesis:/);
    expect(text).not.toMatch(/undefined|NaN|null/);
    expect(text).toContain('Timing: 128 BPM.');
    expect(text).toContain('Spectral: below 200 Hz stays clean for kick and bass.');
  });

  it('GIVEN some layers not sidechained WHEN rendered THEN the Layer line names which layers duck', () => {
    const spec = makeSpec({
      layers: [foundationInput({ synth: { sidechained: false } }), layerInput(), layerInput({ id: 'harmony_fifth', role: 'harmony' })],
    });
    expect(renderPrompt(spec)).toContain('Every lead layer except foundation_saw is sidechained to the kick');
  });

  it('GIVEN extras off WHEN rendered with options on THEN the preamble and anchor appear (options override extras)', () => {
    const spec = withRefs({ chainOfThought: false, referenceAnchor: false });
    expect(renderPrompt(spec)).not.toMatch(/REASONING FIRST|REFERENCE ANCHOR/);
    const text = renderPrompt(spec, { chainOfThought: true, referenceAnchor: true });
    expect(text).toContain('REASONING FIRST:');
    expect(text).toContain('At 126 BPM the kick lands on every quarter note, 476.19 ms apart');
    expect(text).toContain('the build (bars 1-15)');
    expect(text).toContain('the drop (bar 17)');
    expect(text).toContain('Make sure supersaw_core states every note');
    expect(text).toContain('Match the drop architecture of "Calling (Lose My Mind)" by Sebastian Ingrosso & Alesso: massive 7-voice supersaw density, the same moderate pump (7 dB, 350 ms release)');
    expect(text).toContain('foundation_saw one octave below the lead');
    expect(text).toContain('Original melody');
  });

  it('GIVEN extras on WHEN rendered with options off THEN the preamble and anchor are left out', () => {
    const spec = withRefs({ chainOfThought: true, referenceAnchor: true });
    expect(renderPrompt(spec)).toMatch(/REASONING FIRST[\s\S]*REFERENCE ANCHOR[\s\S]*SALT FRAMEWORK/);
    expect(renderPrompt(spec, { chainOfThought: false, referenceAnchor: false })).not.toMatch(/REASONING FIRST|REFERENCE ANCHOR/);
  });

  it('GIVEN the anchor requested but no references WHEN rendered THEN no anchor is printed', () => {
    expect(renderPrompt(makeSpec(), { referenceAnchor: true })).not.toContain('REFERENCE ANCHOR');
  });

  it('GIVEN the same spec twice WHEN rendered THEN the text is identical', () => {
    const a = renderPrompt(withRefs({ chainOfThought: true, referenceAnchor: true }));
    const b = renderPrompt(withRefs({ chainOfThought: true, referenceAnchor: true }));
    expect(a).toBe(b);
  });

  it('GIVEN the maximal spec (8 layers, every text at its limit, every synth field) WHEN rendered THEN it fits 4000 characters', () => {
    const parsed = parseSpec(maximalSpecInput());
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const text = renderPrompt(parsed.value);
    expect(text.length).toBeLessThanOrEqual(PROMPT_MAX_CHARS);
    expect(text).toContain('TRACK PARAMETERS:');
    expect(text).toContain('LAYER TIMBRAL VOCABULARY');
    expect(text).toMatch(/\[Shortened to fit 4000 characters; left out: /);
    expect(text).not.toMatch(/undefined|NaN/);
  });

  it('GIVEN a long but ordinary spec WHEN the full layout is too long THEN the condensed layout keeps every fact', () => {
    const layers = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((c) => layerInput({ id: `${c}_layer_long_name`, synth: { ...layerInput().synth, notes: 'n'.repeat(40) } }));
    const spec = makeSpec({ layers, arrangement: { intent: 'x '.repeat(150).trim() } });
    const text = renderPrompt(spec, { chainOfThought: true });
    expect(text.length).toBeLessThanOrEqual(PROMPT_MAX_CHARS);
    expect(text).toContain('LAYER TIMBRAL VOCABULARY (texture / brightness / movement / density / edge):');
    expect(text).toContain('h_layer_long_name (core): rich, glassy / bright / breathing (sidechain) / massive / sharp');
    expect(text).not.toContain('Shortened');
  });
});

describe('fixture sanity', () => {
  it('GIVEN specInput WHEN parsed THEN it is valid', () => {
    expect(parseSpec(specInput()).ok).toBe(true);
  });
});

describe('buildRange', () => {
  it('GIVEN build 1, apex 14, drop 17 WHEN ranged THEN bars 1-15 (two bars before the drop)', () => {
    expect(buildRange(makeSpec({ timing: { buildStartBar: 1, sweepApexBar: 14, dropBar: 17 } }))).toEqual({ startBar: 1, endBar: 15 });
  });
  it('GIVEN a sweep apex in bar 16 before a drop at 17 WHEN ranged THEN the build runs to 16', () => {
    expect(buildRange(makeSpec({ timing: { buildStartBar: 1, sweepApexBar: 16, dropBar: 17 } }))).toEqual({ startBar: 1, endBar: 16 });
  });
  it('GIVEN no drop WHEN ranged THEN only the start is known', () => {
    expect(buildRange(makeSpec({ timing: { buildStartBar: 5 } }))).toEqual({ startBar: 5 });
  });
});
