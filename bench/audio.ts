/**
 * Audio preview benchmark (not a test). `benchAudio()` returns figures with targets so that
 * `npm run bench` can include them; run alone with `npx tsx bench/audio.ts`.
 *
 *   render      8 bars of the calling preset at 126 BPM (15.2 s stereo 44.1 kHz) in-process:
 *               median wall and CPU time of 7 warm runs; target <= 300 ms (>= 50x real time)
 *   encode      16-bit WAV encoding of that render
 *   measure     the measured lint of the calling preset (every layer rendered and measured)
 *   worker      renderPreviewInWorker round trip (4 bars) and the main thread's event-loop delay
 *               p99 while it runs, against idle (target: within 2x idle, plus 1 ms of timer noise)
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { measureSpec } from '../src/audio/measure.js';
import { PreviewPool } from '../src/audio/pool.js';
import { renderPreview } from '../src/audio/render.js';
import { encodeWav } from '../src/audio/wav.js';
import { getBuiltinPreset } from '../src/domain/presets.js';

export interface AudioFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** Upper bound the value must stay under (undefined = informational). */
  readonly max?: number;
  readonly pass?: boolean;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function figure(name: string, value: number, unit: string, max?: number): AudioFigure {
  const rounded = Math.round(value * 10) / 10;
  return max === undefined ? { name, value: rounded, unit } : { name, value: rounded, unit, max, pass: value <= max };
}

async function loopDelayP99(ms: number, during?: Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await Promise.all([during, new Promise((r) => setTimeout(r, ms))]);
  h.disable();
  return h.percentile(99) / 1e6;
}

export async function benchAudio(runs = 7): Promise<AudioFigure[]> {
  const spec = getBuiltinPreset('calling')!.spec;
  const figures: AudioFigure[] = [];

  for (let i = 0; i < 2; i++) renderPreview(spec, { bars: 8 }); // warm up the JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  let audio = renderPreview(spec, { bars: 8 });
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    audio = renderPreview(spec, { bars: 8 });
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const renderMs = median(wall);
  figures.push(figure('audio render 8 bars calling (wall, median)', renderMs, 'ms', 300));
  figures.push(figure('audio render 8 bars calling (CPU, median)', median(cpu), 'ms', 300));
  figures.push(figure('audio real-time factor (wall)', (audio.durationS * 1000) / renderMs, 'x'));

  const enc: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    bytes = encodeWav(audio).length;
    enc.push(performance.now() - t0);
  }
  figures.push(figure('audio WAV encode 8 bars (median)', median(enc), 'ms'));
  figures.push(figure('audio WAV size 8 bars', bytes / (1024 * 1024), 'MiB', 10));

  measureSpec(spec);
  const meas: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    measureSpec(spec);
    meas.push(performance.now() - t0);
  }
  figures.push(figure('audio measured lint calling (median)', median(meas), 'ms'));

  const pool = new PreviewPool();
  try {
    await pool.render(spec, { bars: 4 }); // start and warm the worker
    await pool.render(spec, { bars: 4 });
    const idle = await loopDelayP99(1000);
    const t0 = performance.now();
    const jobs = Promise.all([pool.render(spec, { bars: 8 }), pool.render(spec, { bars: 8 }), pool.render(spec, { bars: 8 })]);
    const busy = await loopDelayP99(200, jobs);
    const roundTrip = (performance.now() - t0) / 3;
    figures.push(figure('audio worker round trip 8 bars (mean of 3 queued)', roundTrip, 'ms'));
    figures.push(figure('event-loop delay p99 idle', idle, 'ms'));
    figures.push(figure('event-loop delay p99 during worker renders', busy, 'ms', Math.round((2 * idle + 1) * 10) / 10));
  } finally {
    await pool.close();
  }
  return figures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchAudio();
  for (const f of figures) {
    const verdict = f.pass === undefined ? '' : f.pass ? `  PASS (<= ${f.max} ${f.unit})` : `  MISS (target <= ${f.max} ${f.unit})`;
    console.log(`${f.name.padEnd(52)} ${String(f.value).padStart(8)} ${f.unit}${verdict}`);
  }
}
