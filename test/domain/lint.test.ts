import { describe, expect, it } from 'vitest';
import {
  LINT_MESSAGES_EN,
  LINT_RULES,
  bandIoU,
  brightnessVerdict,
  formatLintMessage,
  lintSpec,
  lintsClean,
  muddyReleaseMs,
  type LintFinding,
} from '../../src/domain/lint.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import { foundationInput, layerInput, makeSpec, specInput } from '../fixtures/spec.js';
import type { Spec, SpecInput } from '../../src/domain/spec.js';

type LayerInput = SpecInput['layers'][number];
type SynthInput = NonNullable<LayerInput['synth']>;

function findings(spec: Spec, rule: string): LintFinding[] {
  return lintSpec(spec).filter((f) => f.rule === rule);
}

/** The fixture spec with one sidechain field changed. */
function withSidechain(patch: Partial<NonNullable<SpecInput['sidechain']>>, bpm = 128): Spec {
  const base = specInput().sidechain!;
  return makeSpec({ track: { ...specInput().track, bpm }, sidechain: { ...base, ...patch } });
}

/** A core layer (fixture) with synth fields patched. */
function core(synth: Partial<SynthInput> = {}, rest: Partial<LayerInput> = {}): LayerInput {
  const base = layerInput();
  return { ...base, ...rest, synth: { ...base.synth, ...synth } };
}

function foundation(synth: Partial<SynthInput> = {}, rest: Partial<LayerInput> = {}): LayerInput {
  const base = foundationInput();
  return { ...base, ...rest, synth: { ...base.synth, ...synth } };
}

function harmony(synth: Partial<SynthInput> = {}): LayerInput {
  const base = layerInput();
  return {
    ...base,
    id: 'harmony_fifth',
    role: 'harmony',
    band: { lowHz: 300, highHz: 6000 },
    ltv: { ...base.ltv, density: 'moderate' },
    synth: { ...base.synth, voices: 3, intervalSemitones: 7, levelDb: -12, ...synth },
  };
}

function pluck(synth: Partial<SynthInput> = {}): LayerInput {
  return {
    id: 'pluck_transient',
    role: 'transient',
    band: { lowHz: 1000, highHz: 5000 },
    ltv: { texture: ['crisp', 'dry'], brightness: 'brilliant', movement: { kind: 'static' }, density: 'sparse', edge: 'percussive' },
    synth: { waveform: 'triangle', voices: 1, octave: 1, envelope: { attackMs: 0, decayMs: 80, sustainPct: 0, releaseMs: 80 }, levelDb: -6, sidechained: true, ...synth },
  };
}

function air(rest: Partial<LayerInput> = {}, synth: Partial<SynthInput> = {}): LayerInput {
  return {
    id: 'noise_air',
    role: 'air',
    band: { lowHz: 8000, highHz: 18000 },
    ltv: { texture: ['airy', 'silky'], brightness: 'brilliant', movement: { kind: 'evolving', qualifier: 'quarter-note shimmer' }, density: 'sparse', edge: 'soft' },
    synth: { waveform: 'noise', voices: 1, filter: { type: 'bp', cutoffHz: 12000 }, envelope: { attackMs: 30, sustainPct: 100 }, levelDb: -18, sidechained: true, ...synth },
    ...rest,
  };
}

function stack(...layers: LayerInput[]): Spec {
  return makeSpec({ layers });
}

