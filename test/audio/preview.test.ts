/**
 * The audio preview and the measured lint, tested on the signal (no snapshots): spectra, gain
 * curves, pitches and onsets of rendered audio.
 */
import { REST } from '@discordjs/rest';
import { afterAll, describe, expect, it } from 'vitest';
import { fundamentalHz, powerSpectrum } from '../../src/audio/analysis.js';
import { addOscillator, harmonicsFor, wavetable } from '../../src/audio/dsp.js';
import {
  brightnessWordOf,
  measureBrightness,
  measurePitchHz,
  measureSidechain,
  measureSpec,
  MEASURED_LINT_MESSAGES_EN,
} from '../../src/audio/measure.js';
import { defaultMotif, InvalidNotesError, MAX_NOTES, parseNotes } from '../../src/audio/notes.js';
import { PreviewPool } from '../../src/audio/pool.js';
import { PreviewOptionError, renderPreview, renderStack } from '../../src/audio/render.js';
import { DISCORD_FILE_LIMIT_BYTES, encodeWav, wavSize } from '../../src/audio/wav.js';
import { getBuiltinPreset } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import { createDiscordApi } from '../../src/discord/restApi.js';
import { foundationInput, layerInput, makeSpec } from '../fixtures/spec.js';
import { interactions, startStandin } from '../standin/index.js';

const SR = 44100;
const calling = (): Spec => getBuiltinPreset('calling')!.spec;

function supersaw(cutoffHz: number): Spec {
  return makeSpec({
    layers: [layerInput({ synth: { waveform: 'supersaw', voices: 7, detuneCents: 25, filter: { type: 'lp24', cutoffHz, resonancePct: 5 }, envelope: { attackMs: 1, sustainPct: 100, releaseMs: 250 } } })],
  });
}

/** Power in [loHz, hiHz) of a spectrum of `size` bins. */
function bandPower(power: Float64Array, loHz: number, hiHz: number): number {
  const binHz = SR / ((power.length - 1) * 2);
  let sum = 0;
  for (let k = Math.ceil(loHz / binHz); k < Math.min(power.length, hiHz / binHz); k++) sum += power[k]!;
  return sum;
}

describe('brightness (measured)', () => {
  it('GIVEN a supersaw through LP24 at 6 kHz WHEN measured THEN its centroid reads "bright"', () => {
    const hz = measureBrightness(supersaw(6000), 'supersaw_core');
    expect(brightnessWordOf(hz)).toBe('bright');
  });

  it('GIVEN the same supersaw through LP24 at 800 Hz WHEN measured THEN it reads "dark"', () => {
    const hz = measureBrightness(supersaw(800), 'supersaw_core');
    expect(brightnessWordOf(hz)).toBe('dark');
  });

  it('GIVEN a supersaw described as bright but filtered at 800 Hz WHEN measured THEN a warning says it measures dark', () => {
    const findings = measureSpec(supersaw(800));
    const f = findings.find((x) => x.rule === 'measured-brightness');
    expect(f).toMatchObject({ severity: 'warning', measured: true, messageKey: 'lint.measured-brightness', path: 'layers[0].ltv.brightness' });
    expect(f!.params.measuredWord).toBe('dark');
    expect(Object.keys(MEASURED_LINT_MESSAGES_EN)).toContain(f!.messageKey);
  });
});

