/** The two timing forms: bar markers (timing1) and what happens in each section (timing2). */
import { LIMITS, type SpecInput } from '../../domain/spec.js';
import type { Translator } from '../../i18n/index.js';
import { textOrUndefined, type FormDef } from '../forms.js';
import { Problems, nonEmpty, num, str } from './common.js';

const BARS = [
  ['build', 'buildStartBar', 'forms.timing1.build'],
  ['apex', 'sweepApexBar', 'forms.timing1.apex'],
  ['drop', 'dropBar', 'forms.timing1.drop'],
  ['break', 'breakBar', 'forms.timing1.break'],
  ['secondDrop', 'secondDropBar', 'forms.timing1.secondDrop'],
] as const;

const NOTES = [
  ['buildNote', 'forms.timing2.buildNote'],
  ['dropNote', 'forms.timing2.dropNote'],
  ['breakNote', 'forms.timing2.breakNote'],
] as const;

export function timing1Form(tr: Translator): FormDef {
  const def: FormDef = {
    id: 'timing1',
    title: (t) => t('forms.timing1.title'),
    part: () => 'timing',
    fields: BARS.map(([id, key, label]) => ({ id, label, kind: 'text' as const, maxLength: 4, paths: [`timing.${key}`] })),
    read(spec) {
      return Object.fromEntries(BARS.map(([id, key]) => [id, str(spec.timing[key])]));
    },
    write(spec, v) {
      const timing: Record<string, unknown> = { ...spec.timing };
      for (const [id, key] of BARS) timing[key] = num(v[id]);
      return new Problems(tr).finishSpec({ ...spec, timing: nonEmpty(timing) ?? {} } as unknown as SpecInput, def);
    },
  };
  return def;
}

export function timing2Form(tr: Translator): FormDef {
  const def: FormDef = {
    id: 'timing2',
    title: (t) => t('forms.timing2.title'),
    part: () => 'timing',
    fields: NOTES.map(([id, label]) => ({ id, label, kind: 'text' as const, paragraph: true, maxLength: LIMITS.timingNote, paths: [`timing.${id}`] })),
    read(spec) {
      return Object.fromEntries(NOTES.map(([id]) => [id, spec.timing[id] ?? '']));
    },
    write(spec, v) {
      const timing: Record<string, unknown> = { ...spec.timing };
      for (const [id] of NOTES) timing[id] = textOrUndefined(v[id]);
      return new Problems(tr).finishSpec({ ...spec, timing: nonEmpty(timing) ?? {} } as unknown as SpecInput, def);
    },
  };
  return def;
}