describe('lint rules catalogue', () => {
  it('GIVEN the rule list THEN every id is unique kebab-case and every messageKey is lint.<id> with an English template', () => {
    const ids = LINT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of LINT_RULES) {
      expect(rule.id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
      expect(['error', 'warning', 'info']).toContain(rule.severity);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(LINT_MESSAGES_EN[`lint.${rule.id}`]).toBe(rule.template);
    }
    expect(Object.keys(LINT_MESSAGES_EN).sort()).toEqual(ids.map((id) => `lint.${id}`).sort());
  });

  it('GIVEN the fixture spec WHEN linted THEN it has no findings at all', () => {
    expect(lintSpec(makeSpec())).toEqual([]);
  });

  it('GIVEN a five-layer stack with typical values WHEN linted THEN it has no findings', () => {
    const spec = stack(foundationInput(), layerInput(), pluck(), harmony(), air());
    expect(lintSpec(spec)).toEqual([]);
  });

  it('GIVEN a spec with many problems WHEN linted THEN each message is its template filled with its params, and nothing is left unfilled', () => {
    const spec = makeSpec({
      track: { bpm: 128, key: 'F minor', style: 'progressive house', references: [] },
      spectral: { subReservedBelowHz: 200, leadRange: { lowHz: 100, highHz: 16000 } },
      sidechain: { duckDb: 12, attackMs: 10, releaseMs: 500, ratio: 20 },
      timing: { buildStartBar: 20, sweepApexBar: 14, dropBar: 17, breakBar: 17, secondDropBar: 49 },
      layers: [
        foundation({ octave: 0, levelDb: 0, filter: { type: 'hp24', cutoffHz: 2000 } }, { band: { lowHz: 80, highHz: 500 } }),
        core({ voices: 3, detuneCents: 60, filter: { type: 'lp24', cutoffHz: 2000, resonancePct: 30 }, envelope: { attackMs: 40 } }),
        pluck({ envelope: { sustainPct: 50 } }),
        harmony({ levelDb: -3, voices: 7, sidechained: false }),
        air({ band: { lowHz: 2000, highHz: 16000 } }, { filter: { type: 'lp24', cutoffHz: 5000 } }),
        core({}, { id: 'core_twin' }),
      ],
      extras: { chainOfThought: false, referenceAnchor: true },
    });
    const all = lintSpec(spec);
    const rules = new Set(all.map((f) => f.rule));
    // every rule except the mutually exclusive release ones and no-core-layer fires here
    const expectedSilent = ['sidechain-release-too-short', 'sidechain-release-aggressive', 'sidechain-release-window', 'no-core-layer'];
    for (const rule of LINT_RULES) {
      if (!expectedSilent.includes(rule.id)) expect(rules, rule.id).toContain(rule.id);
    }
    for (const f of all) {
      expect(f.messageKey).toBe(`lint.${f.rule}`);
      expect(formatLintMessage(LINT_MESSAGES_EN[f.messageKey]!, f.params)).toBe(f.message);
      expect(f.message).not.toMatch(/[{}]/);
      for (const v of Object.values(f.params)) expect(f.message).toContain(String(v));
    }
  });

  it('GIVEN findings from several rules WHEN linted twice THEN the order is the same: rule order, then path', () => {
    const spec = stack(
      foundation({ levelDb: 0 }),
      core({ voices: 3 }, { id: 'core_a' }),
      core({ voices: 16 }, { id: 'core_b', band: { lowHz: 1000, highHz: 2000 } }),
    );
    const first = lintSpec(spec);
    expect(lintSpec(spec)).toEqual(first);
    const order = LINT_RULES.map((r) => r.id);
    const ranks = first.map((f) => order.indexOf(f.rule));
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(findings(spec, 'core-voices').map((f) => f.path)).toEqual(['layers[1].synth.voices', 'layers[2].synth.voices']);
  });
});

