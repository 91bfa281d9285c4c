/** The track form: BPM, key, style, references, prompt extras. */
import { ALL_KEY_NAMES } from '../../domain/key.js';
import { LIMITS, type SpecInput } from '../../domain/spec.js';
import type { Translator } from '../../i18n/index.js';
import { first, textOrUndefined, type FormDef, type FormValues } from '../forms.js';
import { Problems, num } from './common.js';

const EXTRAS = ['chainOfThought', 'referenceAnchor'] as const;

/** "Artist - Title" lines → references; a line without the separator is a problem. */
function references(text: unknown, problems: Problems): { artist: string; title: string }[] {
  const lines = typeof text === 'string' ? text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
  const out: { artist: string; title: string }[] = [];
  let bad = false;
  for (const line of lines) {
    const m = /^(.+?)\s+[-–—]\s+(.+)$/.exec(line);
    if (m) out.push({ artist: m[1]!.trim(), title: m[2]!.trim() });
    else bad = true;
  }
  if (bad) problems.add('forms.track.references', 'forms.problems.reference');
  return out;
}

export function trackForm(tr: Translator): FormDef {
  const def: FormDef = {
    id: 'track',
    title: (t) => t('forms.track.title'),
    part: () => 'track',
    fields: [
      { id: 'bpm', label: 'forms.track.bpm', kind: 'text', required: true, maxLength: 6, paths: ['track.bpm'] },
      {
        id: 'key',
        label: 'forms.track.key',
        kind: 'select',
        required: true,
        paths: ['track.key'],
        options: () => ALL_KEY_NAMES.map((k) => ({ value: k, label: k })),
      },
      { id: 'style', label: 'forms.track.style', description: 'forms.track.styleHint', kind: 'text', paragraph: true, required: true, maxLength: LIMITS.style, paths: ['track.style'] },
      {
        id: 'references',
        label: 'forms.track.references',
        description: 'forms.track.referencesHint',
        kind: 'text',
        paragraph: true,
        maxLength: (LIMITS.referenceArtist + LIMITS.referenceTitle + 4) * LIMITS.references,
        paths: ['track.references'],
      },
      {
        id: 'extras',
        label: 'forms.track.extras',
        kind: 'multiselect',
        required: false,
        paths: ['extras'],
        options: (_spec, t) => [
          { value: 'chainOfThought', label: t('forms.track.extraCot') },
          { value: 'referenceAnchor', label: t('forms.track.extraAnchor') },
        ],
      },
    ],
    read(spec): FormValues {
      return {
        bpm: String(spec.track.bpm),
        key: spec.track.key,
        style: spec.track.style,
        references: spec.track.references.map((r) => `${r.artist} - ${r.title}`).join('\n'),
        extras: EXTRAS.filter((e) => spec.extras[e]),
      };
    },
    write(spec, v): SpecInput {
      const problems = new Problems(tr);
      const extras = Array.isArray(v.extras) ? v.extras : [];
      const candidate = {
        ...spec,
        track: {
          bpm: num(v.bpm),
          key: first(v.key),
          style: textOrUndefined(v.style) ?? '',
          references: references(v.references, problems),
        },
        extras: { chainOfThought: extras.includes('chainOfThought'), referenceAnchor: extras.includes('referenceAnchor') },
      } as unknown as SpecInput;
      return problems.finishSpec(candidate, def);
    },
  };
  return def;
}
