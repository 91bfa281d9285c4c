/** `saltbot lint <spec.json|-> | --preset NAME [--strict] [--json]`. */
import { lintSpec, type LintFinding } from '../../domain/lint.js';
import { parse } from '../args.js';
import { EXIT } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

type Severity = LintFinding['severity'];
const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export async function lintCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('lint', args, {
    preset: { type: 'string', short: 'p' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const { spec, label } = await loadSpec('lint', positionals, values.preset, io);
  const findings = lintSpec(spec);

  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  const failed = counts.error > 0 || (values.strict === true && counts.warning > 0);
  const exitCode = failed ? EXIT.failure : EXIT.ok;

  if (values.json) {
    const body = {
      source: label,
      strict: values.strict === true,
      passed: !failed,
      counts,
      findings: findings.map((f) => ({
        severity: f.severity,
        rule: f.rule,
        path: f.path ?? null,
        message: f.message,
        messageKey: f.messageKey,
        params: f.params,
      })),
    };
    return ok(`${JSON.stringify(body, null, 2)}\n`, exitCode);
  }

  const lines = findings.map(formatFinding);
  lines.push(summary(label, counts, failed, values.strict === true));
  return ok(`${lines.join('\n')}\n`, exitCode);
}

/** "warning sidechain-release sidechain.releaseMs: …" (no path: "info rule: …"). */
export function formatFinding(finding: LintFinding): string {
  const where = finding.path ? `${finding.rule} ${finding.path}` : finding.rule;
  return `${finding.severity} ${where}: ${finding.message}`;
}

function summary(label: string, counts: Record<Severity, number>, failed: boolean, strict: boolean): string {
  const total = counts.error + counts.warning + counts.info;
  if (total === 0) return `${label}: no findings`;
  const parts = SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${plural(s, counts[s])}`);
  const verdict = failed ? (counts.error > 0 ? 'failed' : 'failed (--strict)') : 'passed';
  return `${label}: ${parts.join(', ')}; ${verdict}${!failed && !strict && counts.warning > 0 ? ' (use --strict to fail on warnings)' : ''}`;
}

function plural(severity: Severity, n: number): string {
  if (severity === 'info') return 'info';
  return n === 1 ? severity : `${severity}s`;
}
