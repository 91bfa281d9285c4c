/**
 * The "Publish for…" select: one option per target profile. It sits on the draft card and on the
 * publish step; choosing an option publishes for that profile (after the lint check).
 */
import { ComponentType, type APIStringSelectComponent } from 'discord-api-types/v10';
import { SUNO_BUDGET } from '../domain/targets/index.js';
import type { Translator } from '../i18n/index.js';
import { encodeAction } from './customId.js';
import { DISCORD_LIMITS, clip } from './limits.js';

/** One option per profile (Suno twice: the 1000-character and the v4 200-character style field). */
export const PUBLISH_CHOICES: readonly { value: string; key: string }[] = [
  { value: 'full.1000', key: 'full' },
  { value: 'compact.1000', key: 'compact' },
  { value: 'suno.1000', key: 'suno' },
  { value: `suno.${SUNO_BUDGET.styleV4}`, key: 'sunoV4' },
  { value: 'udio.1000', key: 'udio' },
  { value: 'musicgen.1000', key: 'musicgen' },
  { value: 'llm.1000', key: 'llm' },
];

export function publishSelect(tr: Translator): APIStringSelectComponent {
  return {
    type: ComponentType.StringSelect,
    custom_id: encodeAction({ kind: 'confirm', what: 'publish' }),
    placeholder: clip(tr('publish.selectPlaceholder'), DISCORD_LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options: PUBLISH_CHOICES.map((c) => ({
      value: c.value,
      label: clip(tr(`publish.targets.${c.key}` as 'publish.targets.suno'), DISCORD_LIMITS.selectOptionLabel),
      description: clip(tr(`publish.targetHints.${c.key}` as 'publish.targetHints.suno'), DISCORD_LIMITS.selectOptionDescription),
    })),
  };
}
