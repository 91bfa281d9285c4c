/**
 * Shared pieces of the edit forms: option lists, number/list parsing that collects every problem
 * (so one submit names every bad field), layer lookup and layer validation.
 */
import { problemsOf, parseSpec } from '../../domain/parse.js';
import { LayerSchema, type Layer, type Spec, type SpecInput } from '../../domain/spec.js';
import type { MessageKey, Params, Translator } from '../../i18n/index.js';
import { UserError } from '../errors.js';
import { numberList, numberOrRaw, problemLines, type FieldValue, type FormDef } from '../forms.js';

export type Option = { value: string; label: string; description?: string };

/** Options for a vocabulary word list; descriptions from forms.vocab.<group>.<word>. */
export function vocabOptions(words: readonly string[], group: 'brightness' | 'movement' | 'density' | 'edge', tr: Translator): Option[] {
  return words.map((w) => ({ value: w, label: w, description: tr(`forms.vocab.${group}.${w}`) }));
}

/** "7, 25, 80" from [7, 25, 80]; empty slots stay empty (", 25"); trailing empties dropped. */
export function listText(values: readonly (number | undefined)[]): string {
  let end = values.length;
  while (end > 0 && values[end - 1] === undefined) end--;
  return values
    .slice(0, end)
    .map((v) => (v === undefined ? '' : String(v)))
    .join(', ');
}

/** A single number with an optional unit ("7 dB", "350ms"); raw text when unreadable (the schema names it). */
export function num(v: FieldValue | undefined): number | string | undefined {
  const s = typeof v === 'string' ? v.trim().replace(/\s*(khz|hz|ms|db|%|bpm|cents?)$/i, '') : '';
  return numberOrRaw(s);
}

export function str(n: number | undefined): string {
  return n === undefined ? '' : String(n);
}

/** Collects localized "field: reason" lines across a whole form before failing once. */
export class Problems {
  readonly lines: string[] = [];
  constructor(private readonly tr: Translator) {}

  list(text: FieldValue | undefined, slots: number, label: MessageKey): (number | undefined)[] {
    try {
      return numberList(text, slots, this.tr(label), this.tr);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      this.lines.push(...error.details);
      return Array.from({ length: slots }, () => undefined);
    }
  }

  add(label: MessageKey, reason: MessageKey, params?: Params): void {
    this.lines.push(this.tr('errors.invalidField', { field: this.tr(label), reason: this.tr(reason, params) }));
  }

  /** Throws every collected line plus the schema's problems with the candidate spec. */
  finishSpec(candidate: SpecInput, def: FormDef): SpecInput {
    if (this.lines.length === 0) return candidate;
    const result = parseSpec(candidate);
    const schema = result.ok ? [] : problemLines(result.problems, this.tr, def);
    throw new UserError('errors.invalid', {}, [...this.lines, ...schema]);
  }

  /** Validates one layer (field paths of layer forms are relative to the layer) with the collected lines. */
  finishLayer(candidate: unknown, def: FormDef): Layer {
    const result = LayerSchema.safeParse(candidate);
    const schema = result.success ? [] : problemLines(problemsOf(result.error), this.tr, def);
    const all = [...this.lines, ...schema];
    if (all.length || !result.success) throw new UserError('errors.invalid', {}, all);
    return result.data;
  }
}

export function unknownLayer(spec: Spec, id: string): UserError {
  return new UserError('errors.unknownLayer', { layer: id, layers: spec.layers.map((l) => l.id).join(', ') });
}

/** The index of a layer; errors.unknownLayer listing the existing ids when absent. */
export function layerIndex(spec: Spec, id: string): number {
  const i = spec.layers.findIndex((l) => l.id === id);
  if (i < 0) throw unknownLayer(spec, id);
  return i;
}

export function findLayer(spec: Spec, id: string | undefined): Layer | undefined {
  return id === undefined ? undefined : spec.layers.find((l) => l.id === id);
}

/** A spec with layer i replaced. */
export function withLayer(spec: Spec, index: number, layer: Layer): SpecInput {
  const layers = spec.layers.slice();
  layers[index] = layer;
  return { ...spec, layers };
}

/** Drops undefined properties and returns undefined for an object left empty. */
export function nonEmpty<T extends object>(obj: T): T | undefined {
  const out = Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
  return Object.keys(out).length ? out : undefined;
}