describe('sidechain (measured)', () => {
  it('GIVEN a 7 dB / 350 ms sidechain at 128 BPM WHEN measured THEN it ducks 7 ± 1 dB and recovers within 350 ms ± 10 %', () => {
    const m = measureSidechain(makeSpec({ sidechain: { duckDb: 7, attackMs: 2, releaseMs: 350 } }), 'supersaw_core');
    expect(m.depthDb).toBeGreaterThan(6);
    expect(m.depthDb).toBeLessThan(8);
    expect(m.recoveryMs).toBeGreaterThanOrEqual(315);
    expect(m.recoveryMs).toBeLessThanOrEqual(385);
  });

  it('GIVEN a 600 ms release at 128 BPM WHEN measured THEN the lead is still down at the next kick and a finding says so', () => {
    const spec = makeSpec({ sidechain: { duckDb: 7, attackMs: 2, releaseMs: 600 } });
    expect(measureSidechain(spec, 'supersaw_core').recoveryMs).toBeUndefined();
    const f = measureSpec(spec).find((x) => x.rule === 'measured-sidechain-unrecovered');
    expect(f?.severity).toBe('warning');
    expect(Number(f!.params.residualDb)).toBeGreaterThan(1);
  });

  it('GIVEN a layer marked not sidechained WHEN the preview renders THEN only the marked layer is ducked', () => {
    const spec = makeSpec({ layers: [foundationInput({ synth: { ...foundationInput().synth!, sidechained: false } }), layerInput()] });
    const events = [{ startS: 0, gateS: 1.4, midi: 57 }];
    const render = (only: string, sidechain: boolean) =>
      renderStack(spec, { events, lengthS: 1.4, sampleRate: SR, bpm: 128, only: [only], kick: false, sidechain, wrap: false, normalize: false }).left;
    const rms = (x: Float32Array, from: number, to: number) => Math.sqrt(x.slice(from, to).reduce((s, v) => s + v * v, 0) / (to - from));
    const dip = Math.round(0.4688 * SR) + 200; // just after the second kick
    for (const [layer, ducked] of [['foundation_saw', false], ['supersaw_core', true]] as const) {
      const ratio = rms(render(layer, true), dip, dip + 400) / rms(render(layer, false), dip, dip + 400);
      if (ducked) expect(ratio).toBeLessThan(0.5);
      else expect(ratio).toBeCloseTo(1, 5);
    }
  });
});

describe('pitch and onsets (measured)', () => {
  it('GIVEN the calling preset WHEN the foundation and the core are measured THEN the foundation sounds an octave below the melody', () => {
    const spec = calling();
    const melody = measurePitchHz(spec, 'supersaw_core');
    const foundation = measurePitchHz(spec, 'foundation_saw');
    expect(melody).toBeGreaterThan(430);
    expect(melody).toBeLessThan(450); // A4
    expect(1200 * Math.log2(melody / foundation)).toBeCloseTo(1200, -2); // within ± 50 cents
  });

  it('GIVEN a foundation in the melody octave WHEN measured THEN an octave finding reports 0 semitones', () => {
    const spec = makeSpec({ layers: [foundationInput({ synth: { ...foundationInput().synth!, octave: 0 } }), layerInput()] });
    const f = measureSpec(spec).find((x) => x.rule === 'measured-foundation-octave');
    expect(f?.params.semitones).toBe('0');
  });

  it('GIVEN the calling preset WHEN measured THEN only the foundation brightness (info) is reported: onsets aligned, pump and octave as specified', () => {
    const findings = measureSpec(calling());
    expect(findings.map((f) => `${f.severity} ${f.rule} ${f.params.layer}`)).toEqual(['info measured-brightness foundation_saw']);
  });

  it('GIVEN a core with a 30 ms attack under a pluck WHEN measured THEN the onsets are flagged as more than 5 ms apart', () => {
    const spec = calling();
    const core = spec.layers[1]!;
    const slow = { ...spec, layers: spec.layers.map((l) => (l === core ? { ...l, synth: { ...l.synth!, envelope: { ...l.synth!.envelope!, attackMs: 30 } } } : l)) };
    const f = measureSpec(slow).find((x) => x.rule === 'measured-onset-alignment');
    expect(f).toMatchObject({ severity: 'warning', params: { layer: 'pluck_transient', core: 'supersaw_core' } });
    expect(Number(f!.params.diffMs)).toBeGreaterThan(5);
  });
});

describe('band-limited oscillators', () => {
  it('GIVEN a 2 kHz saw at 44.1 kHz WHEN rendered THEN energy folded below the fundamental is at least 60 dB under it', () => {
    const n = 65536;
    const env = new Float32Array(n).fill(1);
    const l = new Float32Array(n);
    const r = new Float32Array(n);
    addOscillator(wavetable('saw', harmonicsFor(2000, SR)), 2000, 0, SR, env, n, l, r, 0, 1, 0);
    const power = powerSpectrum(l, 16384);
    const fundamental = bandPower(power, 1950, 2050);
    const folded = bandPower(power, 20, 1900);
    expect(10 * Math.log10(folded / fundamental)).toBeLessThan(-60);
    // and nothing between the harmonics either (no alias anywhere in the band)
    const between = bandPower(power, 2100, 3900) + bandPower(power, 4100, 5900);
    expect(10 * Math.log10(between / fundamental)).toBeLessThan(-60);
  });

  it('GIVEN an unfiltered one-voice saw layer playing B6 (1976 Hz) WHEN rendered by the preview engine THEN its steady part has no alias below the fundamental', () => {
    const spec = makeSpec({ sidechain: undefined, layers: [layerInput({ synth: { waveform: 'saw', voices: 1, envelope: { attackMs: 1, sustainPct: 100, releaseMs: 10 } } })] });
    const { left } = renderStack(spec, { events: [{ startS: 0, gateS: 2, midi: 95 }], lengthS: 2, sampleRate: SR, bpm: 128, kick: false, sidechain: false, wrap: false, normalize: false });
    const power = powerSpectrum(left.subarray(4410, 4410 + 65536), 16384);
    const f0 = 440 * 2 ** ((95 - 69) / 12);
    expect(10 * Math.log10(bandPower(power, 20, f0 - 80) / bandPower(power, f0 - 50, f0 + 50))).toBeLessThan(-60);
  });
});

