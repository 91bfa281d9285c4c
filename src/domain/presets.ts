/**
 * Built-in presets: one JSON file per preset in `presets/`, in the same file format a user
 * exports and imports (see preset.ts). Read once, validated, cached, and handed out as shared,
 * deeply frozen objects: a lookup costs a search, not a copy (a vote's tally looks up the title
 * of every option on every pick). A caller that wants to change one builds a new object
 * (`{ ...preset.spec, track: { … } }`) or takes a `structuredClone`; an assignment into a preset
 * throws a TypeError.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { formatProblem, parseSpec } from './parse.js';
import { parsePreset, type Preset } from './preset.js';
import { deepFreeze } from './trusted.js';
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
    // The spec as the store knows a valid spec (migrated, frozen and trusted): a draft started from
    // a preset is not validated again.
    const spec = parseSpec(result.value.spec);
    if (!spec.ok) {
      for (const problem of spec.problems) errors.push(`${file}: spec${problem.path ? '.' : ': '}${formatProblem(problem) || 'is invalid'}`);
      continue;
    }
    presets.push(deepFreeze({ ...result.value, spec: spec.value }));
  }
  if (errors.length > 0) {
    throw new Error(`invalid preset file${errors.length === 1 ? '' : 's'} in ${dir}:\n  ${errors.join('\n  ')}`);
  }
  return presets.sort(comparePresets);
}

interface Folder {
  /** Deeply frozen, in display order. */
  readonly list: readonly Preset[];
  readonly byName: ReadonlyMap<string, Preset>;
}

const cache = new Map<string, Folder>();

/**
 * Every built-in preset, validated, in display order (calling, the article's approaches, then the
 * rest alphabetically). Files are read once per folder. The list is a new array each call; the
 * presets in it are shared and deeply frozen (see the top of this file). `dir` defaults to
 * `presetsDir()` (tests pass another folder). Throws an Error naming each bad file and problem
 * path when a preset file is invalid.
 */
export function loadBuiltinPresets(dir: string = presetsDir()): Preset[] {
  return [...cached(dir).list];
}

/** The validated presets of a folder, read once. */
function cached(dir: string): Folder {
  let folder = cache.get(dir);
  if (!folder) {
    const list = readPresets(dir);
    folder = { list, byName: new Map(list.map((p) => [p.name, p])) };
    cache.set(dir, folder);
  }
  return folder;
}

/** A built-in preset by name (case and surrounding spaces ignored; shared and deeply frozen), or undefined. */
export function getBuiltinPreset(name: string, dir: string = presetsDir()): Preset | undefined {
  const { byName } = cached(dir);
  return byName.get(name) ?? byName.get(name.trim().toLowerCase());
}

/** The built-in preset names, in display order. */
export function builtinPresetNames(dir: string = presetsDir()): string[] {
  return cached(dir).list.map((p) => p.name);
}
