/**
 * Raw payload shortcuts for bot tests: `/salt <path> options` as Discord sends it, and readers
 * for a reply's data.
 */
import { PermissionFlagsBits } from 'discord-api-types/v10';
import type { Reply } from '../../src/discord/reply.js';
import { DEFAULT_IDS, MEMBER_PERMISSIONS } from '../standin/fixtures.js';
import * as ix from '../standin/interactions.js';

/** The default guild and channel of the interaction factories. */
export const SCOPE = { guildId: DEFAULT_IDS.guild, channelId: DEFAULT_IDS.channel };
/** A member permission set that includes Manage Messages. */
export const MANAGE = String(BigInt(MEMBER_PERMISSIONS) | PermissionFlagsBits.ManageMessages);

export type Opt = string | number | boolean;

export function leaf(options: Record<string, Opt>) {
  return Object.entries(options).map(([name, value]) => ({
    name,
    type: typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : 4,
    value,
  }));
}

/** `/salt <path…> options` as a raw payload ("preset save" → group + subcommand). */
export function salt(path: string, options: Record<string, Opt> = {}, extra: Partial<ix.ChatInputOptions> = {}) {
  const [a, b] = path.split(' ');
  const sub = (name: string) => ({ type: 1, name, options: leaf(options) });
  const opts = b ? [{ type: 2, name: a!, options: [sub(b)] }] : [sub(a!)];
  return ix.chatInput({ name: 'salt', options: opts as never, ...extra });
}

export function text(reply: Reply): string {
  return JSON.stringify(reply.response);
}

export function data(reply: Reply): { flags?: number; content?: string; components?: { components?: { custom_id?: string }[] }[] } {
  return (reply.response as { data: never }).data;
}
