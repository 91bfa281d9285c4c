/** The shape every target profile renders to. */
export const TARGETS = ['full', 'compact', 'suno', 'udio', 'musicgen', 'llm'] as const;
export type Target = (typeof TARGETS)[number];

export interface TargetField {
  /** Stable machine name: "style", "structure", "exclude", "description", "tags", "negative", "prompt". */
  readonly name: string;
  /** The field as the destination's interface names it ("Style of Music"). */
  readonly label: string;
  readonly text: string;
  /** Character budget of the field; `text.length` never exceeds it. */
  readonly budget?: number;
  /** A word budget as well (Udio's short description). */
  readonly maxWords?: number;
}

export interface TargetOutput {
  readonly target: Target;
  readonly fields: readonly TargetField[];
}

export interface TargetOptions {
  /** Budget of the field that has a choice (compact: any; suno: the style field). */
  readonly budget?: number;
}

export function isTarget(value: unknown): value is Target {
  return typeof value === 'string' && (TARGETS as readonly string[]).includes(value);
}

/** Words in a text. */
export function wordCount(text: string): number {
  const t = text.trim();
  return t ? t.split(/\s+/).length : 0;
}
