/** The details form: spectral reservation and lead range, spectral notes, attack, arrangement intent. */
import { LIMITS, type SpecInput } from '../../domain/spec.js';
import type { Translator } from '../../i18n/index.js';
import { bandOrRaw, textOrUndefined, type FormDef } from '../forms.js';
import { Problems, nonEmpty, num } from './common.js';

export function detailsForm(tr: Translator): FormDef {
  const def: FormDef = {
    id: 'details',
    title: (t) => t('forms.details.title'),
    part: () => 'details',
    fields: [
      { id: 'sub', label: 'forms.details.sub', description: 'forms.details.subHint', kind: 'text', maxLength: 8, paths: ['spectral.subReservedBelowHz'] },
      { id: 'lead', label: 'forms.details.lead', kind: 'text', maxLength: 24, paths: ['spectral.leadRange'] },
      { id: 'spectralNotes', label: 'forms.details.spectralNotes', kind: 'text', paragraph: true, maxLength: LIMITS.spectralNotes, paths: ['spectral.notes'] },
      { id: 'attack', label: 'forms.details.attack', kind: 'text', paragraph: true, maxLength: LIMITS.attack, paths: ['attack'] },
      { id: 'arrangement', label: 'forms.details.arrangement', kind: 'text', paragraph: true, maxLength: LIMITS.arrangement, paths: ['arrangement'] },
    ],
    read(spec) {
      const lead = spec.spectral.leadRange;
      return {
        sub: String(spec.spectral.subReservedBelowHz),
        lead: lead ? `${lead.lowHz}-${lead.highHz}` : '',
        spectralNotes: spec.spectral.notes ?? '',
        attack: spec.attack?.description ?? '',
        arrangement: spec.arrangement?.intent ?? '',
      };
    },
    write(spec, v) {
      const problems = new Problems(tr);
      const attack = textOrUndefined(v.attack);
      const intent = textOrUndefined(v.arrangement);
      const candidate = {
        ...spec,
        spectral: nonEmpty({ subReservedBelowHz: num(v.sub), leadRange: bandOrRaw(v.lead), notes: textOrUndefined(v.spectralNotes) }) ?? {},
        attack: attack ? { description: attack } : undefined,
        arrangement: intent ? { intent } : undefined,
      } as unknown as SpecInput;
      return problems.finishSpec(candidate, def);
    },
  };
  return def;
}
