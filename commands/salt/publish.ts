/**
 * /salt publish and the card's Publish button: posts the finished prompt publicly (guild locale) as
 * a readable Components V2 message, with the exact prompt (`salt-prompt.txt`) and the spec in the
 * preset file format (`salt-spec.json`) attached.
 *
 * When lint reports warnings or errors, the member first sees them privately with "Publish anyway"
 * (a `confirm` action, what 'publish', arg "<format>.<budget>") and Cancel; nothing is posted until
 * they confirm. The `confirm` handler lives in commands/salt/draft.ts (one handler per action kind)
 * and delegates what 'publish' to `publishConfirmed` below.
 */
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  MessageFlags,
  type APIApplicationCommandSubcommandOption,
  type APIMessageTopLevelComponent,
  type RESTPostAPIWebhookWithTokenJSONBody,
} from 'discord-api-types/v10';
import { renderCompact } from '../../src/domain/compact.js';
import { lintSpec, type LintFinding } from '../../src/domain/lint.js';
import { toPresetFile } from '../../src/domain/preset.js';
import { renderPrompt } from '../../src/domain/render.js';
import { SUNO_BUDGET, TARGETS, isTarget, renderTarget, type Target, type TargetField } from '../../src/domain/targets/index.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { lintLines, trackLine } from '../../src/discord/card.js';
import { PUBLISH_CHOICES, publishSelect } from '../../src/discord/publishSelect.js';
import { chartFile, chartGallery } from './draft.js';
import { encodeAction } from '../../src/discord/customId.js';
import { named } from '../../src/discord/definition.js';
import type { Deps } from '../../src/discord/deps.js';
import { UserError } from '../../src/discord/errors.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip } from '../../src/discord/limits.js';
import { button, deferred, ephemeral, row, safe, textDisplay, type OutgoingFile, type Reply } from '../../src/discord/reply.js';
import { commandLocalizations, commandText, t, type Translator } from '../../src/i18n/index.js';
import type { DraftRecord, Scope } from '../../src/store/types.js';

export type PublishFormat = Target;
export interface PublishArgs {
  readonly format: PublishFormat;
  readonly budget: number;
}

export const PUBLISH_BUDGET = { min: 50, max: 4000, default: 1000 } as const;
export const PROMPT_FILE = 'salt-prompt.txt';
export const SPEC_FILE = 'salt-spec.json';
/** Lint lines listed under a prompt published anyway. */
const LINT_LINES_UNDER_PROMPT = 3;
/** Lint lines in the private confirmation. */
const LINT_LINES_IN_ASK = 8;

function clampBudget(n: number | undefined, format: PublishFormat = 'compact'): number {
  const max = format === 'suno' ? SUNO_BUDGET.style : PUBLISH_BUDGET.max;
  if (n === undefined || !Number.isFinite(n)) return Math.min(max, PUBLISH_BUDGET.default);
  return Math.min(max, Math.max(PUBLISH_BUDGET.min, Math.round(n)));
}


/** "compact.200" / "full.1000" — fits the custom_id codec's arg pattern. */
export function encodePublishArgs(args: PublishArgs): string {
  return `${args.format}.${clampBudget(args.budget, args.format)}`;
}

export function decodePublishArgs(arg: string | undefined): PublishArgs {
  const m = /^([a-z0-9]+)\.(\d{1,5})$/.exec(arg ?? '');
  if (!m || !isTarget(m[1])) return { format: 'full', budget: PUBLISH_BUDGET.default };
  return { format: m[1], budget: clampBudget(Number(m[2]), m[1]) };
}

/** The exact prompt text of a publish. */
export function publishedPrompt(record: DraftRecord, args: PublishArgs): string {
  if (args.format === 'compact') return renderCompact(record.spec, clampBudget(args.budget));
  if (args.format === 'full') return renderPrompt(record.spec);
  return targetFields(record, args)
    .map((f) => f.text)
    .join('\n\n');
}

function targetFields(record: DraftRecord, args: PublishArgs): readonly TargetField[] {
  return renderTarget(record.spec, args.format, args.format === 'suno' ? { budget: clampBudget(args.budget, 'suno') } : {}).fields;
}

