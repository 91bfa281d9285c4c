import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePreset } from '../../src/domain/preset.js';
import {
  PRESET_ORDER,
  builtinPresetNames,
  getBuiltinPreset,
  loadBuiltinPresets,
  presetsDir,
} from '../../src/domain/presets.js';
import type { Layer, Spec } from '../../src/domain/spec.js';

const files = readdirSync(presetsDir()).filter((f) => f.endsWith('.json')).sort();

function rawFile(file: string): unknown {
  return JSON.parse(readFileSync(join(presetsDir(), file), 'utf8'));
}

function layer(spec: Spec, id: string): Layer {
  const found = spec.layers.find((l) => l.id === id);
  if (!found) throw new Error(`no layer ${id}`);
  return found;
}

describe('built-in preset files', () => {
  it('GIVEN the presets folder WHEN listed THEN it holds the required presets and at least three more', () => {
    const names = files.map((f) => basename(f, '.json'));
    for (const required of PRESET_ORDER) expect(names).toContain(required);
    expect(names.length).toBeGreaterThanOrEqual(PRESET_ORDER.length + 3);
  });

  it.each(files)('GIVEN %s WHEN parsed as a preset file THEN it is valid and its name equals the file name', (file) => {
    const result = parsePreset(rawFile(file));
    if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
    expect(result.value.name).toBe(basename(file, '.json'));
    expect(result.value.format).toBe('saltbot.preset');
    expect(result.value.spec.version).toBe(1);
  });

  it.each(files)('GIVEN %s WHEN its description is read THEN it is one line', (file) => {
    const { description } = rawFile(file) as { description: string };
    expect(description).not.toMatch(/[\r\n]/);
    expect(description.trim()).toBe(description);
    expect(description.length).toBeGreaterThan(0);
  });
});

describe('loadBuiltinPresets', () => {
  it('GIVEN the built-in folder WHEN loaded THEN names are unique and sorted: calling, the approaches in order, then the rest alphabetically', () => {
    const names = loadBuiltinPresets().map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.slice(0, PRESET_ORDER.length)).toEqual([...PRESET_ORDER]);
    const rest = names.slice(PRESET_ORDER.length);
    expect(rest).toEqual([...rest].sort());
    expect(builtinPresetNames()).toEqual(names);
  });

  it('GIVEN a loaded preset WHEN the caller tries to edit it THEN the edit is refused and the next load is unaffected', () => {
    const first = loadBuiltinPresets()[0]!;
    expect(() => {
      first.spec.track.bpm = 60;
    }).toThrow(TypeError);
    expect(loadBuiltinPresets()[0]!.spec.track.bpm).toBe(126);
  });

  it('GIVEN a name WHEN looked up THEN the preset is found (case-insensitively) and an unknown name gives undefined', () => {
    expect(getBuiltinPreset('calling')?.title).toBeTruthy();
    expect(getBuiltinPreset(' Calling ')?.name).toBe('calling');
    expect(getBuiltinPreset('no-such-preset')).toBeUndefined();
  });

  it('GIVEN the approach presets WHEN loaded THEN their extras flags match the approach', () => {
    expect(getBuiltinPreset('layer-stack')!.spec.extras).toEqual({ chainOfThought: false, referenceAnchor: false });
    expect(getBuiltinPreset('chain-of-thought')!.spec.extras.chainOfThought).toBe(true);
    expect(getBuiltinPreset('reference-anchored')!.spec.extras.referenceAnchor).toBe(true);
    // approach 3 is the layer stack plus the reasoning preamble, nothing else
    const stack = getBuiltinPreset('layer-stack')!.spec;
    const cot = getBuiltinPreset('chain-of-thought')!.spec;
    expect({ ...cot, extras: stack.extras }).toEqual(stack);
  });

  it('GIVEN the layer-stack preset WHEN read THEN it holds approach 2 numbers', () => {
    const spec = getBuiltinPreset('layer-stack')!.spec;
    expect(spec.track).toMatchObject({ bpm: 128, key: 'F minor' });
    expect(spec.sidechain).toMatchObject({ duckDb: 7, releaseMs: 150 });
    expect(spec.timing).toMatchObject({ buildStartBar: 1, dropBar: 17, breakBar: 33 });
    expect(layer(spec, 'foundation_saw').synth).toMatchObject({ waveform: 'saw', octave: -1, filter: { cutoffHz: 2500 } });
    expect(layer(spec, 'supersaw_core').synth).toMatchObject({ voices: 7, detuneCents: 25, filter: { cutoffHz: 6000 }, envelope: { sustainPct: 100 } });
    expect(layer(spec, 'pluck_transient').synth).toMatchObject({ waveform: 'triangle', envelope: { decayMs: 80 } });
    expect(layer(spec, 'harmony_fifth').synth).toMatchObject({ intervalSemitones: 7, levelDb: -12 });
    expect(layer(spec, 'noise_air').synth?.filter?.cutoffHz).toBeGreaterThanOrEqual(8000);
  });

  it('GIVEN the reference-anchored preset WHEN read THEN it is F# minor at 126 BPM anchored to Calling', () => {
    const spec = getBuiltinPreset('reference-anchored')!.spec;
    expect(spec.track).toMatchObject({ bpm: 126, key: 'F# minor' });
    expect(spec.track.references).toContainEqual({ artist: 'Sebastian Ingrosso & Alesso', title: 'Calling (Lose My Mind)' });
    expect(layer(spec, 'supersaw_core').synth?.voices).toBeGreaterThanOrEqual(7);
  });

  it('GIVEN the naive preset WHEN read THEN it is honestly minimal: one layer, no sidechain, no timing', () => {
    const spec = getBuiltinPreset('naive')!.spec;
    expect(spec.layers).toHaveLength(1);
    expect(spec.sidechain).toBeUndefined();
    expect(spec.attack).toBeUndefined();
    expect(spec.timing).toEqual({});
    expect(spec.layers[0]!.synth).toBeUndefined();
  });
});

