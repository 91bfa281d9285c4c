/** `saltbot chart <spec.json|-> | --preset NAME --out FILE [--svg] [--width N]`. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CHART_HEIGHT, CHART_MAX_WIDTH, CHART_WIDTH, renderChartSvg } from '../../chart/chart.js';
import { integerFlag, parse } from '../args.js';
import { describeFsError, usageError } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

export async function chartCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('chart', args, {
    preset: { type: 'string', short: 'p' },
    out: { type: 'string', short: 'o' },
    svg: { type: 'boolean' },
    width: { type: 'string', short: 'w' },
  });

  // Check the flags before reading the spec, so a usage mistake never waits on standard input.
  const svgOnly = values.svg === true;
  if (values.out === undefined && !svgOnly) {
    throw usageError('chart: needs --out FILE for the PNG (or --svg to print the SVG on standard output)');
  }
  if (values.out !== undefined && values.out.trim() === '') throw usageError('chart: --out: needs a file name');
  if (svgOnly && values.width !== undefined) throw usageError('chart: --width applies to the PNG, not to --svg');
  const width = values.width === undefined ? CHART_WIDTH : integerFlag('chart', 'width', values.width, CHART_WIDTH, CHART_MAX_WIDTH);

  const { spec } = await loadSpec('chart', positionals, values.preset, io);
  const svg = renderChartSvg(spec);
  if (values.out === undefined) return ok(svg);

  // The rasterizer (a native module) loads only when a PNG is wanted, so other commands start fast.
  const data = svgOnly ? Buffer.from(svg, 'utf8') : (await import('../../chart/png.js')).renderChartPng(spec, { width });
  const path = resolve(io.cwd ?? process.cwd(), values.out);
  try {
    await writeFile(path, data);
  } catch (error) {
    throw usageError(`chart: ${values.out}: cannot write the file (${describeFsError(error, 'write')})`);
  }
  const height = Math.round((width / CHART_WIDTH) * CHART_HEIGHT);
  const size = svgOnly ? 'SVG' : `PNG ${width}x${height}`;
  return ok(`wrote ${values.out} (${size}, ${formatBytes(data.length)})\n`);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${Math.round(bytes / 1024)} KiB`;
}