describe('sidechain release', () => {
  it('GIVEN 128 BPM WHEN release is 375 ms THEN no window finding; WHEN 376 ms THEN a warning naming 328-375 ms', () => {
    expect(lintSpec(withSidechain({ releaseMs: 375 }))).toEqual([]);
    const [f, ...rest] = lintSpec(withSidechain({ releaseMs: 376 }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'sidechain-release-window',
      severity: 'warning',
      path: 'sidechain.releaseMs',
      params: { releaseMs: '376', bpm: '128', windowMin: '328', windowMax: '375' },
    });
    expect(f!.message).toBe(
      'Sidechain release 376 ms ends after the 328-375 ms window (70-80 % of a quarter note at 128 BPM), so the lead is not fully back before the next kick.',
    );
  });

  it('GIVEN 128 BPM WHEN release is 500 ms THEN it is flagged as muddy (still ducked at the next kick), once', () => {
    const all = lintSpec(withSidechain({ releaseMs: 500 }));
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      rule: 'sidechain-release-muddy',
      severity: 'warning',
      params: { releaseMs: '500', muddyMs: '400', windowMin: '328', windowMax: '375' },
    });
    expect(all[0]!.message).toContain('still ducked');
  });

  it('GIVEN 128 BPM WHEN release is 400 ms THEN window warning only; WHEN 401 ms THEN muddy warning only', () => {
    expect(lintSpec(withSidechain({ releaseMs: 400 })).map((f) => f.rule)).toEqual(['sidechain-release-window']);
    expect(lintSpec(withSidechain({ releaseMs: 401 })).map((f) => f.rule)).toEqual(['sidechain-release-muddy']);
  });

  it('GIVEN the muddy threshold WHEN the tempo changes THEN it scales with the beat (400 ms at 128 BPM)', () => {
    expect(muddyReleaseMs(128)).toBe(400);
    expect(muddyReleaseMs(64)).toBe(800);
    // At 100 BPM the window is 420-480 ms: 450 ms is fine there.
    expect(lintSpec(withSidechain({ releaseMs: 450 }, 100))).toEqual([]);
  });

  it('GIVEN 128 BPM WHEN release is 328 ms THEN no finding; WHEN 327 ms THEN an info finding calling it an aggressive pump', () => {
    expect(lintSpec(withSidechain({ releaseMs: 328 }))).toEqual([]);
    const all = lintSpec(withSidechain({ releaseMs: 327 }));
    expect(all.map((f) => [f.rule, f.severity])).toEqual([['sidechain-release-aggressive', 'info']]);
  });

  it('GIVEN 128 BPM WHEN release is 150 ms (the article\'s layer-stack value) THEN info, saying it is an aggressive pump to keep if deliberate', () => {
    const [f] = findings(withSidechain({ releaseMs: 150 }), 'sidechain-release-aggressive');
    expect(f!.severity).toBe('info');
    expect(f!.message).toContain('aggressive pump');
    expect(f!.message).toContain('deliberate');
    expect(lintsClean(lintSpec(withSidechain({ releaseMs: 150 })))).toBe(true);
  });

  it('GIVEN 128 BPM WHEN release is 100 ms THEN info; WHEN 99 ms THEN a too-short warning instead', () => {
    expect(lintSpec(withSidechain({ releaseMs: 100 })).map((f) => f.rule)).toEqual(['sidechain-release-aggressive']);
    const all = lintSpec(withSidechain({ releaseMs: 99 }));
    expect(all.map((f) => [f.rule, f.severity])).toEqual([['sidechain-release-too-short', 'warning']]);
    expect(all[0]!.params).toMatchObject({ releaseMs: '99', minPumpMs: '100' });
  });

  it('GIVEN no sidechain WHEN linted THEN no sidechain findings', () => {
    const spec = makeSpec({ sidechain: undefined });
    expect(lintSpec(spec)).toEqual([]);
  });
});

describe('sidechain depth, attack, ratio', () => {
  it.each([
    ['duckDb', 6, 5.5, 'sidechain-duck-depth'],
    ['duckDb', 9, 9.5, 'sidechain-duck-depth'],
    ['attackMs', 1, 0.5, 'sidechain-attack'],
    ['attackMs', 5, 6, 'sidechain-attack'],
    ['ratio', 4, 3, 'sidechain-ratio'],
    ['ratio', 8, 10, 'sidechain-ratio'],
  ] as const)('GIVEN %s WHEN %s THEN no finding; WHEN %s THEN %s warning', (field, ok, bad, rule) => {
    expect(lintSpec(withSidechain({ [field]: ok }))).toEqual([]);
    const all = lintSpec(withSidechain({ [field]: bad }));
    expect(all.map((f) => [f.rule, f.severity, f.path])).toEqual([[rule, 'warning', `sidechain.${field}`]]);
  });

  it('GIVEN 12 dB ducking THEN the message shows the numbers', () => {
    const [f] = lintSpec(withSidechain({ duckDb: 12 }));
    expect(f!.message).toBe('Sidechain ducking of 12 dB is outside the usual 6-9 dB per kick.');
  });

  it('GIVEN a sidechain without attack or ratio THEN no attack or ratio finding', () => {
    const spec = makeSpec({ sidechain: { duckDb: 7, releaseMs: 350 } });
    expect(lintSpec(spec)).toEqual([]);
  });
});

describe('layer-not-sidechained', () => {
  it('GIVEN a sidechain WHEN a harmony layer says sidechained: false THEN warning; WHEN absent or true THEN none', () => {
    expect(findings(stack(layerInput(), harmony({ sidechained: undefined })), 'layer-not-sidechained')).toEqual([]);
    expect(findings(stack(layerInput(), harmony({ sidechained: true })), 'layer-not-sidechained')).toEqual([]);
    const [f] = findings(stack(layerInput(), harmony({ sidechained: false })), 'layer-not-sidechained');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[1].synth.sidechained', params: { layer: 'harmony_fifth' } });
  });

  it('GIVEN no sidechain or a custom layer WHEN not sidechained THEN no finding', () => {
    expect(findings(makeSpec({ sidechain: undefined, layers: [core({ sidechained: false })] }), 'layer-not-sidechained')).toEqual([]);
    const pad = core({ sidechained: false }, { id: 'pad', role: 'custom' });
    expect(findings(stack(layerInput(), pad), 'layer-not-sidechained')).toEqual([]);
  });
});

