/**
 * The song structure for a generator's lyrics/structure box: bracketed section tags in bar order,
 * built from the draft's timing markers, each followed by one short instrumental direction.
 */
import { buildRange } from '../render.js';
import type { Spec } from '../spec.js';

export const SECTION_TAGS = ['Intro', 'Build-Up', 'Drop', 'Break', 'Drop 2', 'Outro'] as const;
export type SectionTag = (typeof SECTION_TAGS)[number];

export interface Section {
  readonly tag: SectionTag;
  readonly startBar?: number;
  readonly endBar?: number;
  /** One short instrumental direction (never empty). */
  readonly direction: string;
}

type Marker = { tag: 'Build-Up' | 'Drop' | 'Break' | 'Drop 2'; bar: number; order: number };

/** The draft's timing markers as section tags, sorted by bar (ties: build, drop, break, drop 2). */
export function markerTags(spec: Spec): Marker[] {
  const t = spec.timing;
  const out: Marker[] = [];
  if (t.buildStartBar !== undefined) out.push({ tag: 'Build-Up', bar: t.buildStartBar, order: 0 });
  if (t.dropBar !== undefined) out.push({ tag: 'Drop', bar: t.dropBar, order: 1 });
  if (t.breakBar !== undefined) out.push({ tag: 'Break', bar: t.breakBar, order: 2 });
  if (t.secondDropBar !== undefined) out.push({ tag: 'Drop 2', bar: t.secondDropBar, order: 3 });
  return out.sort((a, b) => a.bar - b.bar || a.order - b.order);
}

/** A note as a direction: no brackets (they would read as tags), no closing full stop. */
function direction(note: string): string {
  return note.replace(/\[/g, '(').replace(/\]/g, ')').replace(/[.\s]+$/, '').trim();
}

function barsText(start: number | undefined, end: number | undefined): string {
  if (start === undefined) return '';
  if (end === undefined) return `from bar ${start}`;
  return end > start ? `bars ${start}-${end}` : `bar ${start}`;
}

/** The sections in bar order. Without any marker: a plain intro, build-up, drop and outro. */
export function sections(spec: Spec): Section[] {
  const t = spec.timing;
  const hasFoundation = spec.layers.some((l) => l.role === 'foundation');
  const outro = `the stack thins out to kick and ${hasFoundation ? 'foundation' : 'lead'}`;
  const notes: Record<Marker['tag'], string> = {
    'Build-Up': t.buildNote ? direction(t.buildNote) : 'filter sweep opens, energy rises',
    Drop: t.dropNote ? direction(t.dropNote) : 'full density, melody centred',
    Break: t.breakNote ? direction(t.breakNote) : 'stripped back, sparse melodic element',
    'Drop 2': 'full density returns, melody centred',
  };
  const markers = markerTags(spec);
  if (markers.length === 0) {
    return [
      { tag: 'Intro', direction: 'sparse, lead filtered' },
      { tag: 'Build-Up', direction: notes['Build-Up'] },
      { tag: 'Drop', direction: notes.Drop },
      { tag: 'Outro', direction: outro },
    ];
  }
  const build = buildRange(spec);
  const spans = markers.map((m, i) => {
    const next = markers[i + 1];
    let end = next && next.bar - 1 >= m.bar ? next.bar - 1 : next ? m.bar : undefined;
    if (m.tag === 'Build-Up' && build?.endBar !== undefined && next?.tag === 'Drop' && build.endBar < (end ?? Infinity)) end = build.endBar;
    return { ...m, end };
  });
  const out: { tag: SectionTag; startBar?: number; endBar?: number; parts: string[] }[] = [];
  const first = spans[0]!;
  if (first.bar > 1) out.push({ tag: 'Intro', startBar: 1, endBar: first.bar - 1, parts: ['sparse, lead filtered'] });
  for (const s of spans) out.push({ tag: s.tag, startBar: s.bar, ...(s.end !== undefined ? { endBar: s.end } : {}), parts: [notes[s.tag]] });
  if (t.sweepApexBar !== undefined) {
    const apex = t.sweepApexBar;
    const holder = out.find((s) => s.tag === 'Build-Up') ?? [...out].reverse().find((s) => (s.startBar ?? 1) <= apex) ?? out[0]!;
    holder.parts.push(`sweep apex at bar ${apex}`);
  }
  out.push({ tag: 'Outro', parts: [outro] });
  return out.map((s) => {
    const bars = barsText(s.startBar, s.endBar);
    return {
      tag: s.tag,
      ...(s.startBar !== undefined ? { startBar: s.startBar } : {}),
      ...(s.endBar !== undefined ? { endBar: s.endBar } : {}),
      direction: bars ? `${bars}: ${s.parts.join('; ')}` : s.parts.join('; '),
    };
  });
}

/**
 * The structure box text: an `[Instrumental]` line when the track is instrumental, then per
 * section its tag on one line and its direction in brackets on the next (bracketed text is read
 * as an instruction, never sung), sections separated by a blank line.
 */
export function renderStructure(spec: Spec, instrumental: boolean): string {
  const blocks = sections(spec).map((s) => `[${s.tag}]\n[${s.direction}]`);
  return [...(instrumental ? ['[Instrumental]'] : []), ...blocks].join('\n\n');
}
