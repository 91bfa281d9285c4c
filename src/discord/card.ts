/**
 * The draft card: one Components V2 message per channel showing the spec at a glance, with a
 * button for every step. Public, so it is written in the guild's locale.
 *
 * Rendering is cached where the input cannot change: the store hands out deeply frozen records
 * (the same object for the same stored text) and trusted, frozen specs. So a record's card is
 * rendered once per locale (a `/salt show` and the card refresh of the same version cost one
 * render), a spec's texts (track, salt, layers, lint) once per locale whatever the version, and
 * the button rows once per locale. Cached bodies are deeply frozen and shared.
 */
import { ButtonStyle, ComponentType, MessageFlags, type APIActionRowComponent, type APIMessageTopLevelComponent, type APIStringSelectComponent } from 'discord-api-types/v10';
import { lintSpec, type LintFinding } from '../domain/lint.js';
import { buildRange, formatBand, formatHz, formatNumber, pumpCharacter } from '../domain/render.js';
import type { Spec } from '../domain/spec.js';
import { barTimestamp, releaseWindow } from '../domain/timing.js';
import { deepFreeze, isTrustedSpec } from '../domain/trusted.js';
import { resolveLocale, t, type Locale, type Translator } from '../i18n/index.js';
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

const CONTRIBUTORS_CHARS = 600;

function contributorsLine(record: DraftRecord, tr: Translator): string {
  // What `clip(all.join(' · '), 600)` gives: once the list is longer than that, later names cannot show.
  let list = '';
  for (const c of Object.values(record.contributors)) {
    if (list.length > CONTRIBUTORS_CHARS) break;
    list += `${list ? ' · ' : ''}${c.name.replace(/[*_`~|>@#<]/g, '')} (${c.parts.slice(0, 4).join(', ')}${c.parts.length > 4 ? '…' : ''})`;
  }
  const shown = clip(list, CONTRIBUTORS_CHARS);
  return tr('card.contributors', { list: record.contributorsMore ? tr('card.contributorsOthers', { list: shown }) : shown });
}

const STEP_ROWS: readonly (readonly [CardStep, ButtonStyle, string?][])[] = [
  [['track', ButtonStyle.Primary, '🎚️'], ['details', ButtonStyle.Secondary], ['sidechain', ButtonStyle.Primary, '〰️'], ['timing', ButtonStyle.Primary, '⏱️'], ['preview', ButtonStyle.Secondary, '👁️']],
  [['layeradd', ButtonStyle.Success, '➕'], ['layeredit', ButtonStyle.Secondary, '✏️'], ['layerremove', ButtonStyle.Danger], ['undo', ButtonStyle.Secondary, '↩️'], ['history', ButtonStyle.Secondary]],
  [['lint', ButtonStyle.Secondary], ['vote', ButtonStyle.Secondary, '🗳️'], ['publish', ButtonStyle.Success, '🚀'], ['refresh', ButtonStyle.Secondary, '🔄'], ['patch', ButtonStyle.Secondary, '🎛️']],
  [['listen', ButtonStyle.Primary, '🎧']],
];

/** The button rows and the publish select of a card: the same for every card of a locale. */
type StaticRows = readonly APIActionRowComponent<ReturnType<typeof button> | APIStringSelectComponent>[];
const rowsByLocale = new Map<Locale, StaticRows>();

function staticRows(locale: Locale): StaticRows {
  let rows = rowsByLocale.get(locale);
  if (!rows) {
    const tr: Translator = (key, params) => t(locale, key, params);
    rows = deepFreeze([
      ...STEP_ROWS.map((r) => row(...r.map(([step, style, emoji]) => button(encodeAction({ kind: 'card', step }), tr(`card.buttons.${step}`), style, emoji)))),
      row(publishSelect(tr)),
    ]);
    rowsByLocale.set(locale, rows);
  }
  return rows;
}

/** The texts of a card that depend on the spec alone (not on the version or the contributors). */
interface SpecTexts {
  /** Track line, references, extras (the header without its title). */
  readonly header: string;
  readonly salt: string;
  readonly layers: string;
  readonly lint: string;
}

/** By trusted (frozen, valid) spec object, then locale. */
const specTextsCache = new WeakMap<Spec, Map<Locale, SpecTexts>>();

function specTexts(spec: Spec, locale: Locale, tr: Translator): SpecTexts {
  const trusted = isTrustedSpec(spec);
  const cached = trusted ? specTextsCache.get(spec)?.get(locale) : undefined;
  if (cached) return cached;
  const header: string[] = [trackLine(spec, tr)];
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
  const texts: SpecTexts = { header: header.join('\n'), salt: salt.join('\n'), layers: layers.join('\n'), lint: lintLines(lintSpec(spec), tr) };
  if (trusted) {
    let byLocale = specTextsCache.get(spec);
    if (!byLocale) {
      byLocale = new Map();
      specTextsCache.set(spec, byLocale);
    }
    byLocale.set(locale, texts);
  }
  return texts;
}

/** The card's components. */
export function cardComponents(record: DraftRecord, locale: string): APIMessageTopLevelComponent[] {
  const loc = resolveLocale(locale);
  const tr: Translator = (key, params) => t(loc, key, params);
  const spec = specTexts(record.spec, loc, tr);
  const texts = [
    `## ${tr('card.title', { version: record.version })}\n${spec.header}`,
    spec.salt,
    spec.layers,
    spec.lint,
    `-# ${contributorsLine(record, tr)} · ${tr('card.footer')}`,
  ];
  const [t0, t1, t2, t3, t4] = fitTexts(texts, DISCORD_LIMITS.v2TextTotal - 100);
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
    ...staticRows(loc),
  ];
}

export type CardBody = MessageBody & { flags: number; components: APIMessageTopLevelComponent[] };

/** Rendered cards by record object (frozen records only: they cannot change), then locale. */
const cardCache = new WeakMap<DraftRecord, Map<Locale, CardBody>>();

/** Whether a record can never change (the store hands out deeply frozen records with trusted specs). */
function immutable(record: DraftRecord): boolean {
  return Object.isFrozen(record) && Object.isFrozen(record.contributors) && isTrustedSpec(record.spec);
}

/**
 * The full message body of a card. For a frozen record the body is rendered once per locale and
 * shared (deeply frozen: a caller that wants another body builds a new object around it).
 */
export function cardMessage(record: DraftRecord, locale: string): CardBody {
  if (!immutable(record)) return { flags: MessageFlags.IsComponentsV2, components: cardComponents(record, locale), allowed_mentions: { parse: [] } };
  const loc = resolveLocale(locale);
  let byLocale = cardCache.get(record);
  let body = byLocale?.get(loc);
  if (body) return body;
  body = deepFreeze({ flags: MessageFlags.IsComponentsV2, components: cardComponents(record, loc), allowed_mentions: { parse: [] } });
  if (!byLocale) {
    byLocale = new Map();
    cardCache.set(record, byLocale);
  }
  byLocale.set(loc, body);
  return body;
}
