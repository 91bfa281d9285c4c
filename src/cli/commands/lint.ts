/** `saltbot lint <spec.json|-> | --preset NAME [--strict] [--json]`. */
import { lintSpec } from '../../domain/lint.js';
import { checkArgs, countParts, findingJson, formatFinding, jsonReport, verdict, type Severity } from '../findings.js';
import { ok, type CliIO, type CommandResult } from '../io.js';

export async function lintCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { spec, label, strict, json } = await checkArgs('lint', args, io);
  const findings = lintSpec(spec);
  const v = verdict(findings, strict);
  if (json) return ok(jsonReport(label, strict, v, findings.map(findingJson)), v.exitCode);

  const lines = findings.map(formatFinding);
  lines.push(summary(label, v.counts, v.failed, strict));
  return ok(`${lines.join('\n')}\n`, v.exitCode);
}

function summary(label: string, counts: Record<Severity, number>, failed: boolean, strict: boolean): string {
  const total = counts.error + counts.warning + counts.info;
  if (total === 0) return `${label}: no findings`;
  const parts = countParts(counts);
  const outcome = failed ? (counts.error > 0 ? 'failed' : 'failed (--strict)') : 'passed';
  return `${label}: ${parts.join(', ')}; ${outcome}${!failed && !strict && counts.warning > 0 ? ' (use --strict to fail on warnings)' : ''}`;
}
