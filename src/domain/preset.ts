/**
 * Presets: a named, described spec in the same file format a user exports and imports, so a
 * shared preset is just a file. Built-in presets live as JSON files in `presets/`.
 */
import { z } from 'zod';
import { LIMITS, SpecSchema, type Spec } from './spec.js';
import { problemsOf, type ParseResult, type SpecProblem } from './parse.js';

export const PRESET_FORMAT = 'saltbot.preset' as const;

export const PresetNameSchema = z
  .string()
  .regex(new RegExp(`^[a-z0-9][a-z0-9-]{0,${LIMITS.name - 1}}$`), {
    message: `a preset name is lowercase letters, digits and hyphens, at most ${LIMITS.name} characters`,
  });

export const PresetSchema = z.object({
  format: z.literal(PRESET_FORMAT),
  name: PresetNameSchema,
  title: z.string().trim().min(1).max(LIMITS.title),
  description: z.string().trim().min(1).max(LIMITS.description),
  spec: SpecSchema,
});
export type Preset = z.infer<typeof PresetSchema>;
export type PresetInput = z.input<typeof PresetSchema>;

/** Validates an unknown value as a preset file. */
export function parsePreset(input: unknown): ParseResult<Preset> {
  const result = PresetSchema.safeParse(input, { reportInput: true });
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: problemsOf(result.error) };
}

/** Builds the file a user exports (and another user imports) from a spec. */
export function toPresetFile(name: string, title: string, description: string, spec: Spec): Preset {
  return { format: PRESET_FORMAT, name, title, description, spec };
}

export type { SpecProblem };
