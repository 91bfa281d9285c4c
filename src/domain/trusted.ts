/**
 * Values already known to be valid, so hot paths do not validate them again.
 *
 * A spec that passed the schema is deeply frozen and remembered (by identity, in a WeakSet):
 * frozen, it cannot become invalid later, and validating it again would only repeat the same
 * work. A draft edit otherwise validates the same spec three or four times (read, merge, write,
 * card refresh); with this, only new input is validated.
 */
import type { Spec } from './spec.js';

const trustedSpecs = new WeakSet<object>();

/** Freezes a plain value and everything in it (stops at objects that are already frozen). */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else {
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Marks a spec that passed the schema as valid for good (freezing it first). */
export function trustSpec<T extends Spec>(spec: T): T {
  deepFreeze(spec);
  trustedSpecs.add(spec);
  return spec;
}

/** True for a spec object that passed the schema (and, frozen, is still exactly that). */
export function isTrustedSpec(value: unknown): value is Spec {
  return typeof value === 'object' && value !== null && trustedSpecs.has(value);
}