/** "salt-suno-style.txt". */
export function fieldFile(format: PublishFormat, field: TargetField): string {
  return `salt-${format}-${field.name}.txt`;
}

const blocking = (findings: readonly LintFinding[]) => findings.filter((f) => f.severity === 'warning' || f.severity === 'error');

function codeBlock(text: string): string {
  return '```\n' + text.replace(/```/g, "'''") + '\n```';
}

function file(name: string, text: string, contentType: string): OutgoingFile {
  const data = Buffer.from(text, 'utf8');
  if (data.length > DISCORD_LIMITS.attachmentBytes) throw new Error(`${name} is ${data.length} bytes (max ${DISCORD_LIMITS.attachmentBytes})`);
  return { name, data, contentType };
}

/** The public message and its two files. */
export function publishMessage(
  record: DraftRecord,
  args: PublishArgs,
  locale: string,
  by: string,
): { body: RESTPostAPIWebhookWithTokenJSONBody & { flags: number; components: APIMessageTopLevelComponent[] }; files: OutgoingFile[]; prompt: string } {
  if (args.format !== 'full' && args.format !== 'compact') return targetMessage(record, args, locale, by);
  const tr: Translator = (key, params) => t(locale, key, params);
  const spec = record.spec;
  const prompt = publishedPrompt(record, args);
  const findings = lintSpec(spec);
  const warnings = blocking(findings);

  const format = args.format === 'compact' ? tr('publish.formatCompact', { budget: clampBudget(args.budget) }) : tr('publish.formatFull');
  const heading = [
    tr('publish.heading', { version: record.version }),
    trackLine(spec, tr),
    tr('publish.by', { name: by.replace(/[*_`~|>@#<]/g, ''), format, chars: prompt.length }),
  ].join('\n');
  const lint = warnings.length ? clip(`${tr('publish.warningsHeading')}\n${lintLines(warnings, tr, LINT_LINES_UNDER_PROMPT)}`, 600) : '';
  const filesNote = tr('publish.files');

  // The prompt in a code block when everything fits the V2 text budget; else the compact form sized to fit.
  const margin = 10;
  const fixed = heading.length + lint.length + filesNote.length + margin;
  let shown = codeBlock(prompt);
  let note = '';
  if (fixed + shown.length > DISCORD_LIMITS.v2TextTotal) {
    note = tr('publish.attachedNote');
    const room = DISCORD_LIMITS.v2TextTotal - fixed - note.length - codeBlock('').length;
    shown = codeBlock(renderCompact(spec, Math.max(0, room)));
  }

  const promptFile = file(PROMPT_FILE, prompt, 'text/plain; charset=utf-8');
  const preset = toPresetFile(`draft-v${record.version}`, tr('publish.presetTitle'), tr('publish.presetDescription', { version: record.version }), spec);
  const specFile = file(SPEC_FILE, `${JSON.stringify(preset, null, 2)}\n`, 'application/json');

  const inner = [
    textDisplay(heading),
    { type: ComponentType.Separator as const },
    textDisplay(shown),
    ...(note ? [textDisplay(note)] : []),
    ...(lint ? [textDisplay(lint)] : []),
    textDisplay(filesNote),
    { type: ComponentType.File as const, file: { url: `attachment://${PROMPT_FILE}` } },
    { type: ComponentType.File as const, file: { url: `attachment://${SPEC_FILE}` } },
  ];
  const body = safe({
    flags: MessageFlags.IsComponentsV2,
    components: [{ type: ComponentType.Container, accent_color: 0x57f287, components: inner }] as APIMessageTopLevelComponent[],
    attachments: [
      { id: '0', filename: PROMPT_FILE },
      { id: '1', filename: SPEC_FILE },
    ],
  });
  return { body, files: [promptFile, specFile], prompt };
}

/**
 * A target profile's public message: per field a label line (the destination's field name, the
 * character count against its budget), the field in a copy-ready code block when it fits the V2
 * text budget (else a note), and its own `.txt`; then the spec file.
 */
function targetMessage(
  record: DraftRecord,
  args: PublishArgs,
  locale: string,
  by: string,
): { body: RESTPostAPIWebhookWithTokenJSONBody & { flags: number; components: APIMessageTopLevelComponent[] }; files: OutgoingFile[]; prompt: string } {
  const tr: Translator = (key, params) => t(locale, key, params);
  const spec = record.spec;
  const fields = targetFields(record, args);
  const prompt = fields.map((f) => f.text).join('\n\n');
  const findings = blocking(lintSpec(spec));
  const format = tr(`publish.targets.${args.format === 'suno' && clampBudget(args.budget, 'suno') <= SUNO_BUDGET.styleV4 ? 'sunoV4' : args.format}` as 'publish.targets.suno');
  const heading = [
    tr('publish.heading', { version: record.version }),
    trackLine(spec, tr),
    tr('publish.by', { name: by.replace(/[*_`~|>@#<]/g, ''), format, chars: prompt.length }),
  ].join('\n');
  const lint = findings.length ? clip(`${tr('publish.warningsHeading')}\n${lintLines(findings, tr, LINT_LINES_UNDER_PROMPT)}`, 600) : '';
  const filesNote = tr('publish.targetFiles');
  const labels = fields.map((f) =>
    tr('publish.fieldLabel', { label: f.label, chars: f.text.length, budget: f.budget ?? f.text.length, file: fieldFile(args.format, f) }),
  );
  let room = DISCORD_LIMITS.v2TextTotal - heading.length - lint.length - filesNote.length - labels.reduce((n, l) => n + l.length, 0) - 10;
  const inner: Record<string, unknown>[] = [textDisplay(heading), { type: ComponentType.Separator }];
  const files: OutgoingFile[] = [];
  fields.forEach((f, i) => {
    const name = fieldFile(args.format, f);
    const block = codeBlock(f.text);
    inner.push(textDisplay(labels[i]!));
    if (block.length <= room) {
      inner.push(textDisplay(block));
      room -= block.length;
    } else {
      const note = tr('publish.fieldAttached', { file: name });
      inner.push(textDisplay(note));
      room -= note.length;
    }
    inner.push({ type: ComponentType.File, file: { url: `attachment://${name}` } });
    files.push(file(name, `${f.text}\n`, 'text/plain; charset=utf-8'));
  });
  if (lint) inner.push(textDisplay(lint));
  inner.push(textDisplay(filesNote), { type: ComponentType.File, file: { url: `attachment://${SPEC_FILE}` } });
  const preset = toPresetFile(`draft-v${record.version}`, tr('publish.presetTitle'), tr('publish.presetDescription', { version: record.version }), spec);
  files.push(file(SPEC_FILE, `${JSON.stringify(preset, null, 2)}\n`, 'application/json'));
  const body = safe({
    flags: MessageFlags.IsComponentsV2,
    components: [{ type: ComponentType.Container, accent_color: 0x57f287, components: inner }] as unknown as APIMessageTopLevelComponent[],
    attachments: files.map((f, i) => ({ id: String(i), filename: f.name })),
  });
  return { body, files, prompt };
}

/** The card's "Publish for…" select (custom_id of the publish confirmation; the value is the profile). */

/** Adds the draft's picture (`salt-chart.png`, in a media gallery at the end of the container) to a publish message. */
export async function withChart<M extends { body: { components: APIMessageTopLevelComponent[]; attachments?: unknown }; files: OutgoingFile[] }>(
  message: M,
  record: DraftRecord,
  locale: string,
  deps: Deps,
): Promise<M> {
  const chart = await chartFile({ deps }, record.spec);
  if (!chart) return message;
  const [container, ...rest] = message.body.components as [{ components: unknown[] }, ...APIMessageTopLevelComponent[]];
  const gallery = chartGallery(t(locale, 'card.preview.chartAlt', { version: record.version }));
  const files = [...message.files, chart];
  return {
    ...message,
    body: {
      ...message.body,
      components: [{ ...container, components: [...container.components, gallery] }, ...rest] as unknown as APIMessageTopLevelComponent[],
      attachments: files.map((f, i) => ({ id: String(i), filename: f.name })),
    },
    files,
  };
}

/** Defers publicly (type 5), then posts the message with its files as the follow-up. */
function publishNow(inv: Invocation, scope: Scope, args: PublishArgs): Reply {
  const { deps, locales, actor } = inv;
  const token = inv.interaction.token;
  return deferred(false, () => postPublish(deps, token, scope, args, locales.guild, actor.name));
}

async function postPublish(deps: Deps, token: string, scope: Scope, args: PublishArgs, locale: string, by: string): Promise<void> {
  try {
    const record = await deps.store.drafts.get(scope);
    if (!record) {
      await deps.api.followUp(token, safe({ content: t(locale, 'errors.noDraft') }));
      return;
    }
    const { body, files } = await withChart(publishMessage(record, args, locale, by), record, locale, deps);
    await deps.api.followUp(token, body, files);
  } catch (error) {
    deps.log.error({ guildId: scope.guildId, channelId: scope.channelId, err: String(error) }, 'publishing failed');
    try {
      await deps.api.followUp(token, safe({ content: t(locale, 'errors.generic') }));
    } catch {
      // The interaction token may have expired; the log has the cause.
    }
  }
}

/** /salt publish and the card button: lint first, then publish (or ask). */
async function publish(inv: Invocation, args: PublishArgs): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const findings = lintSpec(record.spec);
  if (blocking(findings).length === 0) return publishNow(inv, scope, args);
  const tr = inv.locales.t;
  return ephemeral(clip(`${tr('publish.askTitle')}\n${lintLines(findings, tr, LINT_LINES_IN_ASK)}`, DISCORD_LIMITS.content), [
    row(
      button(encodeAction({ kind: 'confirm', what: 'publish', arg: encodePublishArgs(args) }), tr('publish.anyway'), ButtonStyle.Primary, '🚀'),
      button(encodeAction({ kind: 'cancel' }), tr('common.cancel')),
    ),
  ]);
}

/** "Publish anyway" (confirm what 'publish'), called from the `confirm` handler in draft.ts. */
export async function publishConfirmed(inv: Invocation, arg: string | undefined): Promise<Reply> {
  // The card's "Publish for…" select carries the profile as its value: a fresh publish (lint first).
  const values = (inv.interaction.data as { values?: unknown } | undefined)?.values;
  if (Array.isArray(values) && typeof values[0] === 'string') return publish(inv, decodePublishArgs(values[0]));
  const scope = scopeOf(inv.interaction);
  if (!(await inv.deps.store.drafts.get(scope))) throw new UserError('errors.noDraft');
  return publishNow(inv, scope, decodePublishArgs(arg));
}

const publishOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.publish'),
  options: [
    {
      type: ApplicationCommandOptionType.String,
      ...named('salt.publish.format'),
      required: false,
      choices: (['full', 'compact'] as const).map((value) => ({
        name: commandText(`salt.publish.format.${value}`),
        name_localizations: commandLocalizations(`salt.publish.format.${value}`),
        value,
      })),
    },
    { type: ApplicationCommandOptionType.Integer, ...named('salt.publish.budget'), required: false, min_value: PUBLISH_BUDGET.min, max_value: PUBLISH_BUDGET.max },
    {
      type: ApplicationCommandOptionType.String,
      ...named('salt.publish.target'),
      required: false,
      choices: TARGETS.map((value) => ({
        name: commandText(`salt.publish.target.${value}`),
        name_localizations: commandLocalizations(`salt.publish.target.${value}`),
        value,
      })),
    },
  ],
};

export const publishModule: CommandModule = {
  options: [publishOption],
  confirms: { publish: (inv, action) => publishConfirmed(inv, action.arg) },
  run: {
    async publish(inv, options) {
      const target = options.get('target')?.value;
      const format: PublishFormat = isTarget(target) ? target : options.get('format')?.value === 'compact' ? 'compact' : 'full';
      const budget = options.get('budget')?.value;
      return publish(inv, { format, budget: clampBudget(typeof budget === 'number' ? budget : undefined, format) });
    },
  },
  cardSteps: {
    publish: (inv) => publish(inv, { format: 'full', budget: PUBLISH_BUDGET.default }),
  },
};

export { PUBLISH_CHOICES, publishSelect };
