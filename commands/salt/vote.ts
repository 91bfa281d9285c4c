/**
 * /salt vote and the card's Vote button: the channel votes on which preset the draft should use.
 *
 * A vote is a public Components V2 message (guild locale) with a live tally, a string select
 * (`vote:pick:<voteId>`) and a Close button (`vote:close:<voteId>`). Everything lives in the store
 * (`store.votes`), so picks and closing keep working across restarts and processes.
 *
 * Closing (the Close button, or the deadline timer) goes through `closeVoteById`: the store closes
 * the vote exactly once (a second close is a no-op), the winner (ties go to the option listed first)
 * replaces the channel draft's spec, an announcement is posted, the vote message shows its closed
 * state and the card is refreshed.
 *
 * Wiring (entry point): the scheduler needs a closer and the closer needs deps, so bind late:
 *
 *   const deps: Deps = { store, api, log, now: Date.now, votes: { schedule: (id, at) => scheduler.schedule(id, at) } };
 *   const scheduler = createVoteScheduler(deps, closeVoteOnTimer(deps));   // src/discord/voteScheduler.ts
 *   await scheduler.start();   // re-arms open votes; closes the ones whose deadline passed while down
 *   …on shutdown: scheduler.stop();
 */
import { randomInt } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIApplicationCommandSubcommandOption,
  type APIMessageComponentInteraction,
  type APIMessageTopLevelComponent,
  type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { getBuiltinPreset, loadBuiltinPresets } from '../../src/domain/presets.js';
import type { Spec } from '../../src/domain/spec.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { guildLocale, refreshCard, rememberGuildLocale } from '../../src/discord/cardSync.js';
import { encodeAction } from '../../src/discord/customId.js';
import { named } from '../../src/discord/definition.js';
import type { Deps } from '../../src/discord/deps.js';
import { UserError } from '../../src/discord/errors.js';
import { canManageMessages, scopeOf, type Actor } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS, clip, fitTexts } from '../../src/discord/limits.js';
import { button, ephemeral, row, safe, textDisplay, type Reply } from '../../src/discord/reply.js';
import { t, type Translator } from '../../src/i18n/index.js';
import { DraftExistsError, DraftMissingError } from '../../src/store/errors.js';
import type { LiveVote, VoteCloseResult, VoteInfo, VoteRecord } from '../../src/store/types.js';

export const VOTE_DEFAULT_MINUTES = 10;
export const VOTE_MAX_MINUTES = 1440;
export const VOTE_MAX_OPTIONS = DISCORD_LIMITS.selectOptions;
/** Who closes a vote when its deadline passes (credited in the draft's history). */
export const VOTE_TIMER_ACTOR: Actor = { id: 'saltbot-vote-timer', name: 'vote deadline' };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BAR_WIDTH = 12;

/** A short random base62 vote id (fits the custom_id codec's ≤ 40-character id). */
export function newVoteId(length = 10): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

interface PresetChoice {
  name: string;
  title: string;
  spec: Spec;
}

/** Built-ins first (display order), then the server's saved presets not shadowed by a built-in. */
async function allPresets(deps: Deps, guildId: string): Promise<PresetChoice[]> {
  const out: PresetChoice[] = loadBuiltinPresets().map((p) => ({ name: p.name, title: p.title, spec: p.spec }));
  const seen = new Set(out.map((p) => p.name));
  for (const p of await deps.store.presets.list(guildId)) {
    if (!seen.has(p.name)) {
      seen.add(p.name);
      out.push({ name: p.name, title: p.title, spec: p.spec });
    }
  }
  return out;
}

/** One preset by name: built-in, then this server's saved presets. */
async function lookupPreset(deps: Deps, guildId: string, name: string): Promise<PresetChoice | undefined> {
  const builtin = getBuiltinPreset(name);
  if (builtin) return { name: builtin.name, title: builtin.title, spec: builtin.spec };
  const saved = await deps.store.presets.get(guildId, name.trim().toLowerCase());
  return saved ? { name: saved.name, title: saved.title, spec: saved.spec } : undefined;
}

