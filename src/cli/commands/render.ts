/** `saltbot render <spec.json|-> | --preset NAME [--compact N] [--cot] [--anchor]`. */
import { COMPACT_MIN_BUDGET, renderCompact } from '../../domain/compact.js';
import { renderPrompt } from '../../domain/render.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

export async function renderCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('render', args, {
    preset: { type: 'string', short: 'p' },
    compact: { type: 'string', short: 'c' },
    cot: { type: 'boolean' },
    anchor: { type: 'boolean' },
  });

  // Check the flags before reading the spec, so a usage mistake never waits on standard input.
  const budget = values.compact === undefined ? undefined : compactBudget(values.compact);
  if (budget !== undefined && (values.cot || values.anchor)) {
    throw usageError(`render: --${values.cot ? 'cot' : 'anchor'} applies to the full prompt, not to --compact`);
  }

  const { spec } = await loadSpec('render', positionals, values.preset, io);
  const prompt =
    budget === undefined
      ? renderPrompt(spec, {
          chainOfThought: values.cot === true || spec.extras.chainOfThought,
          referenceAnchor: values.anchor === true || spec.extras.referenceAnchor,
        })
      : renderCompact(spec, budget);
  return ok(prompt.endsWith('\n') ? prompt : `${prompt}\n`);
}

function compactBudget(raw: string): number {
  const text = raw.trim();
  const value = /^\+?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw usageError(`render: --compact: must be a positive whole number of characters, not "${raw}"`);
  }
  if (value < COMPACT_MIN_BUDGET) {
    throw usageError(`render: --compact: must be at least ${COMPACT_MIN_BUDGET} characters (room for the tempo and the key)`);
  }
  return value;
}