describe('core layer', () => {
  it('GIVEN a core WHEN voices are 7 or 8 THEN no finding; WHEN 6 or 9 THEN warning', () => {
    expect(findings(stack(core({ voices: 7 })), 'core-voices')).toEqual([]);
    expect(findings(stack(core({ voices: 8 })), 'core-voices')).toEqual([]);
    expect(findings(stack(core({ voices: 6 })), 'core-voices')[0]).toMatchObject({ severity: 'warning', params: { voices: '6', min: '7', max: '8' } });
    expect(findings(stack(core({ voices: 9 })), 'core-voices')).toHaveLength(1);
  });

  it('GIVEN a core WHEN detune is 15 or 35 cents THEN no finding; WHEN 14 or 36 THEN warning', () => {
    expect(findings(stack(core({ detuneCents: 15 })), 'core-detune')).toEqual([]);
    expect(findings(stack(core({ detuneCents: 35 })), 'core-detune')).toEqual([]);
    expect(findings(stack(core({ detuneCents: 14 })), 'core-detune')).toHaveLength(1);
    const [f] = findings(stack(core({ detuneCents: 36 })), 'core-detune');
    expect(f!.message).toBe('Core layer supersaw_core is detuned 36 cents in total; a supersaw core uses 15-35 cents.');
  });

  it('GIVEN a core WHEN resonance is 8 % THEN no finding; WHEN 9 % THEN warning', () => {
    expect(findings(stack(core({ filter: { type: 'lp24', cutoffHz: 6000, resonancePct: 8 } })), 'core-resonance')).toEqual([]);
    const [f] = findings(stack(core({ filter: { type: 'lp24', cutoffHz: 6000, resonancePct: 9 } })), 'core-resonance');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[0].synth.filter.resonancePct', params: { resonancePct: '9', max: '8' } });
  });

  it('GIVEN a non-core layer with 1 voice and 20 % resonance THEN no core finding', () => {
    const spec = stack(layerInput(), foundationInput());
    expect(lintSpec(spec).filter((f) => f.rule.startsWith('core-'))).toEqual([]);
  });

  it('GIVEN a core without voices, detune or filter THEN no core finding', () => {
    const spec = stack(core({ voices: undefined, detuneCents: undefined, filter: undefined }));
    expect(lintSpec(spec)).toEqual([]);
  });

  it('GIVEN no layer has the core role THEN info; GIVEN one core THEN none', () => {
    expect(findings(makeSpec(), 'no-core-layer')).toEqual([]);
    const [f, ...rest] = lintSpec(stack(foundationInput()));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'no-core-layer', severity: 'info', params: {} });
    expect(f!.path).toBeUndefined();
  });
});

describe('foundation and harmony layers', () => {
  it('GIVEN a foundation WHEN octave is -1 or absent THEN no finding; WHEN 0 THEN warning', () => {
    expect(findings(stack(foundation({ octave: -1 }), layerInput()), 'foundation-octave')).toEqual([]);
    expect(findings(stack(foundation({ octave: undefined }), layerInput()), 'foundation-octave')).toEqual([]);
    const [f] = findings(stack(foundation({ octave: 0 }), layerInput()), 'foundation-octave');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[0].synth.octave', params: { octave: '0' } });
    expect(findings(stack(foundation({ octave: -2 }), layerInput()), 'foundation-octave')[0]!.params.octave).toBe('-2');
  });

  it('GIVEN a foundation WHEN level is -6 or -9 dB THEN no finding; WHEN -5 or -10 THEN warning', () => {
    expect(findings(stack(foundation({ levelDb: -6 }), layerInput()), 'foundation-level')).toEqual([]);
    expect(findings(stack(foundation({ levelDb: -9 }), layerInput()), 'foundation-level')).toEqual([]);
    expect(findings(stack(foundation({ levelDb: -10 }), layerInput()), 'foundation-level')).toHaveLength(1);
    const [f] = findings(stack(foundation({ levelDb: -5 }), layerInput()), 'foundation-level');
    expect(f!.message).toBe('Foundation layer foundation_saw is at -5 dB; the foundation sits 6-9 dB below the core.');
  });

  it('GIVEN a harmony WHEN level is -10 or -15 dB THEN no finding; WHEN -9 or -16 THEN warning', () => {
    expect(findings(stack(layerInput(), harmony({ levelDb: -10 })), 'harmony-level')).toEqual([]);
    expect(findings(stack(layerInput(), harmony({ levelDb: -15 })), 'harmony-level')).toEqual([]);
    expect(findings(stack(layerInput(), harmony({ levelDb: -16 })), 'harmony-level')).toHaveLength(1);
    const [f] = findings(stack(layerInput(), harmony({ levelDb: -9 })), 'harmony-level');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[1].synth.levelDb', params: { levelDb: '-9', minBelow: '10', maxBelow: '15' } });
  });

  it('GIVEN a harmony WHEN level is +3 dB THEN the message shows the sign', () => {
    const [f] = findings(stack(layerInput(), harmony({ levelDb: 3 })), 'harmony-level');
    expect(f!.params.levelDb).toBe('+3');
  });
});

