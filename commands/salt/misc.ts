/**
 * /salt lint (and the card's Lint button), /salt reset (with its confirmation, answered through
 * draft.ts's confirm handler) and /salt help, plus a helper other modules use to answer with
 * an ephemeral Components V2 message that stays within Discord's text budget.
 */
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIApplicationCommandSubcommandOption,
  type APIMessageTopLevelComponent,
} from 'discord-api-types/v10';
import { measureSpecInWorker } from '../../src/audio/pool.js';
import { lintSpec, type LintFinding } from '../../src/domain/lint.js';
import type { Translator } from '../../src/i18n/index.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { lintText } from '../../src/discord/card.js';
import type { Action } from '../../src/discord/customId.js';
import { encodeAction } from '../../src/discord/customId.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { canManageMessages, scopeOf } from '../../src/discord/interaction.js';
import { clip, fitTexts } from '../../src/discord/limits.js';
import { button, ephemeral, ephemeralV2, row, safe, textDisplay, type OutgoingFile, type Reply } from '../../src/discord/reply.js';
import type { DraftRecord } from '../../src/store/types.js';


/** An ephemeral V2 message of text blocks (fitted), optionally with extra components and files. */
export function v2Texts(texts: string[], extra: APIMessageTopLevelComponent[] = [], files?: OutgoingFile[]): Reply {
  const blocks = fitTexts(texts.filter((s) => s.length > 0)).map((s) => textDisplay(s));
  return ephemeralV2([...blocks, ...extra], files);
}

