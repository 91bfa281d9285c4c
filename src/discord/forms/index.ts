/** The edit forms by id, built for a translator (their write() reports problems in its locale). */
import type { Translator } from '../../i18n/index.js';
import type { FormId } from '../customId.js';
import type { FormDef } from '../forms.js';
import { detailsForm } from './details.js';
import { layer1Form, layer2Form, layer3Form } from './layer.js';
import { sidechainForm } from './sidechain.js';
import { timing1Form, timing2Form } from './timing.js';
import { trackForm } from './track.js';

export const EDIT_FORMS = {
  track: trackForm,
  details: detailsForm,
  layer1: layer1Form,
  layer2: layer2Form,
  layer3: layer3Form,
  sidechain: sidechainForm,
  timing1: timing1Form,
  timing2: timing2Form,
} as const satisfies Partial<Record<FormId, (tr: Translator) => FormDef>>;

export type EditFormId = keyof typeof EDIT_FORMS;

export function isEditForm(id: FormId): id is EditFormId {
  return id in EDIT_FORMS;
}

export function editForm(id: EditFormId, tr: Translator): FormDef {
  return EDIT_FORMS[id](tr);
}

/** Forms that need a layer in their action (layer1 without one adds a layer). */
export const LAYER_FORMS: readonly EditFormId[] = ['layer1', 'layer2', 'layer3'];

/** The form a saved form leads on to with a Next button, and its step label. */
export const NEXT_FORM: Partial<Record<EditFormId, EditFormId>> = { layer1: 'layer2', layer2: 'layer3', timing1: 'timing2' };
