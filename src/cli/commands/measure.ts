/** `saltbot measure <spec.json|-> | --preset NAME [--strict] [--json]`: the measured lint. */
import { measureSpecReport } from '../../audio/measure.js';
import { parse } from '../args.js';
import { EXIT } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';
import { formatFinding } from './lint.js';

export async function measureCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('measure', args, {
    preset: { type: 'string', short: 'p' },
    strict: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const { spec, label } = await loadSpec('measure', positionals, values.preset, io);
  const { findings, measurements } = measureSpecReport(spec);
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of findings) counts[f.severity] += 1;
  const failed = counts.error > 0 || (values.strict === true && counts.warning > 0);
  const exitCode = failed ? EXIT.failure : EXIT.ok;

  if (values.json) {
    const body = {
      source: label,
      strict: values.strict === true,
      passed: !failed,
      counts,
      findings: findings.map((f) => ({ severity: f.severity, rule: f.rule, path: f.path ?? null, message: f.message, messageKey: f.messageKey, params: f.params, measured: true })),
      measurements,
    };
    return ok(`${JSON.stringify(body, null, 2)}\n`, exitCode);
  }

  const lines = findings.map(formatFinding);
  lines.push('measurements:');
  for (const b of measurements.brightness) lines.push(`  ${b.layer}: brightness centroid ${Math.round(b.centroidHz)} Hz (${b.word})`);
  const sc = measurements.sidechain;
  if (sc) {
    const recovery = sc.recoveryMs === undefined ? `not within 1 dB before the next kick (${sc.residualDb.toFixed(1)} dB left)` : `back within 1 dB after ${Math.round(sc.recoveryMs)} ms`;
    lines.push(`  ${sc.layer}: sidechain ducks ${sc.depthDb.toFixed(1)} dB, ${recovery}`);
  }
  for (const o of measurements.onsets) lines.push(`  ${o.layer}: onset ${o.layerMs.toFixed(1)} ms after note-on (${o.core}: ${o.coreMs.toFixed(1)} ms)`);
  for (const p of measurements.pitches) lines.push(`  ${p.layer}: fundamental ${p.hz.toFixed(1)} Hz`);
  const total = counts.error + counts.warning + counts.info;
  const parts = (['error', 'warning', 'info'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${s === 'info' ? 'info' : counts[s] === 1 ? s : `${s}s`}`);
  lines.push(total === 0 ? `${label}: no measured findings` : `${label}: ${parts.join(', ')}; ${failed ? 'failed' : 'passed'}`);
  return ok(`${lines.join('\n')}\n`, exitCode);
}