describe('renderPreview', () => {
  it('GIVEN the calling preset at 8 bars WHEN rendered and encoded THEN it is 15.2 s of stereo 16-bit WAV under 10 MiB with a valid header', () => {
    const audio = renderPreview(calling(), { bars: 8 });
    const wav = encodeWav(audio);
    expect(audio.durationS).toBeCloseTo((8 * 4 * 60) / 126, 3);
    expect(wav.length).toBe(44 + audio.left.length * 4);
    expect(wav.length).toBe(wavSize(audio.left.length));
    expect(wav.length).toBeLessThan(DISCORD_FILE_LIMIT_BYTES);
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect([wav.readUInt16LE(20), wav.readUInt16LE(22), wav.readUInt32LE(24), wav.readUInt32LE(28), wav.readUInt16LE(32), wav.readUInt16LE(34)]).toEqual([1, 2, 44100, 176400, 4, 16]);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(audio.left.length * 4);
    let peak = 0;
    for (let i = 44; i < wav.length; i += 2) peak = Math.max(peak, Math.abs(wav.readInt16LE(i)));
    expect(peak).toBeGreaterThan(25000); // normalized to -1 dBFS, not silent
    expect(peak).toBeLessThan(32767);
    // the slowest tempo at the most bars still fits Discord's limit
    expect(wavSize(Math.round(((8 * 4 * 60) / 60) * 44100))).toBeLessThan(DISCORD_FILE_LIMIT_BYTES);
  });

  it('GIVEN the same spec and options twice WHEN rendered THEN the samples are identical (seeded noise and phases)', () => {
    const a = renderPreview(calling(), { bars: 1 });
    const b = renderPreview(calling(), { bars: 1 });
    expect(Buffer.compare(encodeWav(a), encodeWav(b))).toBe(0);
  });

  it('GIVEN no notes WHEN rendered THEN the default motif is in the key; GIVEN notes THEN they are played', () => {
    expect(renderPreview(calling(), { bars: 1 }).notes).toEqual(['A4', 'C5', 'E5', 'D5', 'C5', 'B4', 'C5', 'A4']);
    expect(defaultMotif('F# minor')[0]).toBe(66);
    expect(defaultMotif('Db major').slice(0, 3)).toEqual([61, 65, 68]);
    const custom = renderPreview(calling(), { bars: 1, notes: 'E5 G5', soloLayer: 'supersaw_core', noKick: true });
    expect(custom.notes).toEqual(['E5', 'G5']);
    expect(fundamentalHz(custom.left.subarray(2000, 2000 + 16384), SR)).toBeCloseTo(659.3, -1);
  });

  it('GIVEN a layer without synth settings WHEN rendered THEN the values inferred from its words are listed', () => {
    const spec = makeSpec({ layers: [layerInput({ synth: undefined })] });
    const audio = renderPreview(spec, { bars: 1 });
    expect(audio.inferred).toContainEqual({ layer: 'supersaw_core', field: 'synth.voices', value: 7, from: 'density "massive"' });
    expect(audio.inferred).toContainEqual({ layer: 'supersaw_core', field: 'synth.filter', value: 'LP24 6500 Hz', from: 'brightness "bright"' });
    expect(audio.inferred).toContainEqual({ layer: 'supersaw_core', field: 'synth.envelope.attackMs', value: 2, from: 'edge "sharp"' });
  });

  it('GIVEN bad options WHEN rendered THEN typed errors name the problem', () => {
    expect(() => renderPreview(calling(), { bars: 9 })).toThrow(PreviewOptionError);
    expect(() => renderPreview(calling(), { soloLayer: 'nope' })).toThrow(expect.objectContaining({ reason: 'solo-layer' }));
    expect(() => renderPreview(calling(), { notes: 'A4 H2' })).toThrow(expect.objectContaining({ name: 'InvalidNotesError', reason: 'not-a-note', token: 'H2' }));
  });
});

