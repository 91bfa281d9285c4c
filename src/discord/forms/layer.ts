/**
 * The three layer forms. layer1 adds a layer (no layer in the action) or edits its identity and
 * LTV basics; layer2 (motion and voices) and layer3 (filter and level) edit an existing layer.
 * Field paths are relative to the layer: the layer is validated on its own, so problems name the
 * field whatever the layer's position.
 */
import { LIMITS, type Layer, type SpecInput } from '../../domain/spec.js';
import { BRIGHTNESS, DENSITY, EDGE, FILTER_TYPES, MOVEMENT, ROLES, WAVEFORMS, type Density, type Role } from '../../domain/vocabulary.js';
import type { Translator } from '../../i18n/index.js';
import { UserError } from '../errors.js';
import { bandOrRaw, first, textOrUndefined, type FieldValue, type FormDef, type FormValues } from '../forms.js';
import { Problems, findLayer, layerIndex, listText, nonEmpty, vocabOptions, withLayer } from './common.js';

/** Density a new layer starts with, by role. */
export const DEFAULT_DENSITY: Readonly<Record<Role, Density>> = {
  foundation: 'sparse',
  core: 'massive',
  transient: 'sparse',
  harmony: 'moderate',
  air: 'sparse',
  custom: 'moderate',
};

/** A typed id made lenient: trimmed, lowercase, spaces and hyphens as underscores. */
export function normalizeLayerId(v: FieldValue | undefined): string {
  return typeof v === 'string' ? v.trim().toLowerCase().replace(/[\s-]+/g, '_') : '';
}

/** "a, b, c" → ['a', 'b', 'c'] (empties dropped). */
function words(v: FieldValue | undefined): string[] {
  return typeof v === 'string' ? v.split(/[,;\n]/).map((w) => w.trim()).filter(Boolean) : [];
}

export function layer1Form(tr: Translator): FormDef {
  const blank: FormValues = { id: '', role: [], texture: '', brightness: [], edge: [] };
  const def: FormDef = {
    id: 'layer1',
    title: (t, layer) => (layer ? t('forms.layer1.titleEdit', { id: layer }) : t('forms.layer1.titleAdd')),
    part: (layer) => `layer ${layer ?? ''}`.trim(),
    fields: [
      { id: 'id', label: 'forms.layer1.id', description: 'forms.layer1.idHint', kind: 'text', required: true, maxLength: LIMITS.layerId, paths: ['id'] },
      { id: 'role', label: 'forms.layer1.role', kind: 'select', paths: ['role'], options: (_s, t) => ROLES.map((r) => ({ value: r, label: t(`forms.roles.${r}`) })) },
      { id: 'texture', label: 'forms.layer1.texture', description: 'forms.layer1.textureHint', kind: 'text', required: true, maxLength: 80, paths: ['ltv.texture'] },
      { id: 'brightness', label: 'forms.layer1.brightness', kind: 'select', paths: ['ltv.brightness'], options: (_s, t) => vocabOptions(BRIGHTNESS, 'brightness', t) },
      { id: 'edge', label: 'forms.layer1.edge', kind: 'select', paths: ['ltv.edge'], options: (_s, t) => vocabOptions(EDGE, 'edge', t) },
    ],
    read(spec, layer) {
      const l = findLayer(spec, layer);
      if (!l) return blank;
      return { id: l.id, role: [l.role], texture: l.ltv.texture.join(', '), brightness: [l.ltv.brightness], edge: [l.ltv.edge] };
    },
    write(spec, v, layer) {
      const problems = new Problems(tr);
      const id = normalizeLayerId(v.id);
      const role = first(v.role);
      const clash = spec.layers.some((l) => l.id === id && l.id !== layer);
      if (clash) problems.add('forms.layer1.id', 'forms.problems.duplicate_layer');
      if (layer === undefined) {
        if (spec.layers.length >= LIMITS.layers) throw new UserError('forms.edit.layerLimit', { max: LIMITS.layers });
        const candidate = {
          id,
          role,
          ltv: {
            texture: words(v.texture),
            brightness: first(v.brightness),
            movement: { kind: 'static' },
            density: DEFAULT_DENSITY[role as Role] ?? 'moderate',
            edge: first(v.edge),
          },
        };
        const added = problems.finishLayer(candidate, def);
        return { ...spec, layers: [...spec.layers, added] };
      }
      const index = layerIndex(spec, layer);
      const old = spec.layers[index]!;
      const candidate = { ...old, id, role, ltv: { ...old.ltv, texture: words(v.texture), brightness: first(v.brightness), edge: first(v.edge) } };
      return withLayer(spec, index, problems.finishLayer(candidate, def));
    },
    layerAfter: (v, layer) => normalizeLayerId(v.id) || layer,
  };
  return def;
}

