/**
 * Target profiles: the same draft shaped for each destination (Suno, Udio, MusicGen, an LLM
 * planner) besides the full and compact prompts. Every profile is deterministic, keeps each field
 * within its budget and never cuts a word or number (whole facts are packed, most important first).
 */
import { COMPACT_MIN_BUDGET, renderCompact } from '../compact.js';
import { PROMPT_MAX_CHARS, renderPrompt } from '../render.js';
import type { Spec } from '../spec.js';
import { renderLlm } from './llm.js';
import { renderMusicgen } from './musicgen.js';
import { SUNO_BUDGET, renderSuno } from './suno.js';
import type { Target, TargetOptions, TargetOutput } from './types.js';
import { renderUdio } from './udio.js';

export * from './types.js';
export { SECTION_TAGS, markerTags, renderStructure, sections, type Section, type SectionTag } from './structure.js';
export { SUNO_BUDGET, sunoStyle, sunoStyleFacts } from './suno.js';
export { UDIO_BUDGET } from './udio.js';
export { MUSICGEN_BUDGET } from './musicgen.js';
export { isInstrumental } from './words.js';

export const COMPACT_DEFAULT_BUDGET = 1000;

/** The budgets a target accepts for `options.budget`, or undefined when it has no choice. */
export function budgetRange(target: Target): { min: number; max: number; default: number } | undefined {
  if (target === 'compact') return { min: COMPACT_MIN_BUDGET, max: PROMPT_MAX_CHARS, default: COMPACT_DEFAULT_BUDGET };
  if (target === 'suno') return { min: SUNO_BUDGET.min, max: SUNO_BUDGET.style, default: SUNO_BUDGET.style };
  return undefined;
}

/** Thrown for a budget a target does not accept. */
export class TargetBudgetError extends Error {}

export function renderTarget(spec: Spec, target: Target, options: TargetOptions = {}): TargetOutput {
  const range = budgetRange(target);
  if (options.budget !== undefined) {
    if (!range) throw new TargetBudgetError(`the ${target} profile has no budget choice`);
    if (!Number.isInteger(options.budget) || options.budget < range.min || options.budget > range.max) {
      throw new TargetBudgetError(`the ${target} budget must be a whole number from ${range.min} to ${range.max}`);
    }
  }
  const budget = options.budget ?? range?.default;
  switch (target) {
    case 'full':
      return { target, fields: [{ name: 'prompt', label: 'Prompt', text: renderPrompt(spec), budget: PROMPT_MAX_CHARS }] };
    case 'compact':
      return { target, fields: [{ name: 'prompt', label: 'Prompt', text: renderCompact(spec, budget!), budget: budget! }] };
    case 'suno':
      return { target, fields: renderSuno(spec, budget!) };
    case 'udio':
      return { target, fields: renderUdio(spec) };
    case 'musicgen':
      return { target, fields: renderMusicgen(spec) };
    case 'llm':
      return { target, fields: renderLlm(spec) };
  }
}
