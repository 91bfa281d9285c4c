/** `saltbot measure <spec.json|-> | --preset NAME [--strict] [--json]`: the measured lint. */
import { measureSpecReport } from '../../audio/measure.js';
import { checkArgs, countParts, findingJson, formatFinding, jsonReport, verdict } from '../findings.js';
import { ok, type CliIO, type CommandResult } from '../io.js';

export async function measureCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { spec, label, strict, json } = await checkArgs('measure', args, io);
  const { findings, measurements } = measureSpecReport(spec);
  const v = verdict(findings, strict);
  const { counts, failed } = v;
  if (json) return ok(jsonReport(label, strict, v, findings.map((f) => ({ ...findingJson(f), measured: true })), { measurements }), v.exitCode);

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
  lines.push(total === 0 ? `${label}: no measured findings` : `${label}: ${countParts(counts).join(', ')}; ${failed ? 'failed' : 'passed'}`);
  return ok(`${lines.join('\n')}\n`, v.exitCode);
}