export function layer2Form(tr: Translator): FormDef {
  const blank: FormValues = { movement: [], qualifier: '', density: [], waveform: [], unison: '' };
  const def: FormDef = {
    id: 'layer2',
    title: (t, layer) => t('forms.layer2.title', { id: layer ?? '' }),
    part: (layer) => `layer ${layer ?? ''}`.trim(),
    fields: [
      { id: 'movement', label: 'forms.layer2.movement', kind: 'select', paths: ['ltv.movement.kind'], options: (_s, t) => vocabOptions(MOVEMENT, 'movement', t) },
      { id: 'qualifier', label: 'forms.layer2.qualifier', description: 'forms.layer2.qualifierHint', kind: 'text', maxLength: LIMITS.movementQualifier, paths: ['ltv.movement.qualifier'] },
      { id: 'density', label: 'forms.layer2.density', kind: 'select', paths: ['ltv.density'], options: (_s, t) => vocabOptions(DENSITY, 'density', t) },
      {
        id: 'waveform',
        label: 'forms.layer2.waveform',
        kind: 'select',
        paths: ['synth.waveform'],
        options: (_s, t) => [{ value: 'none', label: t('forms.layer2.waveformNone') }, ...WAVEFORMS.map((w) => ({ value: w, label: w }))],
      },
      { id: 'unison', label: 'forms.layer2.unison', description: 'forms.layer2.unisonHint', kind: 'text', maxLength: 40, paths: ['synth.voices', 'synth.detuneCents', 'synth.stereoWidthPct'] },
    ],
    read(spec, layer) {
      const l = findLayer(spec, layer);
      if (!l) return blank;
      const s = l.synth ?? {};
      return {
        movement: [l.ltv.movement.kind],
        qualifier: l.ltv.movement.qualifier ?? '',
        density: [l.ltv.density],
        waveform: [s.waveform ?? 'none'],
        unison: listText([s.voices, s.detuneCents, s.stereoWidthPct]),
      };
    },
    write(spec, v, layer) {
      const problems = new Problems(tr);
      const index = layerIndex(spec, layer ?? '');
      const old = spec.layers[index]!;
      const [voices, detuneCents, stereoWidthPct] = problems.list(v.unison, 3, 'forms.layer2.unison');
      const wf = first(v.waveform);
      const synth = nonEmpty({ ...old.synth, waveform: wf === 'none' ? undefined : wf, voices, detuneCents, stereoWidthPct });
      const movement = nonEmpty({ kind: first(v.movement), qualifier: textOrUndefined(v.qualifier) }) ?? {};
      const candidate = { ...old, ltv: { ...old.ltv, movement, density: first(v.density) }, synth };
      return withLayer(spec, index, problems.finishLayer(nonEmpty(candidate), def));
    },
  };
  return def;
}

export function layer3Form(tr: Translator): FormDef {
  const blank: FormValues = { filter: [], cutoff: '', envelope: '', level: '', band: '' };
  const def: FormDef = {
    id: 'layer3',
    title: (t, layer) => t('forms.layer3.title', { id: layer ?? '' }),
    part: (layer) => `layer ${layer ?? ''}`.trim(),
    fields: [
      {
        id: 'filter',
        label: 'forms.layer3.filter',
        kind: 'select',
        paths: ['synth.filter.type'],
        options: (_s, t) => [{ value: 'none', label: t('forms.layer3.filterNone') }, ...FILTER_TYPES.map((f) => ({ value: f, label: f.toUpperCase() }))],
      },
      { id: 'cutoff', label: 'forms.layer3.cutoff', description: 'forms.layer3.cutoffHint', kind: 'text', maxLength: 30, paths: ['synth.filter'] },
      { id: 'envelope', label: 'forms.layer3.envelope', description: 'forms.layer3.envelopeHint', kind: 'text', maxLength: 60, paths: ['synth.envelope'] },
      { id: 'level', label: 'forms.layer3.level', description: 'forms.layer3.levelHint', kind: 'text', maxLength: 40, paths: ['synth.levelDb', 'synth.octave', 'synth.intervalSemitones'] },
      { id: 'band', label: 'forms.layer3.band', kind: 'text', maxLength: 24, paths: ['band'] },
    ],
    read(spec, layer) {
      const l = findLayer(spec, layer);
      if (!l) return blank;
      const s = l.synth ?? {};
      const e = s.envelope ?? {};
      return {
        filter: [s.filter?.type ?? 'none'],
        cutoff: listText([s.filter?.cutoffHz, s.filter?.resonancePct]),
        envelope: listText([e.attackMs, e.decayMs, e.sustainPct, e.releaseMs]),
        level: listText([s.levelDb, s.octave, s.intervalSemitones]),
        band: l.band ? `${l.band.lowHz}-${l.band.highHz}` : '',
      };
    },
    write(spec, v, layer) {
      const problems = new Problems(tr);
      const index = layerIndex(spec, layer ?? '');
      const old = spec.layers[index]!;
      const type = first(v.filter);
      const [cutoffHz, resonancePct] = problems.list(v.cutoff, 2, 'forms.layer3.cutoff');
      let filter: object | undefined;
      if (type && type !== 'none') filter = nonEmpty({ type, cutoffHz, resonancePct });
      else if (cutoffHz !== undefined || resonancePct !== undefined) problems.add('forms.layer3.cutoff', 'forms.problems.filterType');
      const [attackMs, decayMs, sustainPct, releaseMs] = problems.list(v.envelope, 4, 'forms.layer3.envelope');
      const [levelDb, octave, intervalSemitones] = problems.list(v.level, 3, 'forms.layer3.level');
      const synth = nonEmpty({
        ...old.synth,
        filter,
        envelope: nonEmpty({ attackMs, decayMs, sustainPct, releaseMs }),
        levelDb,
        octave,
        intervalSemitones,
      });
      const candidate = nonEmpty({ ...old, band: bandOrRaw(v.band), synth }) as Partial<Layer>;
      return withLayer(spec, index, problems.finishLayer(candidate, def)) as SpecInput;
    },
  };
  return def;
}
