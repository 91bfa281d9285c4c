/**
 * /salt undo and /salt history, and the card's Undo and History buttons.
 */
import { ApplicationCommandOptionType, type APIApplicationCommandSubcommandOption } from 'discord-api-types/v10';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { refreshCard } from '../../src/discord/cardSync.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { clip } from '../../src/discord/limits.js';
import { ephemeral, type Reply } from '../../src/discord/reply.js';
import { plainName, v2Texts } from './misc.js';

/** Versions /salt history lists. */
export const HISTORY_SHOWN = 20;

function summaryText(summary: string): string {
  return clip(summary.replace(/[`*_~|<>@]/g, ''), 60) || '—';
}

async function undoReply(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const { deps, locales } = inv;
  const record = await deps.store.drafts.undo(scope, inv.actor);
  const history = await deps.store.drafts.history(scope);
  // The version undone is the one just before the new record; the restored one precedes it.
  const undone = history.find((h) => h.version === record.version - 1);
  const restored = undone ? history.find((h) => h.version < undone.version) : undefined;
  const tr = locales.t;
  return {
    ...ephemeral(
      tr('history.undone', {
        restored: restored?.version ?? '?',
        undone: undone?.version ?? record.version - 1,
        summary: summaryText(undone?.summary ?? '—'),
        by: plainName(undone?.actor.name ?? '?'),
        version: record.version,
      }),
    ),
    after: () => refreshCard(deps, scope, locales.guild),
  };
}

async function historyReply(inv: Invocation): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const record = await inv.deps.store.drafts.get(scope);
  if (!record) throw new UserError('errors.noDraft');
  const all = await inv.deps.store.drafts.history(scope);
  const tr = inv.locales.t;
  if (all.length === 0) return ephemeral(tr('history.empty'));
  const shown = all.slice(0, HISTORY_SHOWN);
  const lines = shown.map(
    (h) =>
      tr('history.line', { version: h.version, at: Math.floor(h.at / 1000), by: plainName(h.actor.name), summary: summaryText(h.summary) }) +
      (h.version === record.version ? tr('history.current') : ''),
  );
  return v2Texts([tr('history.heading'), lines.join('\n'), tr('history.shown', { shown: shown.length, total: all.length })]);
}

const undoOption: APIApplicationCommandSubcommandOption = { type: ApplicationCommandOptionType.Subcommand, ...named('salt.undo') };
const historyOption: APIApplicationCommandSubcommandOption = { type: ApplicationCommandOptionType.Subcommand, ...named('salt.history') };

export const historyModule: CommandModule = {
  options: [undoOption, historyOption],
  run: {
    undo: (inv) => undoReply(inv),
    history: (inv) => historyReply(inv),
  },
  cardSteps: {
    undo: (inv) => undoReply(inv),
    history: (inv) => historyReply(inv),
  },
};
