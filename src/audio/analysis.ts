/**
 * Signal measurements on rendered audio (FFT by fft.js): averaged power spectra, spectral
 * centroid, fundamental frequency, gain curves, onsets.
 */
import FFT from 'fft.js';

const ffts = new Map<number, FFT>();
function fftOf(size: number): FFT {
  let f = ffts.get(size);
  if (!f) {
    f = new FFT(size);
    ffts.set(size, f);
  }
  return f;
}

/**
 * Welch power spectrum: Hann-windowed frames of `size` samples with 50 % overlap, power averaged.
 * Returns size/2 + 1 bins (bin k = k × sampleRate / size Hz). A signal shorter than one frame is
 * zero-padded.
 */
export function powerSpectrum(samples: Float32Array, size = 4096): Float64Array {
  const fft = fftOf(size);
  const input = new Float64Array(size);
  const out = fft.createComplexArray() as number[];
  const power = new Float64Array(size / 2 + 1);
  const window = new Float64Array(size);
  for (let i = 0; i < size; i++) window[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / size);
  const hop = size / 2;
  let frames = 0;
  for (let start = 0; frames === 0 || start + size <= samples.length; start += hop) {
    for (let i = 0; i < size; i++) input[i] = (samples[start + i] ?? 0) * window[i]!;
    fft.realTransform(out, input);
    for (let k = 0; k <= size / 2; k++) {
      const re = out[2 * k]!;
      const im = out[2 * k + 1]!;
      power[k]! += re * re + im * im;
    }
    frames += 1;
  }
  for (let k = 0; k < power.length; k++) power[k]! /= frames;
  return power;
}

/** Mono mix of a stereo render. */
export function mono(left: Float32Array, right: Float32Array): Float32Array {
  const out = new Float32Array(left.length);
  for (let i = 0; i < left.length; i++) out[i] = (left[i]! + right[i]!) / 2;
  return out;
}

/**
 * Brightness centroid, Hz: the power-weighted mean frequency of the spectrum after a
 * +15 dB/octave pre-emphasis (power × f⁵).
 *
 * Why the pre-emphasis: the LTV words' centroid bands (dark < 1 kHz … bright 5-8 kHz) describe
 * perceived brightness, and the domain pairs them with the low-pass cutoff (a supersaw at LP 6 kHz
 * is "bright"; lint.ts judges the words by the cutoff too). A raw centroid of a saw, whose
 * harmonics fall 6 dB per octave, sits near its fundamental whatever the filter does (about
 * 1 kHz for an A4 supersaw at LP 6 kHz). After +15 dB/octave a low-passed saw's centroid lands
 * at its cutoff (measured: LP24 800 Hz → 0.8 kHz, 6 kHz → 5.7 kHz, 8 kHz → 7.3 kHz), so the
 * measurement answers "how bright does it sound" on the scale the words use; band-passed noise
 * reads near its band, a bare triangle (harmonics up to 18 kHz) as brilliant.
 */
export function brightnessCentroidHz(power: Float64Array, sampleRate: number): number {
  const size = (power.length - 1) * 2;
  const binHz = sampleRate / size;
  let num = 0;
  let den = 0;
  for (let k = 1; k < power.length; k++) {
    const hz = k * binHz;
    if (hz < 20) continue;
    const khz = hz / 1000;
    const w = power[k]! * khz * khz * khz * khz * khz;
    num += w * hz;
    den += w;
  }
  return den > 0 ? num / den : 0;
}

/** Plain power-weighted spectral centroid, Hz (no weighting). */
export function spectralCentroidHz(power: Float64Array, sampleRate: number): number {
  const binHz = sampleRate / ((power.length - 1) * 2);
  let num = 0;
  let den = 0;
  for (let k = 1; k < power.length; k++) {
    num += power[k]! * k * binHz;
    den += power[k]!;
  }
  return den > 0 ? num / den : 0;
}

/**
 * The fundamental of a pitched sound, Hz: the strongest spectral peak between 25 Hz and 5 kHz,
 * refined by parabolic interpolation on the log spectrum; then, if a peak at a half or a third of
 * that frequency holds at least 10 % of its power, the lowest such subharmonic (a sound whose
 * second harmonic is louder than its fundamental still reads at its fundamental).
 */
export function fundamentalHz(samples: Float32Array, sampleRate: number, size = 16384): number {
  const power = powerSpectrum(samples, size);
  const binHz = sampleRate / size;
  const lo = Math.max(1, Math.floor(25 / binHz));
  const hi = Math.min(power.length - 2, Math.ceil(5000 / binHz));
  let best = lo;
  for (let k = lo; k <= hi; k++) if (power[k]! > power[best]!) best = k;
  const peakNear = (center: number): number => {
    const from = Math.max(lo, Math.floor(center * 0.97));
    const to = Math.min(hi, Math.ceil(center * 1.03));
    let b = from;
    for (let k = from; k <= to; k++) if (power[k]! > power[b]!) b = k;
    return b;
  };
  for (const divisor of [3, 2]) {
    const k = peakNear(best / divisor);
    if (k >= lo && power[k]! >= 0.1 * power[best]! && isLocalPeak(power, k)) {
      best = k;
      break;
    }
  }
  return refinePeak(power, best) * binHz;
}

function isLocalPeak(power: Float64Array, k: number): boolean {
  return power[k]! >= (power[k - 1] ?? 0) && power[k]! >= (power[k + 1] ?? 0);
}

function refinePeak(power: Float64Array, k: number): number {
  const a = Math.log(power[k - 1]! + 1e-30);
  const b = Math.log(power[k]! + 1e-30);
  const c = Math.log(power[k + 1]! + 1e-30);
  const denom = a - 2 * b + c;
  const offset = denom !== 0 ? (0.5 * (a - c)) / denom : 0;
  return k + Math.max(-0.5, Math.min(0.5, offset));
}

/**
 * Gain of `wet` relative to `dry` over time, dB, one value per `hopMs`: the ratio of their RMS in
 * windows of `windowMs` centred on each hop. Both renders must be identical but for the gain.
 */
export function gainCurveDb(dry: Float32Array, wet: Float32Array, sampleRate: number, hopMs = 1, windowMs = 3): Float64Array {
  const hop = Math.max(1, Math.round((hopMs / 1000) * sampleRate));
  const half = Math.max(1, Math.round((windowMs / 2000) * sampleRate));
  const n = Math.floor(dry.length / hop);
  const out = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    const c = h * hop;
    let d = 0;
    let w = 0;
    for (let i = Math.max(0, c - half); i < Math.min(dry.length, c + half); i++) {
      d += dry[i]! * dry[i]!;
      w += wet[i]! * wet[i]!;
    }
    out[h] = d > 0 ? 10 * Math.log10(Math.max(w, 1e-30) / d) : 0;
  }
  return out;
}

/**
 * The onset of a note that starts at `fromS`: the first time after it at which the absolute
 * signal reaches half of its peak within the next `searchMs`. Returns seconds, or undefined
 * when the signal stays silent.
 */
export function onsetS(samples: Float32Array, sampleRate: number, fromS: number, searchMs = 150): number | undefined {
  const from = Math.max(0, Math.round(fromS * sampleRate));
  const to = Math.min(samples.length, from + Math.round((searchMs / 1000) * sampleRate));
  let peak = 0;
  for (let i = from; i < to; i++) peak = Math.max(peak, Math.abs(samples[i]!));
  if (peak === 0) return undefined;
  for (let i = from; i < to; i++) if (Math.abs(samples[i]!) >= peak / 2) return i / sampleRate;
  return undefined;
}
