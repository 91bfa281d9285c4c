/** Patch sheets: Serum and Sylenth1 terms, every number of a layer carried, inferred values marked. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INFERRED_MARK, SYNTHS, patchSheet, renderPatchSheet, sylenthDetune } from '../../src/domain/patch.js';
import { loadBuiltinPresets } from '../../src/domain/presets.js';
import { formatBand, formatHz, formatNumber, formatSigned } from '../../src/domain/render.js';
import { SpecSchema, type Layer, type Spec } from '../../src/domain/spec.js';
import { formatMs } from '../../src/domain/timing.js';
import { specInputArb } from '../fixtures/arbitrary.js';

const presets = loadBuiltinPresets();
const calling = presets.find((p) => p.name === 'calling')!.spec;
const specArb: fc.Arbitrary<Spec> = specInputArb.map((input) => SpecSchema.parse(input));

/** The text of a layer's block in a rendered sheet. */
function block(text: string, id: string): string {
  const start = text.indexOf(`\n${id} (`);
  const end = text.indexOf('\n\n', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

/** Every number a layer states, as the sheet prints it. */
function numbersOf(layer: Layer): string[] {
  const s = layer.synth ?? {};
  const out: string[] = [];
  if (layer.band) out.push(formatBand(layer.band));
  if (s.voices !== undefined) out.push(String(s.voices));
  if (s.detuneCents !== undefined) out.push(`${formatNumber(s.detuneCents, 1)} cents`);
  if (s.octave !== undefined) out.push(formatSigned(s.octave));
  if (s.intervalSemitones !== undefined) out.push(formatSigned(s.intervalSemitones));
  if (s.filter) out.push(`cutoff ${formatHz(s.filter.cutoffHz)}`);
  if (s.filter?.resonancePct !== undefined) out.push(`${formatNumber(s.filter.resonancePct, 1)} %`);
  for (const v of [s.envelope?.attackMs, s.envelope?.decayMs, s.envelope?.releaseMs]) if (v !== undefined) out.push(`${formatMs(v)} ms`);
  if (s.envelope?.sustainPct !== undefined) out.push(`${formatNumber(s.envelope.sustainPct, 1)} %`);
  if (s.levelDb !== undefined) out.push(`${formatSigned(s.levelDb, 1)} dB`);
  if (s.stereoWidthPct !== undefined) out.push(`${formatNumber(s.stereoWidthPct, 1)} %`);
  return out;
}

describe('patch sheets', () => {
  it('GIVEN the calling preset WHEN the Serum sheet is rendered THEN it speaks Serum: Basic Shapes saw, unison, MG Low 24, ENV 1, noise and a 1/4 LFO for the air layer', () => {
    const text = renderPatchSheet(patchSheet(calling, 'serum'));
    const core = block(text, 'supersaw_core');
    expect(core).toContain('OSC A: Basic Shapes (saw) · unison 7 voices · detune 25 cents total spread');
    expect(core).toContain('FILTER: MG Low 24 · cutoff 6.5 kHz · res 5 %');
    expect(core).toContain('ENV 1: A 1 ms · S 100 % (0 dB) · R 250 ms');
    const air = block(text, 'noise_air');
    expect(air).toContain('NOISE: on · white noise');
    expect(air).toContain('LFO 1: → filter cutoff · BPM sync 1/4');
    expect(text).toContain('COMPRESSOR: attack 2 ms · release 350 ms · ratio 4:1 · threshold for 7 dB of ducking per kick');
  });

  it('GIVEN the calling preset WHEN the Sylenth1 sheet is rendered THEN detune, resonance and sustain are on its 0-10 scales with the source numbers beside them', () => {
    const text = renderPatchSheet(patchSheet(calling, 'sylenth1'));
    expect(block(text, 'supersaw_core')).toContain('OSC A1: wave Saw · voices 7 · detune 2.5 (25 cents) · stereo 8.0 (80 %)');
    expect(block(text, 'foundation_saw')).toContain('FILTER A: Lowpass 24 dB · cutoff 2.5 kHz · resonance 2.0 (20 %)');
    expect(block(text, 'foundation_saw')).toContain('AMP ENV A: attack 8 ms · sustain 10.0 (100 %) · release 300 ms');
    expect(text).toMatch(/cents \/ 10/);
    expect(sylenthDetune(25)).toBe(2.5);
    expect(sylenthDetune(300)).toBe(10);
  });

  it('GIVEN a layer without synth numbers WHEN its sheet is rendered THEN the values come from its LTV words and each is marked inferred', () => {
    const bare: Spec = { ...calling, layers: [{ ...calling.layers[1]!, synth: undefined }] };
    const core = block(renderPatchSheet(patchSheet(bare, 'serum')), 'supersaw_core');
    // massive → 7 voices, bright → 7 kHz, sharp → 1 ms attack, all marked.
    expect(core).toContain(`${INFERRED_MARK}unison 7 voices`);
    expect(core).toContain(`${INFERRED_MARK}cutoff 7 kHz`);
    expect(core).toContain(`${INFERRED_MARK}A 1 ms`);
    expect(core).toContain(`${INFERRED_MARK}0 dB relative to the core`);
  });

  it('GIVEN any valid draft WHEN sheets are rendered for both synths THEN every number of every layer is in its block, and stated values are never marked inferred', () => {
    fc.assert(
      fc.property(specArb, fc.constantFrom(...SYNTHS), (spec, synth) => {
        const sheet = patchSheet(spec, synth);
        const text = renderPatchSheet(sheet);
        for (const layer of spec.layers) {
          const b = block(text, layer.id);
          for (const n of numbersOf(layer)) expect(b).toContain(n);
        }
        for (const [i, layer] of sheet.layers.entries()) {
          const synthSpec = spec.layers[i]!.synth;
          const cutoff = layer.lines.flatMap((l) => l.items).find((x) => x.text.startsWith('cutoff '));
          expect(cutoff?.inferred).toBe(synthSpec?.filter === undefined);
        }
      }),
      { numRuns: 150 },
    );
  });
});
