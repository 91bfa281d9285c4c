/**
 * Factories for raw interaction payloads shaped like the ones Discord sends (gateway
 * INTERACTION_CREATE `d` or the HTTP interactions endpoint body). Every factory takes
 * options for the common knobs plus `overrides`, shallow-merged last onto the payload.
 */
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandInteractionDataOption,
  APIChatInputApplicationCommandInteraction,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
  APIMessageTopLevelComponent,
  APIModalSubmissionComponent,
  APIModalSubmitInteraction,
  APIUser,
} from 'discord-api-types/v10';
import {
  APP_PERMISSIONS,
  DEFAULT_IDS,
  MEMBER_PERMISSIONS,
  botUser,
  guildMember,
  humanUser,
  randomToken,
  snowflake,
  textChannel,
} from './fixtures.js';

type Json = Record<string, unknown>;

export interface BaseInteractionOptions {
  id?: string;
  applicationId?: string;
  token?: string;
  /** The invoking user's client locale (e.g. 'de'). Default 'en-US'. */
  locale?: string;
  /** The guild's preferred locale. Default 'en-US'. */
  guildLocale?: string;
  /** Partial user merged over the default human user. */
  user?: Partial<APIUser>;
  /** Partial member merged over the default member (its `user` comes from `user`). */
  member?: Partial<APIInteractionGuildMember>;
  /** Member permissions (decimal string). */
  permissions?: string;
  channelId?: string;
  guildId?: string;
  /** Bot permissions in the channel (decimal string). */
  appPermissions?: string;
  /** Build a DM interaction: no guild, `user` at top level, context 1. */
  dm?: boolean;
  /** Shallow-merged last onto the payload. */
  overrides?: Json;
}

