/** `saltbot patch <spec.json|-> | --preset NAME [--synth serum|sylenth1]`: the producer's patch sheets. */
import { SYNTHS, patchSheet, renderPatchSheet, type SynthName } from '../../domain/patch.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

export async function patchCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('patch', args, {
    preset: { type: 'string', short: 'p' },
    synth: { type: 'string', short: 's' },
  });
  const raw = values.synth;
  if (raw !== undefined && !(SYNTHS as readonly string[]).includes(raw.toLowerCase())) {
    throw usageError(`patch: --synth: must be one of ${SYNTHS.join(', ')}, not "${raw}"`);
  }
  const synths: readonly SynthName[] = raw === undefined ? SYNTHS : [raw.toLowerCase() as SynthName];
  const { spec } = await loadSpec('patch', positionals, values.preset, io);
  return ok(`${synths.map((s) => renderPatchSheet(patchSheet(spec, s))).join('\n\n')}\n`);
}
