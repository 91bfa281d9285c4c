/** LLM planner: the full SALT + LTV prompt behind the chain-of-thought preamble. */
import { PROMPT_MAX_CHARS, renderPrompt } from '../render.js';
import type { Spec } from '../spec.js';
import type { TargetField } from './types.js';

export function renderLlm(spec: Spec): TargetField[] {
  return [{ name: 'prompt', label: 'Prompt', text: renderPrompt(spec, { chainOfThought: true }), budget: PROMPT_MAX_CHARS }];
}