function base(type: number, o: BaseInteractionOptions): Json {
  const user = humanUser(o.user);
  const channelId = o.channelId ?? DEFAULT_IDS.channel;
  const locale = o.locale ?? 'en-US';
  const appPermissions = o.appPermissions ?? APP_PERMISSIONS;
  const common: Json = {
    id: o.id ?? snowflake(),
    application_id: o.applicationId ?? DEFAULT_IDS.application,
    type,
    token: o.token ?? randomToken(),
    version: 1,
    app_permissions: appPermissions,
    entitlements: [],
    locale,
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (o.dm) {
    return {
      ...common,
      user,
      channel_id: channelId,
      channel: { id: channelId, type: 1, last_message_id: null, flags: 0, recipients: [user] },
      authorizing_integration_owners: { '1': user.id },
      context: 1,
    };
  }
  const guildId = o.guildId ?? DEFAULT_IDS.guild;
  const member: APIInteractionGuildMember = {
    ...(guildMember(user) as APIInteractionGuildMember),
    permissions: o.permissions ?? MEMBER_PERMISSIONS,
    ...o.member,
    user: { ...user, ...o.member?.user },
  };
  return {
    ...common,
    guild_id: guildId,
    guild: { id: guildId, locale: o.guildLocale ?? 'en-US', features: [] },
    guild_locale: o.guildLocale ?? 'en-US',
    channel_id: channelId,
    channel: { ...textChannel({ id: channelId, guild_id: guildId }), permissions: appPermissions },
    member,
    authorizing_integration_owners: { '0': guildId },
    context: 0,
  };
}

function finish<T>(payload: Json, overrides?: Json): T {
  return { ...payload, ...overrides } as T;
}

/** A value for an option: given raw, or inferred from a JS value (string 3, integer 4, boolean 5, number 10). */
export type OptionValues = Record<string, string | number | boolean>;

function toOptions(
  options: APIApplicationCommandInteractionDataOption[] | OptionValues | undefined,
  focused?: string,
): APIApplicationCommandInteractionDataOption[] {
  if (options === undefined) return [];
  if (Array.isArray(options)) return options;
  return Object.entries(options).map(([name, value]) => {
    const type = typeof value === 'string' ? 3 : typeof value === 'boolean' ? 5 : Number.isInteger(value) ? 4 : 10;
    const opt: Json = { name, type, value };
    if (focused === name) opt.focused = true;
    return opt as unknown as APIApplicationCommandInteractionDataOption;
  });
}

export interface ChatInputOptions extends BaseInteractionOptions {
  name: string;
  /** Raw options, or `{ optionName: value }`. */
  options?: APIApplicationCommandInteractionDataOption[] | OptionValues;
  commandId?: string;
  resolved?: APIInteractionDataResolved;
}

/** A slash command (type 2, data.type 1). */
export function chatInput(o: ChatInputOptions): APIChatInputApplicationCommandInteraction {
  const p = base(2, o);
  const data: Json = {
    id: o.commandId ?? snowflake(),
    name: o.name,
    type: 1,
    options: toOptions(o.options),
  };
  if (o.resolved) data.resolved = o.resolved;
  if (typeof p.guild_id === 'string') data.guild_id = p.guild_id;
  return finish({ ...p, data }, o.overrides);
}

export interface AutocompleteOptions extends BaseInteractionOptions {
  name: string;
  /** Raw options (one with `focused: true`), or `{ optionName: value }` with `focused` naming the focused one (default: the last). */
  options?: APIApplicationCommandInteractionDataOption[] | OptionValues;
  focused?: string;
  commandId?: string;
}

/** An autocomplete request (type 4). */
export function autocomplete(o: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
  const p = base(4, o);
  const focused = o.focused ?? (o.options && !Array.isArray(o.options) ? Object.keys(o.options).at(-1) : undefined);
  const data: Json = { id: o.commandId ?? snowflake(), name: o.name, type: 1, options: toOptions(o.options, focused) };
  if (typeof p.guild_id === 'string') data.guild_id = p.guild_id;
  return finish({ ...p, data }, o.overrides);
}

/** A message the bot posted earlier (for component interactions). */
export function botMessage(overrides: Partial<APIMessage> & Json = {}): APIMessage {
  return {
    id: snowflake(),
    channel_id: DEFAULT_IDS.channel,
    author: botUser(),
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    components: [],
    application_id: DEFAULT_IDS.application,
    webhook_id: DEFAULT_IDS.application,
    ...overrides,
  } as APIMessage;
}

export interface ComponentOptions extends BaseInteractionOptions {
  customId: string;
  /** The message holding the component (default: a bot message in the channel). */
  message?: APIMessage;
  /** Components of the default message, if `message` is not given. */
  messageComponents?: APIMessageTopLevelComponent[];
}

function componentMessage(o: ComponentOptions): APIMessage {
  return o.message ?? botMessage({ channel_id: o.channelId ?? DEFAULT_IDS.channel, components: o.messageComponents ?? [] });
}

/** A button click (type 3, component_type 2). */
export function button(o: ComponentOptions): APIMessageComponentButtonInteraction {
  const p = base(3, o);
  return finish({ ...p, message: componentMessage(o), data: { custom_id: o.customId, component_type: 2 } }, o.overrides);
}

export interface StringSelectOptions extends ComponentOptions {
  values: string[];
}

/** A string select choice (type 3, component_type 3). */
export function stringSelect(o: StringSelectOptions): APIMessageComponentSelectMenuInteraction {
  const p = base(3, o);
  return finish(
    { ...p, message: componentMessage(o), data: { custom_id: o.customId, component_type: 3, values: o.values } },
    o.overrides,
  );
}

export interface ModalSubmitOptions extends BaseInteractionOptions {
  customId: string;
  /**
   * Raw submitted components, or `{ customId: value }`: a string becomes a text input
   * (type 4) and a string array a string select (type 3 with `values`), each wrapped in a
   * Label (type 18, `component` child) as Discord sends for modals built with Labels.
   */
  components: APIModalSubmissionComponent[] | Record<string, string | string[]>;
  /** The message whose component opened the modal, if any. */
  message?: APIMessage;
}

/** Label-wrapped submitted components from `{ customId: value }`. */
export function labelComponents(values: Record<string, string | string[]>): APIModalSubmissionComponent[] {
  let id = 0;
  return Object.entries(values).map(([customId, value]) => {
    const labelId = ++id;
    const child = Array.isArray(value)
      ? { type: 3, id: ++id, custom_id: customId, values: value }
      : { type: 4, id: ++id, custom_id: customId, value };
    return { type: 18, id: labelId, component: child } as unknown as APIModalSubmissionComponent;
  });
}

/** A modal submission (type 5). */
export function modalSubmit(o: ModalSubmitOptions): APIModalSubmitInteraction {
  const p = base(5, o);
  const components = Array.isArray(o.components) ? o.components : labelComponents(o.components);
  const payload: Json = { ...p, data: { custom_id: o.customId, components } };
  if (o.message) payload.message = o.message;
  return finish(payload, o.overrides);
}
