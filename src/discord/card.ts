/**
 * The draft card: one Components V2 message per channel showing the spec at a glance, with a
 * button for every step. Public, so it is written in the guild's locale.
 */
import { ButtonStyle, ComponentType, MessageFlags, type APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { lintSpec, type LintFinding } from '../domain/lint.js';
import { buildRange, formatBand, formatHz, formatNumber, pumpCharacter } from '../domain/render.js';
import type { Spec } from '../domain/spec.js';
import { barTimestamp, releaseWindow } from '../domain/timing.js';
import { t, type Translator } from '../i18n/index.js';
import type { DraftRecord } from '../store/types.js';
import { encodeAction, type CardStep } from './customId.js';
import { DISCORD_LIMITS, clip, fitTexts } from './limits.js';
import { publishSelect } from './publishSelect.js';
import { button, row, textDisplay, type MessageBody } from './reply.js';

const LINT_LINES = 3;

export function trackLine(spec: Spec, tr: Translator): string {
  return tr('card.track', { bpm: spec.track.bpm, key: spec.track.key, style: spec.track.style });
}

export function layerLine(spec: Spec, index: number, tr: Translator): string {
  const layer = spec.layers[index]!;
  const m = layer.ltv.movement;
  return tr('card.layerLine', {
    index: index + 1,
    id: layer.id,
    role: layer.role,
    band: layer.band ? ` · ${formatBand(layer.band)}` : '',
    texture: layer.ltv.texture.join(', '),
    brightness: layer.ltv.brightness,
    movement: m.qualifier ? `${m.kind} (${m.qualifier})` : m.kind,
    density: layer.ltv.density,
    edge: layer.ltv.edge,
  });
}

export function timingLine(spec: Spec, tr: Translator): string {
  const tm = spec.timing;
  const bpm = spec.track.bpm;
  const events: string[] = [];
  const build = buildRange(spec);
  if (build) events.push(tr('card.timingBuild', { from: build.startBar, to: build.endBar ?? build.startBar }));
  if (tm.sweepApexBar !== undefined) events.push(tr('card.timingApex', { bar: tm.sweepApexBar }));
  if (tm.dropBar !== undefined) events.push(tr('card.timingDrop', { bar: tm.dropBar, time: barTimestamp(tm.dropBar, bpm) }));
  if (tm.breakBar !== undefined) events.push(tr('card.timingBreak', { bar: tm.breakBar, time: barTimestamp(tm.breakBar, bpm) }));
  if (tm.secondDropBar !== undefined) {
    events.push(tr('card.timingSecondDrop', { bar: tm.secondDropBar, time: barTimestamp(tm.secondDropBar, bpm) }));
  }
  return events.length ? tr('card.timing', { events: events.join(' → ') }) : tr('card.noTiming');
}

export function sidechainLine(spec: Spec, tr: Translator): string {
  const sc = spec.sidechain;
  if (!sc) return tr('card.noSidechain');
  const w = releaseWindow(spec.track.bpm);
  return tr('card.sidechain', {
    duck: formatNumber(sc.duckDb),
    release: formatNumber(sc.releaseMs),
    attack: sc.attackMs !== undefined ? tr('card.sidechainAttack', { ms: formatNumber(sc.attackMs) }) : '',
    ratio: sc.ratio !== undefined ? tr('card.sidechainRatio', { ratio: formatNumber(sc.ratio) }) : '',
    pump: pumpCharacter(sc.releaseMs, spec.track.bpm).word,
    windowMin: Math.round(w.minMs),
    windowMax: Math.round(w.maxMs),
  });
}

/** A lint finding in a locale (falls back to the rule's English message). */
export function lintText(finding: LintFinding, tr: Translator): string {
  const localized = tr(finding.messageKey, finding.params);
  return localized === finding.messageKey ? finding.message : localized;
}

export function lintLines(findings: readonly LintFinding[], tr: Translator, max = LINT_LINES): string {
  if (findings.length === 0) return tr('card.lintClean');
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const icon = (s: string) => (s === 'error' ? '⛔' : s === 'warning' ? '⚠️' : 'ℹ️');
  const lines = [tr('card.lintSummary', { warnings: count('warning'), errors: count('error'), infos: count('info') })];
  for (const f of findings.slice(0, max)) lines.push(`${icon(f.severity)} ${lintText(f, tr)}`);
  if (findings.length > max) lines.push(tr('card.lintMore', { count: findings.length - max }));
  return lines.join('\n');
}

function contributorsLine(record: DraftRecord, tr: Translator): string {
  const list = Object.values(record.contributors)
    .map((c) => `${c.name.replace(/[*_`~|>@#<]/g, '')} (${c.parts.slice(0, 4).join(', ')}${c.parts.length > 4 ? '…' : ''})`)
    .join(' · ');
  return tr('card.contributors', { list: clip(list, 600) });
}

const STEP_ROWS: readonly (readonly [CardStep, ButtonStyle, string?][])[] = [
  [['track', ButtonStyle.Primary, '🎚️'], ['details', ButtonStyle.Secondary], ['sidechain', ButtonStyle.Primary, '〰️'], ['timing', ButtonStyle.Primary, '⏱️'], ['preview', ButtonStyle.Secondary, '👁️']],
  [['layeradd', ButtonStyle.Success, '➕'], ['layeredit', ButtonStyle.Secondary, '✏️'], ['layerremove', ButtonStyle.Danger], ['undo', ButtonStyle.Secondary, '↩️'], ['history', ButtonStyle.Secondary]],
  [['lint', ButtonStyle.Secondary], ['vote', ButtonStyle.Secondary, '🗳️'], ['publish', ButtonStyle.Success, '🚀'], ['refresh', ButtonStyle.Secondary, '🔄'], ['patch', ButtonStyle.Secondary, '🎛️']],
  [['listen', ButtonStyle.Primary, '🎧']],
];

/** The card's components. */
export function cardComponents(record: DraftRecord, locale: string): APIMessageTopLevelComponent[] {
  const tr: Translator = (key, params) => t(locale, key, params);
  const spec = record.spec;
  const header: string[] = [`## ${tr('card.title', { version: record.version })}`, trackLine(spec, tr)];
  if (spec.track.references.length) {
    header.push(tr('card.references', { list: spec.track.references.map((r) => `${r.artist} – ${r.title}`).join('; ') }));
  }
  const extras = [spec.extras.chainOfThought ? tr('card.extraCot') : '', spec.extras.referenceAnchor ? tr('card.extraAnchor') : ''].filter(Boolean);
  if (extras.length) header.push(tr('card.extras', { list: extras.join(', ') }));

  const salt: string[] = [
    tr('card.spectral', {
      sub: formatHz(spec.spectral.subReservedBelowHz),
      lead: spec.spectral.leadRange ? tr('card.leadRange', { range: formatBand(spec.spectral.leadRange) }) : '',
    }),
  ];
  if (spec.attack) salt.push(tr('card.attack', { text: spec.attack.description }));
  salt.push(sidechainLine(spec, tr), timingLine(spec, tr));
  if (spec.arrangement) salt.push(tr('card.arrangement', { text: spec.arrangement.intent }));

  const layers = [tr('card.layersHeading', { count: spec.layers.length }), ...spec.layers.map((_, i) => layerLine(spec, i, tr))];

  const texts = [header.join('\n'), salt.join('\n'), layers.join('\n'), lintLines(lintSpec(spec), tr), `-# ${contributorsLine(record, tr)} · ${tr('card.footer')}`];
  const [t0, t1, t2, t3, t4] = fitTexts(texts, DISCORD_LIMITS.v2TextTotal - 100);

  const rows = STEP_ROWS.map((r) =>
    row(...r.map(([step, style, emoji]) => button(encodeAction({ kind: 'card', step }), tr(`card.buttons.${step}`), style, emoji))),
  );
  return [
    {
      type: ComponentType.Container,
      accent_color: 0x5865f2,
      components: [
        textDisplay(t0!),
        { type: ComponentType.Separator },
        textDisplay(t1!),
        textDisplay(t2!),
        textDisplay(t3!),
        textDisplay(t4!),
      ],
    },
    ...rows,
    row(publishSelect(tr)),
  ];
}

/** The full message body of a card. */
export function cardMessage(record: DraftRecord, locale: string): MessageBody & { flags: number; components: APIMessageTopLevelComponent[] } {
  return { flags: MessageFlags.IsComponentsV2, components: cardComponents(record, locale), allowed_mentions: { parse: [] } };
}