describe('the calling preset (the full worked example)', () => {
  const spec = getBuiltinPreset('calling')!.spec;

  it('GIVEN calling WHEN read THEN track, spectral, sidechain and timing hold every figure of the worked example', () => {
    expect(spec.track.bpm).toBe(126);
    expect(spec.track.key).toBe('A minor');
    for (const word of ['Melodic progressive house', 'Sebastian Ingrosso & Alesso', 'Axwell', '2012', '2013', 'cold', 'euphoric', 'emotionally driven']) {
      expect(spec.track.style).toContain(word);
    }
    expect(spec.track.references[0]).toEqual({ artist: 'Sebastian Ingrosso & Alesso', title: 'Calling (Lose My Mind)' });
    expect(spec.spectral.subReservedBelowHz).toBe(200);
    expect(spec.spectral.leadRange).toEqual({ lowHz: 200, highHz: 16000 });
    expect(spec.attack?.description).toMatch(/bright/);
    expect(spec.attack?.description).toMatch(/pluck/);
    expect(spec.attack?.description).toMatch(/warm, sustained supersaw/);
    expect(spec.attack?.description).toMatch(/singable/);
    expect(spec.sidechain).toMatchObject({ duckDb: 7, releaseMs: 350 });
    expect(spec.sidechain?.notes).toMatch(/melodic continuity/);
    expect(spec.layers.every((l) => l.synth?.sidechained === true)).toBe(true);
    expect(spec.timing).toMatchObject({ buildStartBar: 1, sweepApexBar: 15, dropBar: 17, breakBar: 33 });
    // build bars 1-15: starts at bar 1, the sweep is fully open at bar 15
    expect(spec.timing.buildNote).toMatch(/closed to fully open/);
    expect(spec.timing.buildNote).toMatch(/rising melodic motif/);
    expect(spec.timing.dropNote).toMatch(/full layer density, no filter, melody centred/);
    expect(spec.timing.breakNote).toMatch(/piano or arp/);
    expect(spec.timing.breakNote).toMatch(/kick only/);
    for (const word of ['euphoric', 'spacious', 'longing', 'singable', 'dominant', 'moderate pump', '7 dB', '350 ms']) {
      expect(spec.arrangement?.intent).toContain(word);
    }
    expect(spec.extras).toEqual({ chainOfThought: false, referenceAnchor: false });
  });

  it('GIVEN calling WHEN its LTV blocks are read THEN all 25 words match the worked example in order', () => {
    const blocks = spec.layers.map((l) => [l.id, l.ltv.texture.join(', '), l.ltv.brightness, l.ltv.movement.qualifier ? `${l.ltv.movement.kind} (${l.ltv.movement.qualifier})` : l.ltv.movement.kind, l.ltv.density, l.ltv.edge]);
    expect(blocks).toEqual([
      ['foundation_saw', 'warm, woody, slightly hollow', 'dark', 'static', 'sparse', 'medium'],
      ['supersaw_core', 'rich, glassy, chest-filling', 'bright', 'breathing (sidechain)', 'massive', 'sharp'],
      ['pluck_transient', 'crisp, dry, percussive', 'brilliant', 'static', 'sparse', 'percussive'],
      ['harmony_fifth', 'glassy, smooth, slightly ghostly', 'bright', 'breathing (sidechain)', 'moderate', 'sharp'],
      ['noise_air', 'airy, silky, weightless', 'brilliant', 'evolving (quarter-note shimmer)', 'sparse', 'soft'],
    ]);
  });

  it('GIVEN calling WHEN its synthesis numbers are read THEN they follow the anatomy where the words allow', () => {
    const foundation = layer(spec, 'foundation_saw');
    expect(foundation.band).toEqual({ lowHz: 200, highHz: 500 });
    expect(foundation.synth).toMatchObject({ waveform: 'saw', voices: 1, octave: -1, filter: { type: 'lp24', cutoffHz: 2500 } });
    // edge "medium" wins over the anatomy's 2 ms: 5-20 ms
    expect(foundation.synth?.envelope?.attackMs).toBeGreaterThanOrEqual(5);
    expect(foundation.synth?.envelope?.attackMs).toBeLessThan(20);
    const core = layer(spec, 'supersaw_core');
    expect(core.synth?.voices).toBeGreaterThanOrEqual(7);
    expect(core.synth?.detuneCents).toBeGreaterThanOrEqual(15);
    expect(core.synth?.detuneCents).toBeLessThanOrEqual(35);
    const harmony = layer(spec, 'harmony_fifth');
    expect(harmony.synth?.intervalSemitones).toBe(7);
    expect(harmony.synth?.levelDb).toBeLessThanOrEqual(-10);
    expect(harmony.synth?.levelDb).toBeGreaterThanOrEqual(-15);
    expect(layer(spec, 'noise_air').band?.lowHz).toBeGreaterThanOrEqual(8000);
    expect(layer(spec, 'pluck_transient').synth?.envelope?.decayMs).toBeGreaterThanOrEqual(80);
  });
});

