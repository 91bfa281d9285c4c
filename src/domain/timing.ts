/**
 * Tempo maths for 4/4 dance music: beats, bars, the sidechain release window and timestamps.
 */

export const BEATS_PER_BAR = 4;

/** Fraction of a quarter note within which a sidechain release should finish. */
export const RELEASE_WINDOW = { min: 0.7, max: 0.8 } as const;

/** Above this release (at 128 BPM) the lead is still ducked when the next kick lands. */
export const MUDDY_RELEASE_MS = 400;

/** Under this release the pump reads as an aggressive "EDM" pump. */
export const AGGRESSIVE_RELEASE_MS = 200;

/** Milliseconds in one beat (a quarter note): 60000 / BPM. */
export function msPerBeat(bpm: number): number {
  return 60000 / bpm;
}

/** Milliseconds in one 4/4 bar. */
export function msPerBar(bpm: number): number {
  return msPerBeat(bpm) * BEATS_PER_BAR;
}

export interface ReleaseWindow {
  /** Earliest recommended release end, ms (70 % of a quarter note). */
  readonly minMs: number;
  /** Latest recommended release end, ms (80 % of a quarter note). */
  readonly maxMs: number;
}

/** The sidechain release window: 70-80 % of a quarter note (328.125-375 ms at 128 BPM). */
export function releaseWindow(bpm: number): ReleaseWindow {
  const q = msPerBeat(bpm);
  return { minMs: q * RELEASE_WINDOW.min, maxMs: q * RELEASE_WINDOW.max };
}

/** Seconds from the start of bar 1 to the downbeat of `bar` (bars are numbered from 1). */
export function barStartSeconds(bar: number, bpm: number): number {
  return ((bar - 1) * msPerBar(bpm)) / 1000;
}

/**
 * Formats seconds as m:ss.s, rounded to the nearest tenth (30.476 s → "0:30.5").
 * Rounding happens before splitting minutes, so 59.96 s is "1:00.0", never "0:60.0".
 */
export function formatTimestamp(seconds: number): string {
  const tenths = Math.round(Math.max(0, seconds) * 10);
  const minutes = Math.floor(tenths / 600);
  const rest = tenths - minutes * 600;
  const secs = Math.floor(rest / 10);
  const frac = rest % 10;
  return `${minutes}:${String(secs).padStart(2, '0')}.${frac}`;
}

/** Timestamp of a bar's downbeat: bar 17 at 126 BPM → "0:30.5". */
export function barTimestamp(bar: number, bpm: number): string {
  return formatTimestamp(barStartSeconds(bar, bpm));
}

/** Rounds a millisecond figure for display: whole ms, or two decimals when not whole (468.75). */
export function formatMs(ms: number): string {
  const rounded = Math.round(ms * 100) / 100;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0$/, '');
}

export interface TempoTable {
  readonly bpm: number;
  readonly msPerBeat: number;
  readonly msPerBar: number;
  readonly releaseWindow: ReleaseWindow;
  /** Note values in ms, for delay and LFO settings. */
  readonly notes: Readonly<Record<'1/1' | '1/2' | '1/4' | '1/8' | '1/16' | '1/4.' | '1/8.' | '1/4T' | '1/8T', number>>;
}

/** Everything a producer dials in for a tempo. */
export function tempoTable(bpm: number): TempoTable {
  const q = msPerBeat(bpm);
  return {
    bpm,
    msPerBeat: q,
    msPerBar: msPerBar(bpm),
    releaseWindow: releaseWindow(bpm),
    notes: {
      '1/1': q * 4,
      '1/2': q * 2,
      '1/4': q,
      '1/8': q / 2,
      '1/16': q / 4,
      '1/4.': q * 1.5,
      '1/8.': q * 0.75,
      '1/4T': (q * 2) / 3,
      '1/8T': q / 3,
    },
  };
}