/** Strips characters that would turn a member's name into markdown. */
export function plainName(name: string): string {
  return clip(name.replace(/[*_`~|>@#<\\]/g, ''), 32) || '?';
}

// ---- lint ----------------------------------------------------------------------------------

const ICON: Record<string, string> = { error: '⛔', warning: '⚠️', info: 'ℹ️' };

/** Every finding as one localized line each (with the field it is about). */
export function lintFindingLines(findings: readonly LintFinding[], tr: Translator): string[] {
  return findings.map((f) => `${ICON[f.severity] ?? '•'} ${lintText(f, tr)}${f.path ? ` · \`${f.path}\`` : ''}`);
}

/** Lines grouped into blocks of up to ~10 (one block per finding would use many components). */
function blocksOf(lines: readonly string[]): string[] {
  const blocks: string[] = [];
  for (let i = 0; i < lines.length; i += 10) blocks.push(lines.slice(i, i + 10).join('\n'));
  return blocks;
}

/** Measured findings (rendered and analysed), each marked with 🔬 under the "Measured" heading. */
export function measuredLines(findings: readonly LintFinding[], tr: Translator): string[] {
  return findings.map((f) => `${ICON[f.severity] ?? '•'} 🔬 ${lintText(f, tr)}${f.path ? ` · \`${f.path}\`` : ''}`);
}

/** The lint message's text blocks; `measured` is the measured part (its heading and lines, or a status line). */
function lintTexts(record: DraftRecord, tr: Translator, measured: string[]): string[] {
  const findings = lintSpec(record.spec);
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const summary =
    findings.length === 0
      ? tr('card.lintClean')
      : tr('card.lintSummary', { warnings: count('warning'), errors: count('error'), infos: count('info') });
  return [`${tr('help.lintHeading', { version: record.version })}\n${summary}`, ...blocksOf(lintFindingLines(findings, tr)), ...measured, tr('help.lintFooter')];
}

/**
 * /salt lint and the Lint button: the normal lint at once (with a "measuring…" line), then the
 * measured findings (each layer rendered and analysed on the preview worker) edited in.
 */
async function lintReply(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const tr = inv.locales.t;
  const { deps } = inv;
  const token = inv.interaction.token;
  const first = v2Texts(lintTexts(record, tr, [tr('help.lintMeasuring')]));
  return {
    ...first,
    after: async () => {
      let measured: string[];
      try {
        const { findings } = await measureSpecInWorker(record.spec);
        measured = findings.length === 0 ? [tr('help.lintMeasuredClean')] : blocksOf([tr('help.lintMeasuredHeading'), ...measuredLines(findings, tr)]);
      } catch (error) {
        deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId, err: error instanceof Error ? error.message : String(error) }, 'measured lint failed');
        measured = [tr('help.lintMeasureFailed')];
      }
      const reply = v2Texts(lintTexts(record, tr, measured));
      const { components } = (reply.response as { data: { components: APIMessageTopLevelComponent[] } }).data;
      try {
        await deps.api.editOriginal(token, { flags: MessageFlags.IsComponentsV2, components, allowed_mentions: { parse: [] } });
      } catch (error) {
        deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId, err: String(error) }, 'could not add the measured lint');
      }
    },
  };
}

// ---- reset ---------------------------------------------------------------------------------

function mayReset(inv: Invocation, record: DraftRecord): boolean {
  return record.createdBy.id === inv.actor.id || canManageMessages(inv.interaction);
}

async function askReset(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const tr = inv.locales.t;
  if (!mayReset(inv, record)) throw new UserError('errors.notAllowed', { action: tr('help.resetAction') });
  return ephemeral(tr('help.resetAsk', { version: record.version, creator: plainName(record.createdBy.name) }), [
    row(
      button(encodeAction({ kind: 'confirm', what: 'reset', arg: String(record.version) }), tr('help.resetButton'), ButtonStyle.Danger),
      button(encodeAction({ kind: 'cancel' }), tr('common.cancel')),
    ),
  ]);
}

/**
 * The Reset confirmation (draft.ts's confirm handler delegates `what: 'reset'` here): checks the
 * permission again on the server, deletes the draft and its history, and turns the card into a
 * note saying it was reset.
 */
export async function confirmReset(inv: Invocation, _action: Extract<Action, { kind: 'confirm' }>): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const tr = inv.locales.t;
  if (!mayReset(inv, record)) throw new UserError('errors.notAllowed', { action: tr('help.resetAction') });
  await inv.deps.store.drafts.delete(scope, inv.actor);
  const { deps, locales, actor } = inv;
  const cardId = record.cardMessageId;
  return {
    response: { type: InteractionResponseType.UpdateMessage, data: safe({ content: tr('help.resetDone'), components: [] }) },
    after: async () => {
      if (!cardId) return;
      try {
        await deps.api.editMessage(scope.channelId, cardId, {
          flags: MessageFlags.IsComponentsV2,
          components: [
            {
              type: ComponentType.Container,
              accent_color: 0x99aab5,
              components: [textDisplay(locales.tg('help.resetCard', { by: plainName(actor.name) }))],
            },
          ],
          allowed_mentions: { parse: [] },
        });
      } catch (error) {
        deps.log.warn({ guildId: scope.guildId, channelId: scope.channelId, err: String(error) }, 'could not mark the card as reset');
      }
    },
  };
}

// ---- help ----------------------------------------------------------------------------------

interface SubcommandInfo {
  path: string;
  description: string;
}

/** Every /salt subcommand path with its description in a locale (read from the registry). */
async function subcommands(locale: string): Promise<SubcommandInfo[]> {
  // Imported lazily: the registry imports this module.
  const { saltCommand } = await import('../index.js');
  const out: SubcommandInfo[] = [];
  type Opt = { type: number; name: string; description: string; description_localizations?: Record<string, string | null> | null; options?: Opt[] };
  const describe = (o: Opt) => o.description_localizations?.[locale] ?? o.description;
  for (const o of saltCommand.options as unknown as Opt[]) {
    if (o.type === ApplicationCommandOptionType.SubcommandGroup) {
      for (const sub of o.options ?? []) out.push({ path: `${o.name} ${sub.name}`, description: describe(sub) });
    } else if (o.type === ApplicationCommandOptionType.Subcommand) {
      out.push({ path: o.name, description: describe(o) });
    }
  }
  return out;
}

async function helpReply(inv: Invocation): Promise<Reply> {
  const tr = inv.locales.t;
  const lines = (await subcommands(inv.locales.user)).map((c) => {
    const key = `help.examples.${c.path}`;
    const example = tr(key);
    return example === key ? tr('help.commandLine', { path: c.path, text: c.description }) : `• ${example}`;
  });
  return v2Texts([
    `${tr('help.title')}\n${tr('help.what')}`,
    `${tr('help.stepsHeading')}\n${tr('help.steps')}\n-# ${tr('help.cardHint')}`,
    `${tr('help.commandsHeading')}\n${lines.join('\n')}`,
  ]);
}

const lintOption: APIApplicationCommandSubcommandOption = { type: ApplicationCommandOptionType.Subcommand, ...named('salt.lint') };
const resetOption: APIApplicationCommandSubcommandOption = { type: ApplicationCommandOptionType.Subcommand, ...named('salt.reset') };
const helpOption: APIApplicationCommandSubcommandOption = { type: ApplicationCommandOptionType.Subcommand, ...named('salt.help') };

export const miscModule: CommandModule = {
  options: [lintOption, resetOption, helpOption],
  confirms: { reset: confirmReset },
  run: {
    lint: (inv) => lintReply(inv),
    reset: (inv) => askReset(inv),
    help: (inv) => helpReply(inv),
  },
  cardSteps: {
    lint: (inv) => lintReply(inv),
  },
};