describe('loader errors', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(files: Record<string, string>): string {
    const dir = mkdtempSync(join(tmpdir(), 'saltbot-presets-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  const calling = readFileSync(join(presetsDir(), 'calling.json'), 'utf8');

  it('GIVEN a valid preset in another folder WHEN loaded from it THEN it loads', () => {
    const dir = tempDir({ 'calling.json': calling });
    expect(loadBuiltinPresets(dir).map((p) => p.name)).toEqual(['calling']);
  });

  it('GIVEN a preset with a bad BPM and a bad brightness WHEN loaded THEN the error names the file and each problem path', () => {
    const broken = JSON.parse(calling) as { name: string; spec: { track: { bpm: number }; layers: Array<{ ltv: { brightness: string } }> } };
    broken.name = 'broken';
    broken.spec.track.bpm = 500;
    broken.spec.layers[1]!.ltv.brightness = 'shiny';
    const dir = tempDir({ 'broken.json': JSON.stringify(broken), 'calling.json': calling });
    expect(() => loadBuiltinPresets(dir)).toThrow(/broken\.json: spec\.track\.bpm: must be at most 200/);
    expect(() => loadBuiltinPresets(dir)).toThrow(/broken\.json: spec\.layers\[1\]\.ltv\.brightness: must be one of/);
  });

  it('GIVEN a file that is not JSON WHEN loaded THEN the error names the file', () => {
    const dir = tempDir({ 'oops.json': '{ "format": ' });
    expect(() => loadBuiltinPresets(dir)).toThrow(/oops\.json: is not valid JSON/);
  });

  it('GIVEN a preset whose name differs from its file name WHEN loaded THEN the error names the file and the name field', () => {
    const dir = tempDir({ 'other.json': calling });
    expect(() => loadBuiltinPresets(dir)).toThrow(/other\.json: name: is "calling" but must equal the file name "other"/);
  });
});
