/**
 * Golden prompts: for every built-in preset, the full prompt and the compact prompts (200 and
 * 1000 characters) are compared to files under test/golden/. After an intended change to the
 * renderer or a preset, regenerate with `npx vitest run test/domain/golden.test.ts -u` and read
 * the diff.
 */
import { describe, expect, it } from 'vitest';
import { loadBuiltinPresets } from '../../src/domain/presets.js';
import { PROMPT_MAX_CHARS, renderPrompt } from '../../src/domain/render.js';
import { renderCompact } from '../../src/domain/compact.js';

const presets = loadBuiltinPresets();

describe('golden prompts of the built-in presets', () => {
  it('GIVEN the built-in presets WHEN loaded THEN there are some, including the worked example', () => {
    expect(presets.map((p) => p.name)).toContain('calling');
  });

  for (const preset of presets) {
    it(`GIVEN preset ${preset.name} WHEN rendered THEN the full prompt matches its golden file`, async () => {
      const text = renderPrompt(preset.spec);
      expect(text.length).toBeLessThanOrEqual(PROMPT_MAX_CHARS);
      await expect(`${text}\n`).toMatchFileSnapshot(`../golden/${preset.name}.full.txt`);
    });

    it(`GIVEN preset ${preset.name} WHEN compacted to 200 and 1000 THEN both match their golden files`, async () => {
      const short = renderCompact(preset.spec, 200);
      const long = renderCompact(preset.spec, 1000);
      expect(short.length).toBeLessThanOrEqual(200);
      expect(long.length).toBeLessThanOrEqual(1000);
      await expect(`${short}\n`).toMatchFileSnapshot(`../golden/${preset.name}.compact-200.txt`);
      await expect(`${long}\n`).toMatchFileSnapshot(`../golden/${preset.name}.compact-1000.txt`);
    });
  }

  it('GIVEN the calling preset WHEN rendered THEN every figure of the worked example is in the prompt', () => {
    const calling = presets.find((p) => p.name === 'calling')!;
    const text = renderPrompt(calling.spec);
    for (const figure of ['BPM: 126', 'A minor', '200 Hz', '16 kHz', '7 dB', '350 ms', 'bars 1-15', 'bar 17', 'bar 33', '0:30.5']) {
      expect(text).toContain(figure);
    }
    const words = [
      'warm, woody, slightly hollow', 'dark', 'static', 'sparse', 'medium',
      'rich, glassy, chest-filling', 'bright', 'breathing (sidechain)', 'massive', 'sharp',
      'crisp, dry, percussive', 'brilliant', 'percussive',
      'glassy, smooth, slightly ghostly', 'moderate',
      'airy, silky, weightless', 'evolving (quarter-note shimmer)', 'soft',
    ];
    for (const word of words) expect(text).toContain(word);
    for (const id of ['foundation_saw', 'supersaw_core', 'pluck_transient', 'harmony_fifth', 'noise_air']) expect(text).toContain(`${id}:`);
  });
});
