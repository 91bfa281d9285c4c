/**
 * Measured lint: "does the sound match the words?" Each layer is rendered alone (no kick) and
 * measured, and the measurements are compared with the spec:
 * - brightness: the brightness centroid (analysis.ts) of one bar of the motif against the band of
 *   the layer's brightness word (one word off = info, further = warning);
 * - sidechain: the gain of the ducked melody layer relative to the same render without the
 *   sidechain: depth per kick (vs duckDb, ± 1 dB), recovery to within 1 dB (vs releaseMs, ± 10 %),
 *   and whether it recovers before the next kick at all;
 * - onset alignment: the onset (first half-peak) of each transient layer's note against the melody
 *   layer's, at most 5 ms apart;
 * - octave: each foundation layer's fundamental an octave (± 50 cents) under the melody's.
 *
 * Findings have the shape of lint.ts findings (message keys `lint.measured-…`) plus `measured: true`.
 */
import { formatLintMessage, type LintFinding, type LintParams, type Severity } from '../domain/lint.js';
import { melodyCarrier, sidechainedLayers } from '../domain/render.js';
import type { Spec } from '../domain/spec.js';
import { msPerBeat } from '../domain/timing.js';
import { BRIGHTNESS, BRIGHTNESS_CENTROID_HZ, type Brightness } from '../domain/vocabulary.js';
import { brightnessCentroidHz, fundamentalHz, gainCurveDb, mono, onsetS, powerSpectrum } from './analysis.js';
import { defaultMotif } from './notes.js';
import { DEFAULT_SAMPLE_RATE, GATE_FRACTION, renderStack, type NoteEvent } from './render.js';

export interface MeasuredFinding extends LintFinding {
  readonly measured: true;
}

/** English templates of the measured rules, by message key (source for the locale files). */
export const MEASURED_LINT_MESSAGES_EN: Readonly<Record<string, string>> = {
  'lint.measured-brightness':
    'Measured: {layer} is described as {brightness} (centroid {centroid}) but its rendering measures {measured}, which is {measuredWord}.',
  'lint.measured-sidechain-depth': 'Measured: the sidechain ducks {layer} by {measuredDb} dB per kick; the spec asks for {duckDb} dB.',
  'lint.measured-sidechain-recovery':
    'Measured: {layer} takes {measuredMs} ms to come back within 1 dB after each duck; the spec’s release is {releaseMs} ms.',
  'lint.measured-sidechain-unrecovered':
    'Measured: with a {releaseMs} ms release, {layer} is still {residualDb} dB down when the next kick lands {beatMs} ms later (at {bpm} BPM), so it never fully recovers.',
  'lint.measured-onset-alignment':
    'Measured: the notes of {layer} start {diffMs} ms apart from those of {core} (more than {maxMs} ms), so the transient no longer lands with the note.',
  'lint.measured-foundation-octave':
    'Measured: {layer} sounds at {foundationHz} Hz and the melody ({core}) at {melodyHz} Hz, {semitones} semitones apart instead of one octave.',
};

/** Tolerances of the measured rules. */
export const MEASURE_TOLERANCE = {
  duckDb: 1,
  recoveryFraction: 0.1,
  /** "Recovered" = back within this many dB of unity gain. */
  recoveredDb: 1,
  onsetMs: 5,
  octaveCents: 50,
} as const;

export interface SidechainMeasurement {
  readonly layer: string;
  readonly depthDb: number;
  /** Time from the deepest point back to within 1 dB; undefined when the next kick comes first. */
  readonly recoveryMs: number | undefined;
  /** Gain reduction left just before the next kick, dB. */
  readonly residualDb: number;
}

export interface Measurements {
  readonly brightness: ReadonlyArray<{ readonly layer: string; readonly centroidHz: number; readonly word: Brightness }>;
  readonly sidechain: SidechainMeasurement | undefined;
  readonly onsets: ReadonlyArray<{ readonly layer: string; readonly core: string; readonly layerMs: number; readonly coreMs: number }>;
  readonly pitches: ReadonlyArray<{ readonly layer: string; readonly hz: number }>;
}

const SR = DEFAULT_SAMPLE_RATE;

/** The brightness word whose centroid band holds `hz`. */
export function brightnessWordOf(hz: number): Brightness {
  for (const word of BRIGHTNESS) {
    const band = BRIGHTNESS_CENTROID_HZ[word];
    if (hz >= band.lowHz && hz < band.highHz) return word;
  }
  return 'brilliant';
}