describe('transient layer', () => {
  it('GIVEN a pluck WHEN sustain is 0 % or absent THEN no finding; WHEN 1 % THEN warning', () => {
    expect(findings(stack(layerInput(), pluck()), 'transient-sustain')).toEqual([]);
    expect(findings(stack(layerInput(), pluck({ envelope: { decayMs: 100 } })), 'transient-sustain')).toEqual([]);
    const [f] = findings(stack(layerInput(), pluck({ envelope: { attackMs: 0, sustainPct: 1 } })), 'transient-sustain');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[1].synth.envelope.sustainPct', params: { sustainPct: '1' } });
  });
});

describe('air layer', () => {
  it('GIVEN an air layer WHEN its band starts at 8000 Hz THEN no finding; WHEN 7999 Hz THEN warning', () => {
    expect(findings(stack(layerInput(), air({ band: { lowHz: 8000, highHz: 16000 } })), 'air-band-low')).toEqual([]);
    const [f] = findings(stack(layerInput(), air({ band: { lowHz: 7999, highHz: 16000 } })), 'air-band-low');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[1].band.lowHz', params: { lowHz: '7999', minHz: '8000' } });
  });

  it('GIVEN an air layer WHEN its filter is at 8000 Hz THEN no finding; WHEN 7999 Hz THEN warning; a notch is ignored', () => {
    const at = (type: 'hp24' | 'notch', cutoffHz: number) => stack(layerInput(), air({}, { filter: { type, cutoffHz } }));
    expect(findings(at('hp24', 8000), 'air-filter-low')).toEqual([]);
    expect(findings(at('notch', 3000), 'air-filter-low')).toEqual([]);
    const [f] = findings(at('hp24', 7999), 'air-filter-low');
    expect(f!.message).toBe('Air layer noise_air has its HP24 filter at 7999 Hz; air lives above 8000 Hz.');
  });

  it('GIVEN an air layer without band or filter THEN no air finding', () => {
    const spec = stack(layerInput(), air({ band: undefined }, { filter: undefined }));
    expect(lintSpec(spec)).toEqual([]);
  });
});

describe('edge word vs attack', () => {
  const withEdge = (edge: 'soft' | 'medium' | 'sharp' | 'percussive', attackMs: number) =>
    stack(core({ envelope: { attackMs, sustainPct: 100 } }, { ltv: { ...layerInput().ltv, edge } }));

  it.each([
    ['percussive', 1.9, 2],
    ['sharp', 4.9, 5],
    ['medium', 5, 4.9],
    ['medium', 19.9, 20],
    ['soft', 20, 19.9],
  ] as const)('GIVEN edge %s WHEN attack is %s ms THEN no finding; WHEN %s ms THEN warning', (edge, ok, bad) => {
    expect(findings(withEdge(edge, ok), 'edge-attack')).toEqual([]);
    const [f] = findings(withEdge(edge, bad), 'edge-attack');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[0].synth.envelope.attackMs', params: { edge, attackMs: String(bad) } });
  });

  it('GIVEN a soft edge with 1 ms attack THEN the message shows the range and the attack', () => {
    const [f] = findings(withEdge('soft', 1), 'edge-attack');
    expect(f!.message).toBe('Layer supersaw_core has a soft edge (attack > 20 ms) but an envelope attack of 1 ms.');
  });

  it('GIVEN no envelope attack THEN no edge finding', () => {
    expect(findings(stack(core({ envelope: { sustainPct: 100 } }, { ltv: { ...layerInput().ltv, edge: 'soft' } })), 'edge-attack')).toEqual([]);
  });
});

