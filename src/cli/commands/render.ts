/** `saltbot render <spec.json|-> | --preset NAME [--compact N] [--cot] [--anchor] [--target T [--budget N]]`. */
import { COMPACT_MIN_BUDGET, renderCompact } from '../../domain/compact.js';
import { renderPrompt } from '../../domain/render.js';
import { TARGETS, budgetRange, isTarget, renderTarget, wordCount, type Target, type TargetOutput } from '../../domain/targets/index.js';
import { integerFlag, parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

export async function renderCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('render', args, {
    preset: { type: 'string', short: 'p' },
    compact: { type: 'string', short: 'c' },
    cot: { type: 'boolean' },
    anchor: { type: 'boolean' },
    target: { type: 'string', short: 't' },
    budget: { type: 'string', short: 'b' },
  });

  // Check the flags before reading the spec, so a usage mistake never waits on standard input.
  const budget = values.compact === undefined ? undefined : compactBudget(values.compact);
  if (budget !== undefined && (values.cot || values.anchor)) {
    throw usageError(`render: --${values.cot ? 'cot' : 'anchor'} applies to the full prompt, not to --compact`);
  }

  if (values.target !== undefined || values.budget !== undefined) {
    const target = targetFlag(values.target);
    if (values.compact !== undefined) throw usageError('render: use --target compact --budget N or --compact N, not both');
    if (values.cot || values.anchor) throw usageError(`render: --${values.cot ? 'cot' : 'anchor'} applies to the full prompt, not to --target`);
    const range = budgetRange(target);
    if (values.budget !== undefined && !range) {
      throw usageError(`render: --budget: the ${target} profile has a fixed budget per field (budgets choose: ${TARGETS.filter((t) => budgetRange(t)).join(', ')})`);
    }
    const budget = values.budget === undefined ? undefined : integerFlag('render', 'budget', values.budget, range!.min, range!.max);
    const { spec } = await loadSpec('render', positionals, values.preset, io);
    return ok(formatTarget(renderTarget(spec, target, budget === undefined ? {} : { budget })));
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

function targetFlag(raw: string | undefined): Target {
  if (raw === undefined) throw usageError('render: --budget needs --target (or use --compact N)');
  if (!isTarget(raw)) throw usageError(`render: --target: must be one of ${TARGETS.join(', ')}, not "${raw}"`);
  return raw;
}

/** Each field under a header line: "== style (812/1000) ==", "== description (11/15 words, 70/150) ==". */
export function formatTarget(output: TargetOutput): string {
  return output.fields
    .map((f) => {
      const words = f.maxWords !== undefined ? `${wordCount(f.text)}/${f.maxWords} words, ` : '';
      const count = f.budget !== undefined ? `${f.text.length}/${f.budget}` : `${f.text.length}`;
      return `== ${f.name} (${words}${count}) ==\n${f.text}\n`;
    })
    .join('\n');
}
