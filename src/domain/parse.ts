/**
 * Parsing specs from untrusted input, with problems described as a field path and a reason in
 * plain words, plus a stable code and parameters so a UI can localize them.
 */
import { z } from 'zod';
import { SPEC_VERSION, SpecSchema, type Spec } from './spec.js';
import { isTrustedSpec, trustSpec } from './trusted.js';

export interface SpecProblem {
  /** Field path in dotted/indexed form, e.g. "layers[1].ltv.brightness"; "" for the whole spec. */
  readonly path: string;
  /** Stable code for localization: required, type, too_small, too_big, one_of, format, key, … */
  readonly code: string;
  /** English reason in plain words, e.g. "must be at most 200". */
  readonly message: string;
  /** Values to fill a localized message with. */
  readonly params: Readonly<Record<string, string | number>>;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: SpecProblem[] };

/** Formats a zod path as `layers[1].ltv.brightness`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? String(part) : `.${String(part)}`;
  }
  return out;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

const NOUN: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** Turns one zod issue into a plain-words problem. */
function toProblem(issue: z.core.$ZodIssue): SpecProblem {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      const input = (issue as { input?: unknown }).input;
      if (input === undefined) return { path, code: 'required', message: 'is required', params: {} };
      const expected = NOUN[issue.expected] ?? issue.expected;
      return {
        path,
        code: 'type',
        message: `must be ${expected}, not ${issue.expected === 'int' && typeof input === 'number' && Number.isFinite(input) ? input : describeType(input)}`,
        params: { expected: issue.expected },
      };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return min <= 1
          ? { path, code: 'empty', message: 'must not be empty', params: {} }
          : { path, code: 'too_short', message: `must be at least ${min} characters`, params: { min } };
      }
      if (issue.origin === 'array') {
        return { path, code: 'too_few', message: `must have at least ${min} item${min === 1 ? '' : 's'}`, params: { min } };
      }
      const op = issue.inclusive === false ? 'above' : 'at least';
      return { path, code: 'too_small', message: `must be ${op} ${min}`, params: { min } };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        return { path, code: 'too_long', message: `must be at most ${max} characters`, params: { max } };
      }
      if (issue.origin === 'array') {
        return { path, code: 'too_many', message: `must have at most ${max} item${max === 1 ? '' : 's'}`, params: { max } };
      }
      const op = issue.inclusive === false ? 'below' : 'at most';
      return { path, code: 'too_big', message: `must be ${op} ${max}`, params: { max } };
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      if (values.length === 1) {
        return { path, code: 'exact', message: `must be ${values[0]}`, params: { value: values[0]! } };
      }
      return { path, code: 'one_of', message: `must be one of: ${values.join(', ')}`, params: { values: values.join(', ') } };
    }
    case 'invalid_format':
      return { path, code: 'format', message: issue.message, params: {} };
    case 'unrecognized_keys':
      return {
        path,
        code: 'unknown_field',
        message: `has unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`,
        params: { fields: issue.keys.join(', ') },
      };
    case 'custom': {
      const reason = (issue.params as { reason?: string } | undefined)?.reason ?? 'custom';
      return { path, code: reason, message: issue.message, params: {} };
    }
    default:
      return { path, code: 'invalid', message: issue.message, params: {} };
  }
}

/** Plain-words problems for a zod error, in path order, without duplicates. */
export function problemsOf(error: z.ZodError): SpecProblem[] {
  return problemsOfIssues(error.issues);
}

