/**
 * Zod schemas for every value the store writes. Everything read back is validated with these,
 * so a corrupt or foreign value surfaces as StoreCorruptError instead of a crash further down.
 */
import { z } from 'zod';
import { SpecSchema, type Spec } from '../domain/spec.js';
import { deepFreeze, isTrustedSpec, trustSpec } from '../domain/trusted.js';
import { PresetNameSchema } from '../domain/preset.js';
import { LIMITS } from '../domain/spec.js';
import { Unreadable } from './backend.js';
import { InvalidRecordError, StoreCorruptError } from './errors.js';
import type { DraftRecord, HistoryEntry, JsonValue, SavedPreset, VoteRecord } from './types.js';

/**
 * A spec inside a stored value: a spec that already passed the schema (frozen, see
 * domain/trusted.ts) is taken as it is; anything else is validated and then trusted.
 */
export const StoredSpecSchema: z.ZodType<Spec, unknown> = z.unknown().transform((value, ctx) => {
  if (isTrustedSpec(value)) return value;
  const result = SpecSchema.safeParse(value);
  if (result.success) return trustSpec(result.data);
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: value });
  return z.NEVER;
});

const id = z.string().min(1).max(100);
const time = z.number().int().nonnegative();

export const ActorSchema = z.object({ id, name: z.string().max(100) });

/** Contributor maps that passed the check below and are frozen with everything in them (they cannot change). */
const checkedContributors = new WeakSet<object>();

function isDeepFrozen(map: Record<string, unknown>): boolean {
  if (!Object.isFrozen(map)) return false;
  for (const memberId in map) {
    const entry = map[memberId] as { parts: unknown };
    if (!Object.isFrozen(entry) || !Object.isFrozen(entry.parts)) return false;
  }
  return true;
}

/**
 * Member id → { name, parts }: checked by a plain loop (this is validated on every save; as a zod
 * record of objects it cost ~1 µs per contributor).
 */
const ContributorsSchema = z.custom<Record<string, { name: string; parts: string[] }>>(
  (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    // A save usually keeps the previous record's map as it is (same member, or 25 names listed already).
    if (checkedContributors.has(value)) return true;
    const map = value as Record<string, unknown>;
    for (const memberId in map) {
      if (!Object.hasOwn(map, memberId) || memberId.length < 1 || memberId.length > 100) return false;
      const entry = map[memberId] as { name?: unknown; parts?: unknown } | null;
      if (typeof entry !== 'object' || entry === null) return false;
      let fields = 0;
      for (const field in entry) {
        if (field !== 'name' && field !== 'parts') return false;
        fields++;
      }
      const { name, parts } = entry;
      if (fields !== 2 || typeof name !== 'string' || name.length > 100 || !Array.isArray(parts) || parts.length > 500) return false;
      for (let i = 0; i < parts.length; i++) {
        const part: unknown = parts[i];
        if (typeof part !== 'string' || part.length > 100) return false;
      }
    }
    if (isDeepFrozen(map)) checkedContributors.add(map);
    return true;
  },
  { message: 'must map member ids to { name, parts } (names and parts at most 100 characters, at most 500 parts)' },
);

export const DraftRecordSchema = z.object({
  spec: StoredSpecSchema,
  version: z.number().int().positive(),
  createdBy: ActorSchema,
  createdAt: time,
  updatedAt: time,
  contributors: ContributorsSchema,
  contributorsMore: z.boolean().optional(),
  cardMessageId: id.optional(),
}) satisfies z.ZodType<DraftRecord, unknown>;

export const HistoryEntrySchema = z.object({
  version: z.number().int().positive(),
  at: time,
  actor: ActorSchema,
  summary: z.string().max(200),
  spec: StoredSpecSchema,
}) satisfies z.ZodType<HistoryEntry, unknown>;

export const HistorySchema = z.array(HistoryEntrySchema);

/** A history entry without its spec (checked on its own, when it is used). */
export const HistoryHeaderSchema = HistoryEntrySchema.omit({ spec: true });

export const SavedPresetSchema = z.object({
  name: PresetNameSchema,
  title: z.string().trim().min(1).max(LIMITS.title),
  description: z.string().trim().min(1).max(LIMITS.description),
  spec: StoredSpecSchema,
  savedBy: ActorSchema,
  savedAt: time,
}) satisfies z.ZodType<SavedPreset, unknown>;

/** All presets of one server, by name. */
export const PresetBookSchema = z.record(z.string(), SavedPresetSchema);

export const VoteRecordSchema = z.object({
  id,
  guildId: id,
  channelId: id,
  messageId: id.optional(),
  options: z.array(z.string().min(1).max(100)).min(1).max(25),
  ballots: z.record(id, z.string()),
  createdBy: ActorSchema,
  createdAt: time,
  closesAt: time,
  closed: z
    .object({
      at: time,
      by: ActorSchema,
      winner: z.string().nullable(),
      tally: z.record(z.string(), z.number().int().nonnegative()),
    })
    .optional(),
}) satisfies z.ZodType<VoteRecord, unknown>;

/** The vote key's value: the record without its ballots (they live in a hash); older data still holds them. */
export const VoteMetaSchema = VoteRecordSchema.extend({ ballots: VoteRecordSchema.shape.ballots.optional() });

/** One ballot as written to the ballots hash. */
export const BallotSchema = z.object({ userId: id, option: z.string().min(1).max(100) });

/** Ids of votes not yet closed. */
export const OpenVotesSchema = z.array(id);

export const JsonSchema: z.ZodType<JsonValue> = z.json();

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(value)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validated results by schema and input object, for frozen inputs only (a frozen value cannot
 * change, so its result stays right). The store's codec hands out the same frozen object for
 * the same stored text, and a value just written is its own validated result: reading back
 * what this process wrote, or what did not change since, costs a lookup instead of a parse.
 */
const validatedBy = new WeakMap<z.ZodType, WeakMap<object, unknown>>();

function memoOf(schema: z.ZodType): WeakMap<object, unknown> {
  let memo = validatedBy.get(schema);
  if (!memo) {
    memo = new WeakMap();
    validatedBy.set(schema, memo);
  }
  return memo;
}

/** Validates a stored value; undefined stays undefined (missing). The result is frozen. */
export function readAs<T>(schema: z.ZodType<T, unknown>, key: string, value: unknown): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Unreadable) throw new StoreCorruptError(key, value.detail);
  const memo = typeof value === 'object' && Object.isFrozen(value) ? memoOf(schema) : undefined;
  if (memo?.has(value as object)) return memo.get(value as object) as T;
  const result = schema.safeParse(value);
  if (!result.success) throw new StoreCorruptError(key, describeIssues(result.error));
  const data = deepFreeze(result.data);
  memo?.set(value as object, data);
  return data;
}

/** Validates a value about to be written. The result is frozen, and known valid when read back. */
export function writeAs<T>(schema: z.ZodType<T, unknown>, key: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRecordError(key, describeIssues(result.error));
  const data = deepFreeze(result.data);
  if (typeof data === 'object' && data !== null) memoOf(schema).set(data, data);
  return data;
}
