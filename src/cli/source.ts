/**
 * Where a command's spec comes from: a JSON file (a bare spec or a preset file), standard input
 * (`-`), or a built-in preset (`--preset NAME`). Every way this can fail is a usage error (exit 2)
 * whose lines name the source, the field path and the reason.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { formatProblem, parseSpec, parseSpecJson, type SpecProblem } from '../domain/parse.js';
import { PRESET_FORMAT, parsePreset } from '../domain/preset.js';
import { getBuiltinPreset, loadBuiltinPresets } from '../domain/presets.js';
import type { Spec } from '../domain/spec.js';
import { CliError, describeFsError, usageError } from './errors.js';
import type { CliIO } from './io.js';

/** Larger than any valid spec by orders of magnitude; guards against reading a wrong file. */
const MAX_SPEC_BYTES = 1_000_000;

export const STDIN_LABEL = '<stdin>';

export interface LoadedSpec {
  readonly spec: Spec;
  /** How to name the source in messages: the file path as given, "<stdin>" or `preset "calling"`. */
  readonly label: string;
}

/**
 * Resolves the spec a command works on from its positionals and `--preset`.
 * Exactly one source is allowed.
 */
export async function loadSpec(
  command: string,
  positionals: readonly string[],
  presetName: string | undefined,
  io: CliIO,
): Promise<LoadedSpec> {
  if (positionals.length > 1) {
    throw usageError(`${command}: expected one spec file, got ${positionals.length} (${positionals.join(', ')})`);
  }
  const file = positionals[0];
  if (file !== undefined && presetName !== undefined) {
    throw usageError(`${command}: give either a spec file or --preset, not both`);
  }
  if (presetName !== undefined) return { spec: builtinPreset(presetName).spec, label: `preset "${presetName}"` };
  if (file === undefined) {
    throw usageError(`${command}: needs a spec file (or - for standard input) or --preset NAME (see saltbot ${command} --help)`);
  }
  const label = file === '-' ? STDIN_LABEL : file;
  const text = file === '-' ? await readStdin(io) : await readSpecFile(file, io);
  return { spec: parseSpecText(text, label), label };
}

/** A built-in preset by name; an unknown name is a usage error listing the available names. */
export function builtinPreset(name: string) {
  const preset = getBuiltinPreset(name);
  if (preset) return preset;
  const names = loadBuiltinPresets().map((p) => p.name);
  throw usageError(
    names.length > 0
      ? `unknown preset "${name}"; available presets: ${names.join(', ')}`
      : `unknown preset "${name}"; there are no built-in presets`,
  );
}

/** Parses spec JSON text that holds either a bare spec or a preset file (its spec is used). */
export function parseSpecText(text: string, label: string): Spec {
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    // parseSpecJson words the syntax error the same way everywhere.
    const result = parseSpecJson(json);
    throw problemsError(label, result.ok ? [] : result.problems);
  }

  const format = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as { format?: unknown }).format : undefined;
  if (format === PRESET_FORMAT) {
    const preset = parsePreset(raw);
    if (!preset.ok) throw problemsError(label, preset.problems);
    return preset.value.spec;
  }
  if (format !== undefined) {
    throw problemsError(label, [
      { path: 'format', code: 'exact', message: `must be ${PRESET_FORMAT} for a preset file (a bare spec has no format field)`, params: {} },
    ]);
  }
  const result = parseSpec(raw);
  if (!result.ok) throw problemsError(label, result.problems);
  return result.value;
}

function problemsError(label: string, problems: readonly SpecProblem[]) {
  const lines = problems.length > 0 ? problems.map((p) => `${label}: ${formatProblem(p)}`) : [`${label}: is not a valid spec`];
  return usageError(lines);
}

async function readSpecFile(file: string, io: CliIO): Promise<string> {
  const path = resolve(io.cwd ?? process.cwd(), file);
  let buffer: Buffer;
  try {
    buffer = await readFile(path);
  } catch (error) {
    throw usageError(`${file}: cannot read the file (${describeFsError(error)})`);
  }
  if (buffer.length > MAX_SPEC_BYTES) throw usageError(`${file}: is too large to be a spec (over ${MAX_SPEC_BYTES} bytes)`);
  return buffer.toString('utf8');
}

async function readStdin(io: CliIO): Promise<string> {
  const stream = io.stdin ?? process.stdin;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk);
      size += buffer.length;
      if (size > MAX_SPEC_BYTES) throw usageError(`${STDIN_LABEL}: is too large to be a spec (over ${MAX_SPEC_BYTES} bytes)`);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw usageError(`${STDIN_LABEL}: cannot read standard input (${describeFsError(error)})`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
