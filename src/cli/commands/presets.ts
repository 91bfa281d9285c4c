/** `saltbot presets [--json]`: the built-in presets as a table or JSON. */
import { loadBuiltinPresets } from '../../domain/presets.js';
import { parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CommandResult } from '../io.js';
import { table } from '../table.js';

export function presetsCommand(args: readonly string[]): CommandResult {
  const { values, positionals } = parse('presets', args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw usageError(`presets: unexpected argument "${positionals[0]}" (see saltbot presets --help)`);

  const presets = loadBuiltinPresets();
  if (values.json) {
    const rows = presets.map((p) => ({
      name: p.name,
      title: p.title,
      description: p.description,
      bpm: p.spec.track.bpm,
      key: p.spec.track.key,
      style: p.spec.track.style,
      layers: p.spec.layers.map((l) => l.id),
      spec: p.spec,
    }));
    return ok(`${JSON.stringify(rows, null, 2)}\n`);
  }
  if (presets.length === 0) return ok('No built-in presets.\n');

  const body = table(
    ['NAME', 'BPM', 'KEY', 'TITLE / DESCRIPTION'],
    presets.map((p) => [p.name, String(p.spec.track.bpm), p.spec.track.key, `${p.title}: ${p.description}`]),
    { alignRight: [1] },
  );
  return ok(`${body}\nRender one with: saltbot render --preset ${presets[0]!.name}\n`);
}
