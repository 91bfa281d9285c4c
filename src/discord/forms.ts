/**
 * The form engine: a modal is a FormDef (≤ 5 fields) that reads its values from a spec and writes
 * them back. Opening prefills the current values and stamps the draft version into the custom_id.
 * Submitting merges field by field against that base version inside one atomic store update:
 * fields the member did not touch keep whatever others saved meanwhile, and the member is told
 * what changed under them. Invalid input is reported per field and nothing is saved.
 */
import type { APIModalSubmitInteraction } from 'discord-api-types/v10';
import { parseSpec, parseSpecEdit, type SpecProblem } from '../domain/parse.js';
import type { Spec, SpecInput } from '../domain/spec.js';
import type { MessageKey, Translator } from '../i18n/index.js';
import type { DraftRecord, HistoryEntry } from '../store/types.js';
import type { Invocation } from './command.js';
import { encodeAction, type FormId } from './customId.js';
import { UserError } from './errors.js';
import { modalValues, scopeOf } from './interaction.js';
import { modal, selectField, textField, type Reply } from './reply.js';

export type FieldValue = string | readonly string[];
export type FormValues = Record<string, FieldValue>;

export interface FieldDef {
  readonly id: string;
  readonly label: MessageKey;
  readonly description?: MessageKey;
  readonly kind: 'text' | 'select' | 'multiselect';
  readonly paragraph?: boolean;
  readonly maxLength?: number;
  readonly required?: boolean;
  /** Select options for this spec (values are data, labels localized by the caller's translator). */
  readonly options?: (spec: Spec, tr: Translator) => { value: string; label: string; description?: string }[];
  /** Spec paths (prefixes) this field writes, to name the field in validation errors. */
  readonly paths?: readonly string[];
}

export interface FormDef {
  readonly id: FormId;
  /** Modal title (≤ 45 characters once localized). */
  title(tr: Translator, layer?: string): string;
  /** History summary / contributor part, e.g. "track", "layer pluck". */
  part(layer?: string): string;
  readonly fields: readonly FieldDef[];
  /** Current values in form terms; a layer form returns blanks when the layer does not exist. */
  read(spec: Spec, layer?: string): FormValues;
  /**
   * A candidate spec from merged values (validated afterwards by the domain schema). Throws
   * UserError for input it cannot even interpret (e.g. a number that is not a number).
   */
  write(spec: Spec, values: FormValues, layer?: string): SpecInput;
  /** The layer id after saving (layer forms: the id may have been typed in this form). */
  layerAfter?(values: FormValues, layer?: string): string | undefined;
  /** Description shown under a field, computed from the spec (e.g. the release window). */
  hint?(fieldId: string, spec: Spec, tr: Translator): string | undefined;
}

export function same(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  const norm = (v: FieldValue | undefined) => (v === undefined ? '' : typeof v === 'string' ? v.trim() : [...v].sort().join('\u0000'));
  return norm(a) === norm(b);
}

/** The modal for a form, prefilled from the record. */
export function openForm(def: FormDef, record: DraftRecord, tr: Translator, layer?: string): Reply {
  if (def.fields.length > 5) throw new Error(`form ${def.id} has more than 5 fields`);
  const values = def.read(record.spec, layer);
  const components = def.fields.map((f) => {
    const description = def.hint?.(f.id, record.spec, tr) ?? (f.description ? tr(f.description) : undefined);
    if (f.kind === 'text') {
      const v = values[f.id];
      return textField({
        id: f.id,
        label: tr(f.label),
        ...(description ? { description } : {}),
        ...(typeof v === 'string' && v ? { value: v } : {}),
        required: f.required ?? false,
        paragraph: f.paragraph ?? false,
        ...(f.maxLength ? { maxLength: f.maxLength } : {}),
      });
    }
    const v = values[f.id];
    const selected = v === undefined ? [] : typeof v === 'string' ? (v ? [v] : []) : [...v];
    const options = f.options?.(record.spec, tr) ?? [];
    return selectField({
      id: f.id,
      label: tr(f.label),
      ...(description ? { description } : {}),
      options,
      selected,
      required: f.required ?? f.kind === 'select',
      ...(f.kind === 'multiselect' ? { min: 0, max: options.length } : {}),
    });
  });
  return modal({
    custom_id: encodeAction({ kind: 'form', form: def.id, base: record.version, ...(layer ? { layer } : {}) }),
    title: def.title(tr, layer),
    components,
  });
}

