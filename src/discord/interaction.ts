/**
 * Reading raw interaction payloads (discord-api-types shapes), whichever transport delivered them.
 */
import {
  ApplicationCommandOptionType,
  ComponentType,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIInteraction,
  type APIModalSubmitInteraction,
  type APIUser,
} from 'discord-api-types/v10';
import { resolveLocale, translator, type Locale, type Translator } from '../i18n/index.js';
import { UserError } from './errors.js';

export interface Scope {
  readonly guildId: string;
  readonly channelId: string;
}

export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** The user behind an interaction (guild member or DM user). */
export function userOf(interaction: APIInteraction): APIUser | undefined {
  return interaction.member?.user ?? interaction.user;
}

export function actorOf(interaction: APIInteraction): Actor {
  const user = userOf(interaction);
  const name = interaction.member?.nick ?? user?.global_name ?? user?.username ?? 'someone';
  return { id: user?.id ?? '0', name: name.slice(0, 64) };
}

/** Guild + channel of an interaction; a UserError in DMs, where drafts do not exist. */
export function scopeOf(interaction: APIInteraction): Scope {
  const guildId = interaction.guild_id;
  const channelId = interaction.channel?.id ?? interaction.channel_id;
  if (!guildId || !channelId) throw new UserError('errors.guildOnly');
  return { guildId, channelId };
}

/** Whether the member holds a permission (as computed by Discord for this channel). */
export function hasPermission(interaction: APIInteraction, flag: bigint): boolean {
  const raw = interaction.member?.permissions;
  if (!raw || !/^\d+$/.test(raw)) return false;
  const perms = BigInt(raw);
  return (perms & PermissionFlagsBits.Administrator) !== 0n || (perms & flag) !== 0n;
}

export function canManageMessages(interaction: APIInteraction): boolean {
  return hasPermission(interaction, PermissionFlagsBits.ManageMessages);
}

export interface Locales {
  /** The user's locale, for ephemeral replies. */
  readonly user: Locale;
  /** The guild's locale, for public posts. */
  readonly guild: Locale;
  readonly t: Translator;
  readonly tg: Translator;
}

export function localesOf(interaction: APIInteraction): Locales {
  const user = resolveLocale('locale' in interaction ? interaction.locale : undefined);
  const guild = resolveLocale(interaction.guild_locale ?? ('locale' in interaction ? interaction.locale : undefined));
  return { user, guild, t: translator(user), tg: translator(guild) };
}

type Flat = { name: string; type: ApplicationCommandOptionType; value?: unknown; focused?: boolean };

/** Flattens a chat input's options: the subcommand path and the leaf options by name. */
export function commandPath(options: readonly APIApplicationCommandInteractionDataOption[] | undefined): {
  path: string[];
  values: Map<string, Flat>;
} {
  const path: string[] = [];
  let current = options ?? [];
  for (;;) {
    const sub = current.find(
      (o) => o.type === ApplicationCommandOptionType.Subcommand || o.type === ApplicationCommandOptionType.SubcommandGroup,
    );
    if (!sub) break;
    path.push(sub.name);
    current = ('options' in sub ? sub.options : undefined) ?? [];
  }
  const values = new Map<string, Flat>();
  for (const o of current) values.set(o.name, o as Flat);
  return { path, values };
}

/**
 * Values of a modal submit by custom_id: text inputs give their text, selects their chosen values.
 * Handles Label-wrapped components (type 18) and legacy action rows.
 */
export function modalValues(interaction: APIModalSubmitInteraction): Map<string, string | string[]> {
  const out = new Map<string, string | string[]>();
  const visit = (c: unknown): void => {
    if (!c || typeof c !== 'object') return;
    const comp = c as { type?: number; custom_id?: unknown; value?: unknown; values?: unknown; component?: unknown; components?: unknown };
    if (comp.type === ComponentType.Label) return visit(comp.component);
    if (comp.type === ComponentType.ActionRow && Array.isArray(comp.components)) return comp.components.forEach(visit);
    if (typeof comp.custom_id !== 'string') return;
    if (typeof comp.value === 'string') out.set(comp.custom_id, comp.value);
    else if (Array.isArray(comp.values)) out.set(comp.custom_id, comp.values.filter((v): v is string => typeof v === 'string'));
  };
  const components = (interaction.data as { components?: unknown }).components;
  if (Array.isArray(components)) components.forEach(visit);
  return out;
}