describe('density word vs voices', () => {
  const withDensity = (density: 'sparse' | 'moderate' | 'dense' | 'massive', voices: number) =>
    stack(core({ voices }, { role: 'custom', id: 'pad', ltv: { ...layerInput().ltv, density } }));

  it.each([
    ['sparse', 2, 3],
    ['moderate', 4, 5],
    ['dense', 6, 7],
  ] as const)('GIVEN density %s WHEN %s voices THEN no finding; WHEN %s voices (above the range) THEN warning', (density, ok, bad) => {
    expect(findings(withDensity(density, ok), 'density-voices')).toEqual([]);
    const [f] = findings(withDensity(density, bad), 'density-voices');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[0].synth.voices', params: { density, voices: String(bad) } });
  });

  it('GIVEN moderate or dense WHEN fewer voices than the word says THEN no finding (reverb may add the density)', () => {
    expect(findings(withDensity('moderate', 1), 'density-voices')).toEqual([]);
    expect(findings(withDensity('dense', 2), 'density-voices')).toEqual([]);
  });

  it('GIVEN massive WHEN 7 or 16 voices THEN no finding; WHEN 6 voices THEN warning (massive has no reverb alternative)', () => {
    expect(findings(withDensity('massive', 7), 'density-voices')).toEqual([]);
    expect(findings(withDensity('massive', 16), 'density-voices')).toEqual([]);
    const [f] = findings(withDensity('massive', 6), 'density-voices');
    expect(f!.message).toBe('Layer pad is massive (7+ voices) but has 6 unison voices.');
  });
});

describe('brightness word vs filter', () => {
  const withFilter = (brightness: 'dark' | 'warm' | 'neutral' | 'bright' | 'brilliant', type: 'lp24' | 'lp12' | 'hp24' | 'bp' | 'notch', cutoffHz: number) =>
    stack(core({ filter: { type, cutoffHz } }, { role: 'custom', id: 'pad', ltv: { ...layerInput().ltv, brightness } }));
  const verdicts = (spec: Spec) =>
    lintSpec(spec)
      .filter((f) => f.rule.startsWith('brightness-filter'))
      .map((f) => f.rule);

  it('GIVEN bright with LP WHEN cutoff is 5000 Hz THEN no finding; WHEN 4999 Hz THEN too dark', () => {
    expect(verdicts(withFilter('bright', 'lp24', 5000))).toEqual([]);
    expect(verdicts(withFilter('bright', 'lp24', 4999))).toEqual(['brightness-filter-too-dark']);
    const [f] = findings(withFilter('bright', 'lp24', 4999), 'brightness-filter-too-dark');
    expect(f!.message).toBe('Layer pad is bright (spectral centroid 5-8 kHz), but its LP24 filter at 4999 Hz makes it darker than that.');
  });

  it('GIVEN dark with LP WHEN cutoff is 4000 Hz (4x the band top) THEN no finding; WHEN 4001 Hz THEN too bright', () => {
    expect(verdicts(withFilter('dark', 'lp24', 4000))).toEqual([]);
    expect(verdicts(withFilter('dark', 'lp12', 4001))).toEqual(['brightness-filter-too-bright']);
    expect(findings(withFilter('dark', 'lp24', 4001), 'brightness-filter-too-bright')[0]!.params.centroid).toBe('< 1 kHz');
  });

  it('GIVEN warm with LP WHEN cutoff is 12000 Hz THEN no finding; WHEN 12001 Hz THEN too bright; WHEN 999 Hz THEN too dark', () => {
    expect(verdicts(withFilter('warm', 'lp24', 12000))).toEqual([]);
    expect(verdicts(withFilter('warm', 'lp24', 12001))).toEqual(['brightness-filter-too-bright']);
    expect(verdicts(withFilter('warm', 'lp24', 999))).toEqual(['brightness-filter-too-dark']);
  });

  it('GIVEN neutral or brighter with a wide-open LP THEN no finding', () => {
    expect(verdicts(withFilter('neutral', 'lp24', 20000))).toEqual([]);
    expect(verdicts(withFilter('brilliant', 'lp24', 20000))).toEqual([]);
  });

  it('GIVEN HP WHEN cutoff is below the word\'s band top THEN no finding; WHEN at the top THEN too bright', () => {
    expect(verdicts(withFilter('warm', 'hp24', 2999))).toEqual([]);
    expect(verdicts(withFilter('warm', 'hp24', 3000))).toEqual(['brightness-filter-too-bright']);
    expect(verdicts(withFilter('brilliant', 'hp24', 16000))).toEqual([]);
  });

  it('GIVEN BP WHEN the centre is within an octave of the band THEN no finding; WHEN beyond THEN a finding', () => {
    expect(verdicts(withFilter('brilliant', 'bp', 4000))).toEqual([]);
    expect(verdicts(withFilter('brilliant', 'bp', 3999))).toEqual(['brightness-filter-too-dark']);
    expect(verdicts(withFilter('neutral', 'bp', 10000))).toEqual([]);
    expect(verdicts(withFilter('neutral', 'bp', 10001))).toEqual(['brightness-filter-too-bright']);
  });

  it('GIVEN a notch THEN never a brightness finding', () => {
    expect(brightnessVerdict('dark', 'notch', 20000)).toBeUndefined();
    expect(verdicts(withFilter('brilliant', 'notch', 20))).toEqual([]);
  });
});