function solo(spec: Spec, layer: string, events: readonly NoteEvent[], lengthS: number, sidechain = false): Float32Array {
  const { left, right } = renderStack(spec, {
    events,
    lengthS,
    sampleRate: SR,
    bpm: spec.track.bpm,
    only: [layer],
    kick: false,
    sidechain,
    wrap: false,
    normalize: false,
  });
  return mono(left, right);
}

/** Brightness centroid of one layer playing one bar of the motif. */
export function measureBrightness(spec: Spec, layer: string): number {
  const beatS = msPerBeat(spec.track.bpm) / 1000;
  const motif = defaultMotif(spec.track.key);
  const events = [0, 1, 2, 3].map((b) => ({ startS: b * beatS, gateS: beatS * GATE_FRACTION, midi: motif[b]! }));
  return brightnessCentroidHz(powerSpectrum(solo(spec, layer, events, 4 * beatS)), SR);
}

/**
 * Measures the sidechain on `layer`: a held note over three beats, rendered with and without the
 * sidechain; the duck of the kick on beat 2 is read from the gain curve between the two.
 */
export function measureSidechain(spec: Spec, layer: string): SidechainMeasurement {
  const beatS = msPerBeat(spec.track.bpm) / 1000;
  const midi = defaultMotif(spec.track.key)[0]!;
  const events = [{ startS: 0, gateS: 3 * beatS, midi }];
  const dry = solo(spec, layer, events, 3 * beatS, false);
  const wet = solo(spec, layer, events, 3 * beatS, true);
  const hopMs = 1;
  const curve = gainCurveDb(dry, wet, SR, hopMs, 3);
  const kick = Math.round((beatS * 1000) / hopMs);
  const next = Math.round((2 * beatS * 1000) / hopMs);
  let deepest = kick;
  for (let h = kick; h < next; h++) if (curve[h]! < curve[deepest]!) deepest = h;
  const depthDb = -curve[deepest]!;
  let recoveryMs: number | undefined;
  for (let h = deepest; h < next - 2; h++) {
    if (-curve[h]! <= MEASURE_TOLERANCE.recoveredDb) {
      recoveryMs = (h - deepest) * hopMs;
      break;
    }
  }
  const residualDb = -curve[next - 3]!;
  return { layer, depthDb, recoveryMs, residualDb: Math.max(0, residualDb) };
}

/** Onset (ms after note-on) of one note of `layer` alone. */
export function measureOnsetMs(spec: Spec, layer: string): number | undefined {
  const midi = defaultMotif(spec.track.key)[0]!;
  const at = 0.02;
  const signal = solo(spec, layer, [{ startS: at, gateS: 0.3, midi }], 0.4);
  const t = onsetS(signal, SR, at);
  return t === undefined ? undefined : (t - at) * 1000;
}

/** Fundamental (Hz) of `layer` holding the motif's first note. */
export function measurePitchHz(spec: Spec, layer: string): number {
  const midi = defaultMotif(spec.track.key)[0]!;
  const signal = solo(spec, layer, [{ startS: 0, gateS: 0.5, midi }], 0.5);
  return fundamentalHz(signal, SR);
}

const num = (value: number, decimals = 1) => String(Math.round(value * 10 ** decimals) / 10 ** decimals);
const khz = (hz: number) => (hz >= 1000 ? `${num(hz / 1000)} kHz` : `${Math.round(hz)} Hz`);

function centroidRange(word: Brightness): string {
  const { lowHz, highHz } = BRIGHTNESS_CENTROID_HZ[word];
  const k = (hz: number) => num(hz / 1000, 2);
  if (lowHz <= 0) return `< ${k(highHz)} kHz`;
  if (highHz >= 20000) return `> ${k(lowHz)} kHz`;
  return `${k(lowHz)}-${k(highHz)} kHz`;
}

function finding(rule: string, severity: Severity, params: LintParams, path?: string): MeasuredFinding {
  const messageKey = `lint.${rule}`;
  return {
    rule,
    severity,
    messageKey,
    params,
    ...(path === undefined ? {} : { path }),
    message: formatLintMessage(MEASURED_LINT_MESSAGES_EN[messageKey]!, params),
    measured: true,
  };
}