function problemsOfIssues(issues: readonly z.core.$ZodIssue[]): SpecProblem[] {
  const seen = new Set<string>();
  const out: SpecProblem[] = [];
  for (const issue of issues) {
    const problem = toProblem(issue);
    const id = `${problem.path}\u0000${problem.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      out.push(problem);
    }
  }
  return out;
}

/** "layers[1].ltv.brightness: must be one of: dark, warm, …" */
export function formatProblem(problem: SpecProblem): string {
  return problem.path ? `${problem.path}: ${problem.message}` : problem.message;
}

/**
 * Upgrades older spec versions to the current one. Version 1 is the first, so this only
 * rejects unknown future versions with a clear message.
 */
function migrate(input: unknown): ParseResult<unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', code: 'type', message: `a spec must be a JSON object, not ${describeType(input)}`, params: { expected: 'object' } }] };
  }
  const version = (input as { version?: unknown }).version;
  if (version === undefined) {
    return { ok: false, problems: [{ path: 'version', code: 'required', message: `is required (this saltbot writes version ${SPEC_VERSION})`, params: {} }] };
  }
  if (typeof version === 'number' && version > SPEC_VERSION) {
    return {
      ok: false,
      problems: [{ path: 'version', code: 'newer_version', message: `is ${version}, newer than this saltbot understands (${SPEC_VERSION}); update saltbot`, params: { version, supported: SPEC_VERSION } }],
    };
  }
  return { ok: true, value: input };
}

/** True when plain JSON-like data holds a -0 somewhere (most input does not: then nothing is copied). */
function hasNegativeZero(value: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (Object.is(value, -0)) return true;
  if (Array.isArray(value)) return value.some((v) => hasNegativeZero(v, depth + 1));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) if (hasNegativeZero((value as Record<string, unknown>)[key], depth + 1)) return true;
  }
  return false;
}

/** Copies plain JSON-like data, turning -0 into 0 (JSON cannot carry -0, so specs never hold it). */
function withoutNegativeZero(value: unknown, depth = 0): unknown {
  if (depth === 0 && !hasNegativeZero(value)) return value;
  if (depth > 20) return value;
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map((v) => withoutNegativeZero(v, depth + 1));
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutNegativeZero(v, depth + 1)]));
  }
  return value;
}

/** Validates an unknown value (e.g. parsed JSON) as a spec. */
export function parseSpec(input: unknown): ParseResult<Spec> {
  // A spec that already passed (and is frozen) is valid as it is: no second walk.
  if (isTrustedSpec(input)) return { ok: true, value: input };
  const migrated = migrate(withoutNegativeZero(input));
  if (!migrated.ok) return migrated;
  const result = SpecSchema.safeParse(migrated.value, { reportInput: true });
  return result.success ? { ok: true, value: trustSpec(result.data) } : { ok: false, problems: problemsOf(result.error) };
}

const TOP_LEVEL = Object.keys(SpecSchema.shape) as (keyof typeof SpecSchema.shape)[];

/**
 * Validates a candidate built from a valid spec (a form's save): the top-level parts the candidate
 * shares with `base` (the very same objects of a trusted spec) are taken as they are, only the
 * parts that changed are validated. Same result as `parseSpec(candidate)` (a property test holds
 * the two together); anything unusual, or new layers, goes through `parseSpec` itself.
 */
export function parseSpecEdit(base: Spec, candidate: unknown): ParseResult<Spec> {
  if (!isTrustedSpec(base) || typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) return parseSpec(candidate);
  const input = candidate as Record<string, unknown>;
  // The layers carry the cross-field rule (unique ids): when they changed, validate everything.
  if (input.layers !== base.layers || input.version !== base.version || isTrustedSpec(candidate)) return parseSpec(candidate);
  const out: Record<string, unknown> = {};
  const issues: z.core.$ZodIssue[] = [];
  for (const key of TOP_LEVEL) {
    const value = input[key];
    const same = value === base[key];
    // As zod does: a key given as undefined stays (undefined), a missing one stays missing.
    if (same) {
      if (value !== undefined || key in input) out[key] = value;
      continue;
    }
    const result = SpecSchema.shape[key].safeParse(withoutNegativeZero(value), { reportInput: true });
    if (result.success) {
      if (result.data !== undefined || key in input) out[key] = result.data;
    } else {
      for (const issue of result.error.issues) issues.push({ ...issue, path: [key, ...issue.path] });
    }
  }
  if (issues.length) return { ok: false, problems: problemsOfIssues(issues) };
  return { ok: true, value: trustSpec(out as Spec) };
}

/** Validates spec JSON text; a syntax error is reported as a problem, never thrown. */
export function parseSpecJson(json: string): ParseResult<Spec> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message.replace(/^JSON\.parse: /, '') : 'unreadable';
    return { ok: false, problems: [{ path: '', code: 'json', message: `is not valid JSON (${detail})`, params: {} }] };
  }
  return parseSpec(raw);
}
