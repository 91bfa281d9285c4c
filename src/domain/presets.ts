/**
 * Built-in presets: one JSON file per preset in `presets/`, in the same file format a user
 * exports and imports (see preset.ts). Read once, validated, cached.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatProblem } from './parse.js';
import { parsePreset, type Preset } from './preset.js';
import { projectRoot } from '../util/root.js';

/**
 * The article's presets first, in the article's order (the full worked example, then approaches
 * 1-4); every other preset follows alphabetically.
 */
export const PRESET_ORDER: readonly string[] = ['calling', 'naive', 'layer-stack', 'chain-of-thought', 'reference-anchored'];


/** The built-in presets folder (`<project>/presets`), same from src/ under tsx/vitest and dist/src/. */
export function presetsDir(): string {
  return join(projectRoot(), 'presets');
}

function orderOf(name: string): number {
  const index = PRESET_ORDER.indexOf(name);
  return index === -1 ? PRESET_ORDER.length : index;
}

function comparePresets(a: Preset, b: Preset): number {
  return orderOf(a.name) - orderOf(b.name) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Reads and validates every `*.json` in `dir`; throws one Error listing every problem by file. */
function readPresets(dir: string): Preset[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    throw new Error(`cannot read the presets folder ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const presets: Preset[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (error) {
      errors.push(`${file}: is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    const result = parsePreset(raw);
    if (!result.ok) {
      for (const problem of result.problems) errors.push(`${file}: ${formatProblem(problem) || 'is invalid'}`);
      continue;
    }
    const expected = basename(file, '.json');
    if (result.value.name !== expected) {
      errors.push(`${file}: name: is "${result.value.name}" but must equal the file name "${expected}"`);
      continue;
    }
    presets.push(result.value);
  }
  if (errors.length > 0) {
    throw new Error(`invalid preset file${errors.length === 1 ? '' : 's'} in ${dir}:\n  ${errors.join('\n  ')}`);
  }
  return presets.sort(comparePresets);
}

const cache = new Map<string, readonly Preset[]>();

/**
 * Every built-in preset, validated, in display order (calling, the article's approaches, then the
 * rest alphabetically). Files are read once per folder; each call returns fresh copies, so a
 * caller may edit what it gets. `dir` defaults to `presetsDir()` (tests pass another folder).
 * Throws an Error naming each bad file and problem path when a preset file is invalid.
 */
export function loadBuiltinPresets(dir: string = presetsDir()): Preset[] {
  return structuredClone(cached(dir)) as Preset[];
}

/** The validated presets of a folder, read once (callers must not edit them: hand out copies). */
function cached(dir: string): readonly Preset[] {
  let presets = cache.get(dir);
  if (!presets) {
    presets = readPresets(dir);
    cache.set(dir, presets);
  }
  return presets;
}

/** A built-in preset by name (a fresh copy), or undefined. */
export function getBuiltinPreset(name: string, dir: string = presetsDir()): Preset | undefined {
  const lowered = name.trim().toLowerCase();
  const found = cached(dir).find((p) => p.name === lowered);
  return found ? (structuredClone(found) as Preset) : undefined;
}

/** The built-in preset names, in display order. */
export function builtinPresetNames(dir: string = presetsDir()): string[] {
  return cached(dir).map((p) => p.name);
}