describe('parseNotes', () => {
  it('GIVEN scientific pitch names WHEN parsed THEN MIDI numbers come back', () => {
    expect(parseNotes('A4 C#5, Bb3 e5')).toEqual([69, 73, 58, 76]);
  });

  it.each([
    ['', 'empty'],
    ['A4 X4', 'not-a-note'],
    ['A', 'not-a-note'],
    ['C9', 'out-of-range'],
    ['B0', 'out-of-range'],
    [Array.from({ length: MAX_NOTES + 1 }, () => 'A4').join(' '), 'too-many'],
  ])('GIVEN %j WHEN parsed THEN InvalidNotesError (%s)', (text, reason) => {
    expect(() => parseNotes(text)).toThrow(InvalidNotesError);
    expect(() => parseNotes(text)).toThrow(expect.objectContaining({ reason }));
  });

  it('GIVEN exactly 32 notes WHEN parsed THEN they are accepted', () => {
    expect(parseNotes(Array.from({ length: MAX_NOTES }, () => 'C5').join(' '))).toHaveLength(MAX_NOTES);
  });
});

describe('renderPreviewInWorker', () => {
  const pool = new PreviewPool(15_000);
  afterAll(() => pool.close());

  it('GIVEN two concurrent renders WHEN sent to the one-worker pool THEN both finish with the same bytes as an in-process render', async () => {
    const spec = calling();
    const [a, b] = await Promise.all([pool.render(spec, { bars: 1 }), pool.render(spec, { bars: 2, notes: 'A4 E5' })]);
    expect(Buffer.compare(a.wav, encodeWav(renderPreview(spec, { bars: 1 })))).toBe(0);
    expect(a.durationS).toBeCloseTo((4 * 60) / 126, 3);
    expect(b.notes).toEqual(['A4', 'E5']);
    expect(b.bytes).toBe(wavSize(Math.round(((8 * 60) / 126) * 44100)));
    expect(pool.pending).toBe(0);
  });

  it('GIVEN a longer preview released after sending WHEN a shorter one renders into its memory THEN its bytes are exactly an in-process render', async () => {
    const spec = calling();
    const long = await pool.render(spec, { bars: 4 });
    long.release();
    const short = await pool.render(spec, { bars: 1, notes: 'C5 G4' });
    expect(Buffer.compare(short.wav, encodeWav(renderPreview(spec, { bars: 1, notes: 'C5 G4' })))).toBe(0);
    short.release();
  });

  it('GIVEN a preview from the worker WHEN uploaded through the DiscordApi THEN the stand-in receives the message and exactly the WAV bytes', async () => {
    const standin = await startStandin();
    try {
      const api = createDiscordApi(new REST({ api: standin.apiBase, retries: 0 }).setToken(standin.token), standin.applicationId);
      const spec = calling();
      const preview = await pool.render(spec, { bars: 2 });
      const expected = Buffer.from(preview.wav);
      const ix = interactions.chatInput({ name: 'salt' });
      await api.postCallback(ix, { response: { type: 5, data: { flags: 64 } } });
      await api.editOriginal(ix.token, { content: 'préview "ok"', allowed_mentions: { parse: [] } }, [{ name: 'salt-preview.wav', data: preview.wav, contentType: 'audio/wav' }]);
      preview.release();
      const edit = await standin.waitFor((r) => r.method === 'PATCH' && r.files.length > 0);
      expect(edit.body).toMatchObject({ content: 'préview "ok"', attachments: [{ id: 0, filename: 'salt-preview.wav' }] });
      expect(edit.files).toHaveLength(1);
      expect(edit.files[0]).toMatchObject({ field: 'files[0]', name: 'salt-preview.wav', contentType: 'audio/wav', size: expected.length });
      expect(Buffer.compare(edit.files[0]!.data, expected)).toBe(0);
    } finally {
      await standin.close();
    }
  });

  it('GIVEN bad notes WHEN rendered on the worker THEN the same InvalidNotesError comes back', async () => {
    await expect(pool.render(calling(), { notes: 'Q7' })).rejects.toThrow(InvalidNotesError);
  });

  it('GIVEN a measured lint on the worker WHEN run THEN it matches the in-process findings', async () => {
    const report = await pool.measure(calling());
    expect(report.findings.map((f) => f.rule)).toEqual(measureSpec(calling()).map((f) => f.rule));
  });
});
