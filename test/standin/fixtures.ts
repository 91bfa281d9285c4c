/** Snowflakes and the default world (bot user, application, guild, channel, member) the stand-in serves. */
import { randomBytes } from 'node:crypto';
import type {
  APIChannel,
  APIGuild,
  APIGuildMember,
  APIRole,
  APIUser,
  GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A fresh, increasing Discord snowflake (timestamp << 22 | worker/process | increment). */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | (1n << 12n) | increment).toString();
}

/** A random interaction token of the shape Discord uses (opaque URL-safe text). */
export function randomToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(48).toString('base64url')}`;
}

/** Fixed ids of the default world, so tests and interaction factories agree without plumbing. */
export const DEFAULT_IDS = {
  application: '1300000000000000001',
  /** The bot user's id equals the application id, as for every modern Discord app. */
  bot: '1300000000000000001',
  guild: '1300000000000000100',
  channel: '1300000000000000200',
  user: '1300000000000000300',
  owner: '1300000000000000300',
} as const;

/** A token of Discord's shape (base64 bot id . timestamp . hmac) for the default bot. */
export const DEFAULT_TOKEN = `${Buffer.from(DEFAULT_IDS.bot).toString('base64url')}.Z2F0ZQ.c3RhbmRpbi10b2tlbi1ub3QtYS1yZWFsLXNlY3JldA`;

/** Permission bits: everything a normal member has in a text channel, as a decimal string. */
export const MEMBER_PERMISSIONS = '2248473465835073';
/** Permissions the bot has in interactions (bits 0-50 set). */
export const APP_PERMISSIONS = '2251799813685247';

export function botUser(overrides: Partial<APIUser> = {}): APIUser {
  return {
    id: DEFAULT_IDS.bot,
    username: 'saltbot-standin',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    flags: 0 as NonNullable<APIUser['flags']>,
    ...overrides,
  };
}

export function humanUser(overrides: Partial<APIUser> = {}): APIUser {
  return {
    id: DEFAULT_IDS.user,
    username: 'tester',
    discriminator: '0',
    global_name: 'Tester',
    avatar: null,
    public_flags: 0 as NonNullable<APIUser['flags']>,
    ...overrides,
  };
}

export function everyoneRole(guildId: string, overrides: Partial<APIRole> = {}): APIRole {
  return {
    id: guildId,
    name: '@everyone',
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: MEMBER_PERMISSIONS,
    managed: false,
    mentionable: false,
    flags: 0 as APIRole['flags'],
    ...overrides,
  };
}

export function textChannel(overrides: Partial<APIChannel> & { guild_id?: string } = {}): APIChannel {
  return {
    id: DEFAULT_IDS.channel,
    type: 0,
    guild_id: DEFAULT_IDS.guild,
    name: 'general',
    position: 0,
    permission_overwrites: [],
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    parent_id: null,
    flags: 0,
    ...overrides,
  } as APIChannel;
}

export function guildMember(user: APIUser, overrides: Partial<APIGuildMember> = {}): APIGuildMember {
  return {
    user,
    nick: null,
    avatar: null,
    banner: null,
    roles: [],
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as APIGuildMember['flags'],
    pending: false,
    ...overrides,
  };
}

export interface GuildFixtureOptions {
  id?: string;
  name?: string;
  preferredLocale?: string;
  ownerId?: string;
  channels?: APIChannel[];
  roles?: APIRole[];
  members?: APIGuildMember[];
}

/** A full GUILD_CREATE payload: enough for discord.js to cache the guild, its channels, roles and members. */
export function guildCreate(options: GuildFixtureOptions = {}): GatewayGuildCreateDispatchData {
  const id = options.id ?? DEFAULT_IDS.guild;
  const channels = (options.channels ?? [textChannel({ guild_id: id })]).map((c) => ({ ...c, guild_id: id }));
  const members = options.members ?? [guildMember(botUser()), guildMember(humanUser())];
  const guild: APIGuild = {
    id,
    name: options.name ?? 'Stand-in Guild',
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: options.ownerId ?? DEFAULT_IDS.owner,
    region: 'us-west',
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 1,
    explicit_content_filter: 0,
    roles: options.roles ?? [everyoneRole(id)],
    emojis: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: (options.preferredLocale ?? 'en-US') as APIGuild['preferred_locale'],
    public_updates_channel_id: null,
    nsfw_level: 0,
    stickers: [],
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    approximate_member_count: members.length,
    approximate_presence_count: 0,
  } as unknown as APIGuild;
  return {
    ...guild,
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: members.length,
    voice_states: [],
    members,
    channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  } as unknown as GatewayGuildCreateDispatchData;
}
