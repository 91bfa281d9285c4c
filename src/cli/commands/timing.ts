/** `saltbot timing --bpm N [--json]`: tempo maths for producers. */
import { LIMITS } from '../../domain/spec.js';
import { barTimestamp, barStartSeconds, formatMs, tempoTable, type TempoTable } from '../../domain/timing.js';
import { integerFlag, parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CommandResult } from '../io.js';
import { table } from '../table.js';

/** Bars whose downbeats are worth knowing in 8/16-bar dance arrangements. */
export const EXAMPLE_BARS = [1, 9, 17, 33, 65] as const;

const NOTE_LABELS: Readonly<Record<keyof TempoTable['notes'], string>> = {
  '1/1': 'whole note',
  '1/2': 'half note',
  '1/4': 'quarter note (one beat)',
  '1/8': 'eighth note',
  '1/16': 'sixteenth note',
  '1/4.': 'dotted quarter',
  '1/8.': 'dotted eighth',
  '1/4T': 'quarter triplet',
  '1/8T': 'eighth triplet',
};

export function timingCommand(args: readonly string[]): CommandResult {
  const { values, positionals } = parse('timing', args, {
    bpm: { type: 'string', short: 'b' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw usageError(`timing: unexpected argument "${positionals[0]}" (write --bpm ${positionals[0]})`);
  if (values.bpm === undefined) throw usageError('timing: needs --bpm N (see saltbot timing --help)');
  const bpm = integerFlag('timing', 'bpm', values.bpm, LIMITS.bpm.min, LIMITS.bpm.max);
  const t = tempoTable(bpm);
  const noteKeys = Object.keys(NOTE_LABELS) as (keyof TempoTable['notes'])[];

  if (values.json) {
    const body = {
      bpm,
      msPerBeat: t.msPerBeat,
      msPerBar: t.msPerBar,
      releaseWindow: t.releaseWindow,
      notes: t.notes,
      bars: EXAMPLE_BARS.map((bar) => ({ bar, seconds: barStartSeconds(bar, bpm), timestamp: barTimestamp(bar, bpm) })),
    };
    return ok(`${JSON.stringify(body, null, 2)}\n`);
  }

  const out: string[] = [];
  out.push(`Tempo: ${bpm} BPM (4/4)`);
  out.push(`  1 beat: ${formatMs(t.msPerBeat)} ms`);
  out.push(`  1 bar:  ${formatMs(t.msPerBar)} ms`);
  out.push('');
  out.push(`Sidechain release window (70-80 % of a beat): ${formatMs(t.releaseWindow.minMs)}-${formatMs(t.releaseWindow.maxMs)} ms`);
  out.push('');
  out.push('Note values:');
  out.push(
    indent(table(['NOTE', 'MS', ''], noteKeys.map((k) => [k, formatMs(t.notes[k]), NOTE_LABELS[k]]), { alignRight: [1] })),
  );
  out.push('');
  out.push('Bar downbeats:');
  out.push(indent(table(['BAR', 'TIME'], EXAMPLE_BARS.map((bar) => [String(bar), barTimestamp(bar, bpm)]), { alignRight: [0] })));
  return ok(`${out.join('\n')}\n`);
}

function indent(block: string): string {
  return block
    .trimEnd()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