describe('timing order', () => {
  const timed = (timing: SpecInput['timing']) => makeSpec({ timing });

  it('GIVEN build 1, apex 16, drop 17, break 33, second drop 49 THEN no finding; WHEN apex equals the drop THEN still none', () => {
    expect(lintSpec(timed({ buildStartBar: 1, sweepApexBar: 16, dropBar: 17, breakBar: 33, secondDropBar: 49 }))).toEqual([]);
    expect(lintSpec(timed({ buildStartBar: 1, sweepApexBar: 17, dropBar: 17 }))).toEqual([]);
  });

  it('GIVEN apex 18 after drop 17 THEN an error on the drop', () => {
    const [f, ...rest] = lintSpec(timed({ buildStartBar: 1, sweepApexBar: 18, dropBar: 17, breakBar: 33 }));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      rule: 'timing-order',
      severity: 'error',
      path: 'timing.dropBar',
      params: { first: 'sweep apex', firstBar: '18', second: 'drop', secondBar: '17' },
    });
  });

  it('GIVEN break 33 WHEN drop is 32 THEN no finding; WHEN drop is 33 (same bar) THEN an error', () => {
    expect(lintSpec(timed({ dropBar: 32, breakBar: 33 }))).toEqual([]);
    expect(findings(timed({ dropBar: 33, breakBar: 33 }), 'timing-order')).toHaveLength(1);
  });

  it('GIVEN only build and second drop WHEN build is after the second drop THEN an error (any present pair is checked)', () => {
    expect(lintSpec(timed({ buildStartBar: 48, secondDropBar: 49 }))).toEqual([]);
    const [f] = findings(timed({ buildStartBar: 50, secondDropBar: 49 }), 'timing-order');
    expect(f!.message).toContain('The build start is at bar 50 and the second drop at bar 49');
  });

  it('GIVEN build start equal to the sweep apex THEN an error', () => {
    expect(findings(timed({ buildStartBar: 5, sweepApexBar: 5 }), 'timing-order')).toHaveLength(1);
  });

  it('GIVEN no markers THEN no finding', () => {
    expect(lintSpec(timed({}))).toEqual([]);
  });
});

describe('sub reserve', () => {
  it('GIVEN 200 Hz reserved WHEN the foundation starts at 200 Hz THEN no finding; WHEN at 199 Hz THEN warning', () => {
    expect(findings(stack(foundation({}, { band: { lowHz: 200, highHz: 500 } }), layerInput()), 'layer-below-sub-reserve')).toEqual([]);
    const [f] = findings(stack(foundation({}, { band: { lowHz: 199, highHz: 500 } }), layerInput()), 'layer-below-sub-reserve');
    expect(f).toMatchObject({ severity: 'warning', path: 'layers[0].band.lowHz', params: { layer: 'foundation_saw', lowHz: '199', reservedHz: '200' } });
  });

  it('GIVEN 200 Hz reserved WHEN the lead range starts at 200 Hz THEN no finding; WHEN at 150 Hz THEN warning', () => {
    expect(findings(makeSpec({ spectral: { subReservedBelowHz: 200, leadRange: { lowHz: 200, highHz: 16000 } } }), 'lead-range-below-sub-reserve')).toEqual([]);
    const [f] = findings(makeSpec({ spectral: { subReservedBelowHz: 200, leadRange: { lowHz: 150, highHz: 16000 } } }), 'lead-range-below-sub-reserve');
    expect(f!.message).toBe('The lead range starts at 150 Hz, inside the range below 200 Hz that is reserved for kick and bass.');
  });

  it('GIVEN a custom reserve of 120 Hz WHEN a layer starts at 150 Hz THEN no finding', () => {
    const spec = makeSpec({ spectral: { subReservedBelowHz: 120 }, layers: [foundation({}, { band: { lowHz: 150, highHz: 500 } }), layerInput()] });
    expect(lintSpec(spec)).toEqual([]);
  });
});