/** Titles of a vote's options (a deleted server preset shows its name). */
async function titlesOf(deps: Deps, vote: Pick<VoteInfo, 'guildId' | 'options'>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of vote.options) out[name] = (await lookupPreset(deps, vote.guildId, name))?.title ?? name;
  return out;
}

/** Splits "a, b,c" into trimmed, lower-cased, de-duplicated names. */
export function parsePresetList(raw: string): string[] {
  const names = raw
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  return [...new Set(names)];
}

/** Resolves the vote's options: the given names (all must exist) or every preset, at most 25. */
async function resolveOptions(deps: Deps, guildId: string, raw: string | undefined): Promise<string[]> {
  if (raw === undefined || raw.trim() === '') {
    const all = await allPresets(deps, guildId);
    return all.slice(0, VOTE_MAX_OPTIONS).map((p) => p.name);
  }
  const names = parsePresetList(raw);
  const all = await allPresets(deps, guildId);
  const known = new Set(all.map((p) => p.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new UserError('vote.unknownPresets', { names: clip(unknown.map((n) => `\`${clip(n.replace(/`/g, ''), 40)}\``).join(', '), 1500) });
  }
  if (names.length > VOTE_MAX_OPTIONS) throw new UserError('vote.tooMany', { max: VOTE_MAX_OPTIONS, count: names.length });
  if (names.length < 2) throw new UserError('vote.tooFew', { count: names.length });
  return names;
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** A vote as its message shows it, counted from its ballots (a new vote; picks get the store's live tally). */
export function liveOf(vote: VoteRecord): LiveVote {
  const { ballots, ...info } = vote;
  const tally: Record<string, number> = Object.fromEntries(vote.options.map((o) => [o, 0]));
  for (const option of Object.values(ballots)) if (Object.hasOwn(tally, option)) tally[option] = (tally[option] ?? 0) + 1;
  return { ...info, tally, ballotCount: Object.keys(ballots).length };
}

export function bar(count: number, total: number, width = BAR_WIDTH): string {
  const filled = total > 0 ? Math.round((count / total) * width) : 0;
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/** One line per option with its count, bar and share (`tally`: the live count, or the closing's). */
function optionLines(vote: LiveVote | VoteCloseResult, titles: Record<string, string>, tr: Translator): string[] {
  const tally = vote.closed ? vote.closed.tally : (vote as LiveVote).tally;
  const total = Object.values(tally).reduce((a, b) => a + b, 0);
  return vote.options.map((name, i) => {
    const count = tally[name] ?? 0;
    return tr('vote.optionLine', {
      index: i + 1,
      name,
      title: clip((titles[name] ?? name).replace(/[*_`~|>]/g, ''), 80),
      bar: bar(count, total),
      count,
      percent: total > 0 ? Math.round((count / total) * 100) : 0,
    });
  });
}


function cleanName(name: string): string {
  return name.replace(/[*_`~|>@#<]/g, '');
}

/** The open vote message: title, options with live tally, deadline, tie rule, select and Close. */
export function openVoteMessage(vote: LiveVote, titles: Record<string, string>, locale: string) {
  const tr: Translator = (key, params) => t(locale, key, params);
  const unix = Math.floor(vote.closesAt / 1000);
  const head = `## ${tr('vote.title')}\n${tr('vote.startedBy', { name: cleanName(vote.createdBy.name) })}`;
  const options = optionLines(vote, titles, tr).join('\n');
  const foot = [
    tr('vote.deadline', { relative: `<t:${unix}:R>`, absolute: `<t:${unix}:f>` }),
    tr('vote.ballots', { count: vote.ballotCount }),
    `-# ${tr('vote.tieRule')}`,
  ].join('\n');
  const [h, o, f] = fitTexts([head, options, foot]);
  const select: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: encodeAction({ kind: 'vote', op: 'pick', voteId: vote.id }),
    placeholder: clip(tr('vote.placeholder'), DISCORD_LIMITS.selectPlaceholder),
    min_values: 1,
    max_values: 1,
    options: vote.options.slice(0, VOTE_MAX_OPTIONS).map((name, i) => ({
      value: name.slice(0, DISCORD_LIMITS.selectOptionValue),
      label: clip(`${i + 1}. ${name}`, DISCORD_LIMITS.selectOptionLabel),
      ...(titles[name] && titles[name] !== name ? { description: clip(titles[name]!, DISCORD_LIMITS.selectOptionDescription) } : {}),
    })),
  };
  const components: APIMessageTopLevelComponent[] = [
    {
      type: ComponentType.Container,
      accent_color: 0xfee75c,
      components: [textDisplay(h!), { type: ComponentType.Separator }, textDisplay(o!), textDisplay(f!)],
    },
    row(select),
    row(button(encodeAction({ kind: 'vote', op: 'close', voteId: vote.id }), tr('vote.close'), ButtonStyle.Danger, '🔒')),
  ];
  return safe({ flags: MessageFlags.IsComponentsV2, components });
}

/** Winner and tie lines of a closed vote. */
function resultLines(closed: VoteCloseResult['closed'], options: readonly string[], tr: Translator): string[] {
  if (closed.winner === null) return [tr('vote.noVotes')];
  const top = closed.tally[closed.winner] ?? 0;
  const lines = [tr('vote.winner', { name: closed.winner, count: top })];
  const tied = options.filter((o) => (closed.tally[o] ?? 0) === top);
  if (tied.length > 1) lines.push(tr('vote.tieBroken', { names: tied.map((n) => `**${n}**`).join(', '), name: closed.winner }));
  return lines;
}

/** The vote message once closed: results, no select, no button. */
export function closedVoteMessage(vote: VoteCloseResult, titles: Record<string, string>, locale: string, reason: 'timer' | 'button') {
  const tr: Translator = (key, params) => t(locale, key, params);
  const head = `## ${tr('vote.closedTitle')}\n${reason === 'timer' ? tr('vote.closedOnTime') : tr('vote.closedBy', { name: cleanName(vote.closed.by.name) })}`;
  const options = optionLines(vote, titles, tr).join('\n');
  const result = [...resultLines(vote.closed, vote.options, tr), `-# ${tr('vote.tieRule')}`].join('\n');
  const [h, o, r] = fitTexts([head, options, result]);
  return safe({
    flags: MessageFlags.IsComponentsV2,
    components: [
      {
        type: ComponentType.Container,
        accent_color: 0x99aab5,
        components: [textDisplay(h!), { type: ComponentType.Separator }, textDisplay(o!), textDisplay(r!)],
      },
    ] as APIMessageTopLevelComponent[],
  });
}

// ---------------------------------------------------------------------------------------------
// Starting, picking, closing
// ---------------------------------------------------------------------------------------------

async function startVote(inv: Invocation, rawPresets: string | undefined, minutes: number): Promise<Reply> {
  const scope = scopeOf(inv.interaction);
  const { deps, locales, actor } = inv;
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > VOTE_MAX_MINUTES) minutes = VOTE_DEFAULT_MINUTES;
  const options = await resolveOptions(deps, scope.guildId, rawPresets);
  if (options.length < 2) throw new UserError('vote.tooFew', { count: options.length });
  const now = deps.now();
  const vote: VoteRecord = {
    id: newVoteId(),
    guildId: scope.guildId,
    channelId: scope.channelId,
    options,
    ballots: {},
    createdBy: { id: actor.id, name: actor.name },
    createdAt: now,
    closesAt: now + minutes * 60_000,
  };
  await deps.store.votes.create(vote);
  deps.votes.schedule(vote.id, vote.closesAt);
  const titles = await titlesOf(deps, vote);
  const token = inv.interaction.token;
  return {
    response: { type: InteractionResponseType.ChannelMessageWithSource, data: openVoteMessage(liveOf(vote), titles, locales.guild) },
    after: async () => {
      await rememberGuildLocale(deps, scope.guildId, locales.guild);
      try {
        const original = await deps.api.getOriginal(token);
        await deps.store.votes.setMessage(vote.id, original.id);
      } catch (error) {
        deps.log.warn({ voteId: vote.id, err: String(error) }, 'could not learn the vote message id');
      }
    },
  };
}

/**
 * The vote a component names (without its ballots: one small read), only when it belongs to the
 * channel the interaction comes from: a custom_id naming another server's or channel's vote (forged)
 * is answered as an unknown vote.
 */
async function voteHere(inv: Invocation<APIMessageComponentInteraction>, voteId: string): Promise<VoteInfo> {
  const scope = scopeOf(inv.interaction);
  const vote = await inv.deps.store.votes.info(voteId);
  if (!vote || vote.guildId !== scope.guildId || vote.channelId !== scope.channelId) throw new UserError('errors.store.vote_missing');
  return vote;
}

async function pick(inv: Invocation<APIMessageComponentInteraction>, voteId: string): Promise<Reply> {
  const { deps, actor, locales } = inv;
  const values = (inv.interaction.data as { values?: unknown }).values;
  const option = Array.isArray(values) && typeof values[0] === 'string' ? values[0] : undefined;
  const current = await voteHere(inv, voteId);
  if (current.closed) return ephemeral(locales.t('vote.alreadyClosed'));
  if (option === undefined || !current.options.includes(option)) throw new UserError('errors.store.vote_option');
  if (deps.now() >= current.closesAt) {
    // The deadline passed but the timer has not fired yet (or fired in another process that is down).
    return { ...ephemeral(locales.t('vote.ended')), after: () => closeVoteById(deps, voteId, VOTE_TIMER_ACTOR, 'timer') };
  }
  const vote = await deps.store.votes.cast(voteId, actor.id, option);
  const titles = await titlesOf(deps, vote);
  return { response: { type: InteractionResponseType.UpdateMessage, data: openVoteMessage(vote, titles, locales.guild) } };
}

async function closeButton(inv: Invocation<APIMessageComponentInteraction>, voteId: string): Promise<Reply> {
  const { deps, actor, locales } = inv;
  const vote = await voteHere(inv, voteId);
  // Permission comes from the interaction (computed by Discord), never from the custom_id.
  if (vote.createdBy.id !== actor.id && !canManageMessages(inv.interaction)) throw new UserError('vote.notAllowed');
  if (vote.closed) return ephemeral(locales.t('vote.alreadyClosed'));
  if (!vote.messageId && inv.interaction.message?.id) {
    await deps.store.votes.setMessage(voteId, inv.interaction.message.id).catch(() => undefined);
  }
  // Acknowledge (type 6); closeVoteById edits the vote message in place and posts the result.
  return { response: { type: InteractionResponseType.DeferredMessageUpdate }, after: () => closeVoteById(deps, voteId, actor, 'button') };
}

/** Replaces the channel's draft spec with the winner (or starts a draft). Returns the new version. */
async function applyWinner(deps: Deps, vote: VoteInfo, by: Actor, name: string, spec: Spec): Promise<{ version: number; created: boolean }> {
  const scope = { guildId: vote.guildId, channelId: vote.channelId };
  const actor = { id: by.id, name: by.name };
  const update = async () => {
    const { record } = await deps.store.drafts.update(scope, actor, `vote ${name}`, (cur) => ({ ...cur, spec: structuredClone(spec) }), { parts: ['vote'] });
    return { version: record.version, created: false };
  };
  try {
    return await update();
  } catch (error) {
    if (!(error instanceof DraftMissingError)) throw error;
  }
  try {
    const record = await deps.store.drafts.create(scope, structuredClone(spec), actor, { parts: [`vote ${name}`] });
    return { version: record.version, created: true };
  } catch (error) {
    if (error instanceof DraftExistsError) return update();
    throw error;
  }
}

/**
 * Closes a vote by id: used by the Close button and by the deadline timer (and on start-up for
 * votes whose deadline passed while the bot was down). Idempotent: when the vote is already closed
 * (another click, another process, the timer) it does nothing.
 */
export async function closeVoteById(deps: Deps, voteId: string, by: Actor, reason: 'timer' | 'button'): Promise<void> {
  const result = await deps.store.votes.close(voteId, { id: by.id, name: by.name });
  if (result.alreadyClosed) {
    deps.log.debug({ voteId, reason }, 'vote already closed');
    return;
  }
  const locale = await guildLocale(deps, result.guildId);
  const tr: Translator = (key, params) => t(locale, key, params);
  const scope = { guildId: result.guildId, channelId: result.channelId };
  const lines = [`## ${tr('vote.announce')}`, ...resultLines(result.closed, result.options, tr)];
  let changed = false;
  if (result.closed.winner !== null) {
    const name = result.closed.winner;
    const preset = await lookupPreset(deps, result.guildId, name);
    if (!preset) lines.push(tr('vote.notApplied', { name }));
    else {
      try {
        const applied = await applyWinner(deps, result, by, name, preset.spec);
        lines.push(tr(applied.created ? 'vote.created' : 'vote.applied', { name, version: applied.version }));
        changed = true;
      } catch (error) {
        deps.log.error({ voteId, err: String(error) }, 'could not apply the vote winner');
        lines.push(tr('vote.notApplied', { name }));
      }
    }
  }
  const titles = await titlesOf(deps, result);
  const tally = optionLines(result, titles, tr).join('\n');
  const [l, tl, rule] = fitTexts([lines.join('\n'), tally, `-# ${tr('vote.tieRule')}`]);
  try {
    await deps.api.createMessage(
      result.channelId,
      safe({
        flags: MessageFlags.IsComponentsV2,
        components: [{ type: ComponentType.Container, accent_color: 0x57f287, components: [textDisplay(l!), textDisplay(tl!), textDisplay(rule!)] }],
      }) as never,
    );
  } catch (error) {
    deps.log.warn({ voteId, err: String(error) }, 'could not post the vote result');
  }
  if (result.messageId) {
    try {
      await deps.api.editMessage(result.channelId, result.messageId, closedVoteMessage(result, titles, locale, reason) as never);
    } catch (error) {
      deps.log.warn({ voteId, err: String(error) }, 'could not update the vote message');
    }
  }
  if (changed) await refreshCard(deps, scope, locale);
  deps.log.info({ voteId, reason, winner: result.closed.winner }, 'vote closed');
}

/** The timer's closer, for `createVoteScheduler(deps, closeVoteOnTimer(deps))`. */
export function closeVoteOnTimer(deps: Deps): (voteId: string) => Promise<void> {
  return (voteId) => closeVoteById(deps, voteId, VOTE_TIMER_ACTOR, 'timer');
}

// ---------------------------------------------------------------------------------------------
// Module
// ---------------------------------------------------------------------------------------------

const voteOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.vote'),
  options: [
    { type: ApplicationCommandOptionType.String, ...named('salt.vote.presets'), required: false, autocomplete: true, max_length: 1000 },
    { type: ApplicationCommandOptionType.Integer, ...named('salt.vote.minutes'), required: false, min_value: 1, max_value: VOTE_MAX_MINUTES },
  ],
};

export const voteModule: CommandModule = {
  options: [voteOption],
  run: {
    async vote(inv, options) {
      const presets = options.get('presets')?.value;
      const minutes = options.get('minutes')?.value;
      return startVote(inv, typeof presets === 'string' ? presets : undefined, typeof minutes === 'number' ? minutes : VOTE_DEFAULT_MINUTES);
    },
  },
  autocomplete: {
    async 'vote presets'(inv, focused) {
      const raw = String(focused.value ?? '');
      const cut = raw.lastIndexOf(',');
      const head = cut >= 0 ? raw.slice(0, cut) : '';
      const chosen = new Set(parsePresetList(head));
      const q = raw.slice(cut + 1).trim().toLowerCase();
      const prefix = chosen.size ? `${[...chosen].join(', ')}, ` : '';
      const guildId = inv.interaction.guild_id;
      const all = guildId ? await allPresets(inv.deps, guildId) : loadBuiltinPresets().map((p) => ({ name: p.name, title: p.title, spec: p.spec }));
      return all
        .filter((p) => !chosen.has(p.name) && (p.name.includes(q) || p.title.toLowerCase().includes(q)))
        .filter((p) => (prefix + p.name).length <= DISCORD_LIMITS.choiceValue)
        .slice(0, DISCORD_LIMITS.autocompleteChoices)
        .map((p) => ({ name: clip(`${prefix}${p.name} — ${p.title}`, DISCORD_LIMITS.choiceName), value: prefix + p.name }));
    },
  },
  cardSteps: {
    vote: (inv) => startVote(inv, undefined, VOTE_DEFAULT_MINUTES),
  },
  components: {
    async vote(inv, action) {
      return action.op === 'pick' ? pick(inv, action.voteId) : closeButton(inv, action.voteId);
    },
  },
};
