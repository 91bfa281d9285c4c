/** The sidechain form: duck depth, attack, release (with the BPM's release window), ratio, ducked layers. */
import type { SpecInput } from '../../domain/spec.js';
import { releaseWindow } from '../../domain/timing.js';
import type { Translator } from '../../i18n/index.js';
import type { FormDef } from '../forms.js';
import { Problems, nonEmpty, num, str } from './common.js';

export function sidechainForm(tr: Translator): FormDef {
  const def: FormDef = {
    id: 'sidechain',
    title: (t) => t('forms.sidechain.title'),
    part: () => 'sidechain',
    fields: [
      { id: 'duck', label: 'forms.sidechain.duck', kind: 'text', maxLength: 10, paths: ['sidechain.duckDb'] },
      { id: 'attack', label: 'forms.sidechain.attack', kind: 'text', maxLength: 10, paths: ['sidechain.attackMs'] },
      { id: 'release', label: 'forms.sidechain.release', kind: 'text', maxLength: 10, paths: ['sidechain.releaseMs'] },
      { id: 'ratio', label: 'forms.sidechain.ratio', kind: 'text', maxLength: 10, paths: ['sidechain.ratio'] },
      {
        id: 'layers',
        label: 'forms.sidechain.layers',
        description: 'forms.sidechain.layersHint',
        kind: 'multiselect',
        required: false,
        paths: ['layers'],
        options: (spec) => spec.layers.map((l) => ({ value: l.id, label: l.id })),
      },
    ],
    read(spec) {
      const sc = spec.sidechain;
      return {
        duck: str(sc?.duckDb),
        attack: str(sc?.attackMs),
        release: str(sc?.releaseMs),
        ratio: str(sc?.ratio),
        layers: spec.layers.filter((l) => l.synth?.sidechained === true).map((l) => l.id),
      };
    },
    write(spec, v) {
      const problems = new Problems(tr);
      const duckDb = num(v.duck);
      const releaseMs = num(v.release);
      const remove = duckDb === undefined && releaseMs === undefined;
      const selected = Array.isArray(v.layers) ? v.layers : [];
      const sidechain = remove ? undefined : nonEmpty({ duckDb, attackMs: num(v.attack), releaseMs, ratio: num(v.ratio), notes: spec.sidechain?.notes });
      // Each layer is marked ducked or not; without a sidechain the marks are cleared.
      const layers = spec.layers.map((l) => {
        const sidechained = remove ? undefined : selected.includes(l.id);
        // Unchanged layers stay the very same objects (validated already: see parseSpecEdit).
        if (l.synth !== undefined && l.synth.sidechained === sidechained) return l;
        const synth = nonEmpty({ ...l.synth, sidechained });
        const { synth: _old, ...rest } = l;
        return synth ? { ...rest, synth } : rest;
      });
      const unchanged = layers.every((l, i) => l === spec.layers[i]);
      return problems.finishSpec({ ...spec, sidechain, layers: unchanged ? spec.layers : layers } as unknown as SpecInput, def);
    },
    hint(fieldId, spec, t) {
      if (fieldId !== 'release') return undefined;
      const w = releaseWindow(spec.track.bpm);
      return t('forms.sidechain.releaseHint', { bpm: spec.track.bpm, min: Math.round(w.minMs), max: Math.round(w.maxMs) });
    },
  };
  return def;
}