/** Measures a spec and returns the findings together with the raw measurements. */
export function measureSpecReport(spec: Spec): { findings: MeasuredFinding[]; measurements: Measurements } {
  const findings: MeasuredFinding[] = [];
  const index = new Map(spec.layers.map((l, i) => [l.id, i]));
  const path = (id: string, rest: string) => `layers[${index.get(id)}].${rest}`;

  const brightness = spec.layers.map((layer) => {
    const centroidHz = measureBrightness(spec, layer.id);
    return { layer: layer.id, centroidHz, word: brightnessWordOf(centroidHz) };
  });
  for (const m of brightness) {
    const layer = spec.layers[index.get(m.layer)!]!;
    const steps = Math.abs(BRIGHTNESS.indexOf(m.word) - BRIGHTNESS.indexOf(layer.ltv.brightness));
    if (steps === 0) continue;
    findings.push(
      finding(
        'measured-brightness',
        steps === 1 ? 'info' : 'warning',
        { layer: m.layer, brightness: layer.ltv.brightness, centroid: centroidRange(layer.ltv.brightness), measured: khz(m.centroidHz), measuredWord: m.word },
        path(m.layer, 'ltv.brightness'),
      ),
    );
  }

  let sidechain: SidechainMeasurement | undefined;
  const ducked = spec.sidechain ? sidechainedLayers(spec) : [];
  const carrier = melodyCarrier(spec);
  if (spec.sidechain && ducked.length > 0) {
    const target = ducked.find((l) => l.id === carrier.id) ?? ducked[0]!;
    sidechain = measureSidechain(spec, target.id);
    const sc = spec.sidechain;
    if (Math.abs(sidechain.depthDb - sc.duckDb) > MEASURE_TOLERANCE.duckDb) {
      findings.push(finding('measured-sidechain-depth', 'warning', { layer: target.id, measuredDb: num(sidechain.depthDb), duckDb: num(sc.duckDb) }, 'sidechain.duckDb'));
    }
    const beatMs = msPerBeat(spec.track.bpm);
    if (sidechain.recoveryMs === undefined) {
      if (sc.duckDb > MEASURE_TOLERANCE.recoveredDb) {
        findings.push(
          finding(
            'measured-sidechain-unrecovered',
            'warning',
            { layer: target.id, releaseMs: num(sc.releaseMs), residualDb: num(sidechain.residualDb), beatMs: num(beatMs, 2), bpm: String(spec.track.bpm) },
            'sidechain.releaseMs',
          ),
        );
      }
    } else if (sc.duckDb > MEASURE_TOLERANCE.recoveredDb && Math.abs(sidechain.recoveryMs - sc.releaseMs) > sc.releaseMs * MEASURE_TOLERANCE.recoveryFraction) {
      findings.push(
        finding('measured-sidechain-recovery', 'warning', { layer: target.id, measuredMs: num(sidechain.recoveryMs, 0), releaseMs: num(sc.releaseMs) }, 'sidechain.releaseMs'),
      );
    }
  }

  const onsets: Array<Measurements['onsets'][number]> = [];
  const transients = spec.layers.filter((l) => l.role === 'transient' && l.id !== carrier.id);
  if (transients.length > 0) {
    const coreMs = measureOnsetMs(spec, carrier.id);
    for (const layer of transients) {
      const layerMs = measureOnsetMs(spec, layer.id);
      if (coreMs === undefined || layerMs === undefined) continue;
      onsets.push({ layer: layer.id, core: carrier.id, layerMs, coreMs });
      const diff = Math.abs(layerMs - coreMs);
      if (diff > MEASURE_TOLERANCE.onsetMs) {
        findings.push(
          finding(
            'measured-onset-alignment',
            'warning',
            { layer: layer.id, core: carrier.id, diffMs: num(diff), maxMs: String(MEASURE_TOLERANCE.onsetMs) },
            path(layer.id, 'synth.envelope.attackMs'),
          ),
        );
      }
    }
  }

  const pitches: Array<Measurements['pitches'][number]> = [];
  const foundations = spec.layers.filter((l) => l.role === 'foundation' && l.id !== carrier.id);
  if (foundations.length > 0) {
    const melodyHz = measurePitchHz(spec, carrier.id);
    pitches.push({ layer: carrier.id, hz: melodyHz });
    for (const layer of foundations) {
      const hz = measurePitchHz(spec, layer.id);
      pitches.push({ layer: layer.id, hz });
      const semitones = 12 * Math.log2(melodyHz / hz);
      if (Math.abs(semitones - 12) * 100 > MEASURE_TOLERANCE.octaveCents) {
        findings.push(
          finding(
            'measured-foundation-octave',
            'warning',
            { layer: layer.id, core: carrier.id, foundationHz: num(hz), melodyHz: num(melodyHz), semitones: String(Math.round(semitones)) },
            path(layer.id, 'synth.octave'),
          ),
        );
      }
    }
  }

  return { findings, measurements: { brightness, sidechain, onsets, pitches } };
}

/** The measured lint findings of a spec (see measureSpecReport for the raw measurements). */
export function measureSpec(spec: Spec): MeasuredFinding[] {
  return measureSpecReport(spec).findings;
}