/** The submitted values of a form's fields (missing text = '', missing select = []). */
export function submittedValues(def: FormDef, interaction: APIModalSubmitInteraction): FormValues {
  const raw = modalValues(interaction);
  const out: FormValues = {};
  for (const f of def.fields) {
    const v = raw.get(f.id);
    if (f.kind === 'text') out[f.id] = typeof v === 'string' ? v : '';
    else out[f.id] = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  }
  return out;
}

/** Localized "field: reason" lines for validation problems. */
export function problemLines(problems: readonly SpecProblem[], tr: Translator, def?: FormDef): string[] {
  return problems.slice(0, 10).map((p) => {
    const field = def?.fields.find((f) => f.paths?.some((prefix) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`)));
    const name = field ? tr(field.label) : p.path || 'spec';
    const key = `forms.problems.${p.code}`;
    const params = { ...p.params, ...(p.code === 'type' ? { expected: tr(`forms.expected.${String(p.params.expected)}`) } : {}) };
    const localized = tr(key, params);
    return tr('errors.invalidField', { field: name, reason: localized === key ? p.message : localized });
  });
}

/**
 * Validates a candidate spec; a UserError listing every problem when invalid. With `base` (the
 * valid spec the candidate was built from), only the parts that differ from it are validated.
 */
export function validated(candidate: SpecInput, tr: Translator, def?: FormDef, base?: Spec): Spec {
  const result = base ? parseSpecEdit(base, candidate) : parseSpec(candidate);
  if (!result.ok) throw new UserError('errors.invalid', {}, problemLines(result.problems, tr, def));
  return result.value;
}

export interface SubmitOutcome {
  readonly record: DraftRecord;
  readonly previous: DraftRecord;
  /** Fields others changed since the member opened the form. */
  readonly changedUnder: readonly string[];
  /** Fields both changed (the member's value won). */
  readonly conflicts: readonly string[];
  /** Who saved in between. */
  readonly others: readonly string[];
  /** The history read with the saved draft's previous version (when the base was not current). */
  readonly history?: readonly HistoryEntry[];
  readonly layer?: string;
}

/** Applies a submitted form atomically with a field-wise merge against its base version. */
export async function submitForm(
  def: FormDef,
  inv: Invocation<APIModalSubmitInteraction>,
  base: number,
  layer?: string,
): Promise<SubmitOutcome> {
  const scope = scopeOf(inv.interaction);
  const { store } = inv.deps;
  const tr = inv.locales.t;
  const submitted = submittedValues(def, inv.interaction);
  let changedUnder: string[] = [];
  let conflicts: string[] = [];
  let others: string[] = [];
  let history: readonly HistoryEntry[] | undefined;
  const layerAfter = def.layerAfter?.(submitted, layer) ?? layer;

  const { record, previous } = await store.drafts.update(
    scope,
    inv.actor,
    def.part(layerAfter),
    async (current, context) => {
      changedUnder = [];
      conflicts = [];
      others = [];
      history = undefined;
      let baseSpec = current.spec;
      if (base !== current.version) {
        // Only the entries since the form's base version, consistent with `current` (an up-to-date form reads no history).
        const since = await context.history(base);
        history = since;
        const entry = since.find((h) => h.version === base);
        // The form was opened on a version the history no longer keeps: without the values the
        // member was shown, untouched (stale) fields would overwrite newer saves. Refuse instead.
        if (!entry) throw new UserError(base > current.version ? 'errors.outdated' : 'errors.formStale');
        baseSpec = entry.spec;
        others = [...new Set(since.filter((h) => h.version > base && h.version <= current.version && h.actor.id !== inv.actor.id).map((h) => h.actor.name))];
      }
      const baseVals = def.read(baseSpec, layer);
      const curVals = def.read(current.spec, layer);
      const merged: FormValues = {};
      for (const f of def.fields) {
        const mine = submitted[f.id];
        const userChanged = !same(mine, baseVals[f.id]);
        const movedUnder = !same(curVals[f.id], baseVals[f.id]);
        if (movedUnder) changedUnder.push(tr(f.label));
        if (userChanged && movedUnder && !same(mine, curVals[f.id])) conflicts.push(tr(f.label));
        merged[f.id] = userChanged ? mine! : (curVals[f.id] ?? mine!);
      }
      const spec = validated(def.write(current.spec, merged, layer), tr, def, current.spec);
      return { ...current, spec };
    },
    { parts: [def.part(layerAfter)] },
  );
  return { record, previous, changedUnder, conflicts, others, ...(history ? { history } : {}), ...(layerAfter ? { layer: layerAfter } : {}) };
}

/** The ephemeral confirmation lines after a save, including what changed under the member. */
export function savedLines(outcome: SubmitOutcome, tr: Translator, part: string): string[] {
  const lines = [tr('common.saved', { part, version: outcome.record.version })];
  if (outcome.changedUnder.length) {
    lines.push(tr('common.changedUnderYou', { names: outcome.others.join(', ') || '—', fields: outcome.changedUnder.join(', ') }));
  }
  if (outcome.conflicts.length) {
    lines.push(tr('common.conflict', { names: outcome.others.join(', ') || '—', fields: outcome.conflicts.join(', ') }));
  }
  return lines;
}

// ---- value helpers for FormDef implementations ----

/** "126" → 126; "" → undefined; "abc" → the raw text (so the schema reports "must be a number"). */
export function numberOrRaw(text: FieldValue | undefined): number | string | undefined {
  const s = typeof text === 'string' ? text.trim().replace(',', '.') : '';
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

/** "7, 25, 80" → [7, 25, 80] with undefined for empty slots; UserError when a slot is not a number. */
export function numberList(text: FieldValue | undefined, slots: number, label: string, tr: Translator): (number | undefined)[] {
  const s = typeof text === 'string' ? text.trim() : '';
  const parts = s === '' ? [] : s.split(/[,;/]| {2,}/).map((p) => p.trim());
  if (parts.length > slots) throw new UserError('errors.invalid', {}, [tr('errors.invalidField', { field: label, reason: tr('forms.problems.list') })]);
  const out: (number | undefined)[] = [];
  for (let i = 0; i < slots; i++) {
    const p = parts[i]?.replace(/(hz|khz|ms|db|%|cents?|¢|st)$/i, '').trim() ?? '';
    if (p === '') {
      out.push(undefined);
      continue;
    }
    const n = Number(p.replace(',', '.'));
    if (!Number.isFinite(n)) throw new UserError('errors.invalid', {}, [tr('errors.invalidField', { field: label, reason: tr('forms.problems.list') })]);
    out.push(n);
  }
  return out;
}

/** "200-16000" / "200 - 16k" → { lowHz, highHz } or undefined when empty; raw text when unreadable. */
export function bandOrRaw(text: FieldValue | undefined): { lowHz: number | string; highHz: number | string } | undefined {
  const s = typeof text === 'string' ? text.trim().toLowerCase().replace(/\s+/g, '') : '';
  if (s === '') return undefined;
  const m = /^(\d+(?:\.\d+)?)(k?)(?:hz)?[-–to]+(\d+(?:\.\d+)?)(k?)(?:hz)?$/.exec(s);
  if (!m) return { lowHz: s, highHz: s };
  const hz = (n: string, k: string) => Math.round(Number(n) * (k ? 1000 : 1));
  return { lowHz: hz(m[1]!, m[2]!), highHz: hz(m[3]!, m[4]!) };
}

export function textOrUndefined(v: FieldValue | undefined): string | undefined {
  const s = typeof v === 'string' ? v.trim() : '';
  return s === '' ? undefined : s;
}

export function first(v: FieldValue | undefined): string | undefined {
  return typeof v === 'string' ? v || undefined : v?.[0];
}

/** Drops undefined properties (so optional fields stay absent). */
export function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
