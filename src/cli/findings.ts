/** What `saltbot lint` and `saltbot measure` share: counting findings, the verdict, and their text and JSON forms. */
import type { LintFinding } from '../domain/lint.js';
import type { Spec } from '../domain/spec.js';
import { parse } from './args.js';
import { EXIT } from './errors.js';
import type { CliIO } from './io.js';
import { loadSpec } from './source.js';

export type Severity = LintFinding['severity'];
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface Verdict {
  counts: Record<Severity, number>;
  /** An error, or a warning under --strict. */
  failed: boolean;
  exitCode: number;
}

/** `<command> <spec.json|-> | --preset NAME [--strict] [--json]`: the options and the spec they name. */
export async function checkArgs(command: string, args: readonly string[], io: CliIO): Promise<{ spec: Spec; label: string; strict: boolean; json: boolean }> {
  const { values, positionals } = parse(command, args, {
    preset: { type: 'string', short: 'p' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const { spec, label } = await loadSpec(command, positionals, values.preset, io);
  return { spec, label, strict: values.strict === true, json: values.json === true };
}

/** Counts the findings by severity; errors fail, and warnings too when `strict`. */
export function verdict(findings: readonly LintFinding[], strict: boolean): Verdict {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  const failed = counts.error > 0 || (strict && counts.warning > 0);
  return { counts, failed, exitCode: failed ? EXIT.failure : EXIT.ok };
}

/** The --json report: source, strict, passed, counts, the findings as given, then `extra`. */
export function jsonReport(label: string, strict: boolean, v: Verdict, findings: readonly object[], extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ source: label, strict, passed: !v.failed, counts: v.counts, findings, ...extra }, null, 2)}\n`;
}

/** A finding as the --json output lists it. */
export function findingJson(f: LintFinding) {
  return { severity: f.severity, rule: f.rule, path: f.path ?? null, message: f.message, messageKey: f.messageKey, params: f.params };
}

/** "warning sidechain-release sidechain.releaseMs: …" (no path: "info rule: …"). */
export function formatFinding(finding: LintFinding): string {
  const where = finding.path ? `${finding.rule} ${finding.path}` : finding.rule;
  return `${finding.severity} ${where}: ${finding.message}`;
}

/** "1 error, 2 warnings, 3 info" (the severities present). */
export function countParts(counts: Record<Severity, number>): string[] {
  return SEVERITIES.filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${plural(s, counts[s])}`);
}

function plural(severity: Severity, n: number): string {
  if (severity === 'info') return 'info';
  return n === 1 ? severity : `${severity}s`;
}