describe('same band', () => {
  it('GIVEN log-frequency IoU THEN a pluck 1-5 kHz and a harmony 300-6000 Hz are not the core 200-8000 Hz band', () => {
    expect(bandIoU({ lowHz: 1000, highHz: 5000 }, { lowHz: 200, highHz: 8000 })).toBeCloseTo(0.436, 3);
    expect(bandIoU({ lowHz: 300, highHz: 6000 }, { lowHz: 200, highHz: 8000 })).toBeCloseTo(0.812, 3);
    expect(bandIoU({ lowHz: 100, highHz: 200 }, { lowHz: 200, highHz: 400 })).toBe(0);
    expect(findings(stack(foundationInput(), layerInput(), pluck(), harmony()), 'same-band')).toEqual([]);
  });

  it('GIVEN a core 200-8000 Hz WHEN another layer is 400-8000 Hz (IoU 0.81) THEN none; WHEN 250-8000 Hz (IoU 0.94) THEN warning', () => {
    const twin = (lowHz: number) => core({}, { id: 'core_twin', role: 'custom', band: { lowHz, highHz: 8000 } });
    expect(findings(stack(layerInput(), twin(400)), 'same-band')).toEqual([]);
    const [f, ...rest] = findings(stack(layerInput(), twin(250)), 'same-band');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({
      severity: 'warning',
      path: 'layers[1].band',
      params: { layerA: 'supersaw_core', bandA: '200-8000', layerB: 'core_twin', bandB: '250-8000', overlapPct: '93' },
    });
  });

  it('GIVEN the threshold 0.85 WHEN IoU is just above and just below THEN warning and none', () => {
    // 200-8000 is log2(40) = 5.32 octaves; 0.85 of that is 4.52 octaves.
    const lowAt = (iou: number) => Math.ceil(8000 / 2 ** (Math.log2(40) * iou));
    const above = lowAt(0.851); // a slightly narrower band from the top: IoU just over 0.85
    const below = lowAt(0.849) + 2;
    expect(bandIoU({ lowHz: 200, highHz: 8000 }, { lowHz: above, highHz: 8000 })).toBeGreaterThanOrEqual(0.85);
    expect(bandIoU({ lowHz: 200, highHz: 8000 }, { lowHz: below, highHz: 8000 })).toBeLessThan(0.85);
    const twin = (lowHz: number) => core({}, { id: 'core_twin', role: 'custom', band: { lowHz, highHz: 8000 } });
    expect(findings(stack(layerInput(), twin(above)), 'same-band')).toHaveLength(1);
    expect(findings(stack(layerInput(), twin(below)), 'same-band')).toEqual([]);
  });
});

describe('reference anchor', () => {
  it('GIVEN reference anchoring WHEN a reference is named THEN no finding; WHEN none THEN warning', () => {
    const track = { bpm: 126, key: 'F# minor', style: 'progressive house' };
    const anchored = makeSpec({
      track: { ...track, references: [{ artist: 'Sebastian Ingrosso & Alesso', title: 'Calling (Lose My Mind)' }] },
      extras: { chainOfThought: false, referenceAnchor: true },
    });
    expect(lintSpec(anchored).filter((f) => f.rule === 'reference-anchor-without-references')).toEqual([]);
    const bare = makeSpec({ track: { ...track, references: [] }, extras: { chainOfThought: true, referenceAnchor: true } });
    expect(findings(bare, 'reference-anchor-without-references')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'extras.referenceAnchor' }),
    ]);
  });

  it('GIVEN no anchoring and no references THEN no finding', () => {
    expect(findings(makeSpec({ extras: { chainOfThought: true, referenceAnchor: false } }), 'reference-anchor-without-references')).toEqual([]);
  });
});

describe('built-in presets', () => {
  it('GIVEN the calling preset (the article\'s full worked example) WHEN linted THEN it has no warnings or errors', () => {
    const preset = getBuiltinPreset('calling');
    expect(preset).toBeDefined();
    const problems = lintSpec(preset!.spec).filter((f) => f.severity !== 'info');
    expect(problems.map((f) => `${f.rule} ${f.path ?? ''}: ${f.message}`)).toEqual([]);
    expect(lintsClean(lintSpec(preset!.spec))).toBe(true);
  });

  it('GIVEN the layer-stack preset (150 ms release at 128 BPM) WHEN linted THEN the aggressive pump is an info, not a warning', () => {
    const preset = getBuiltinPreset('layer-stack');
    expect(preset).toBeDefined();
    const all = lintSpec(preset!.spec);
    expect(all.map((f) => f.rule)).toContain('sidechain-release-aggressive');
    expect(lintsClean(all)).toBe(true);
  });
});
