/**
 * Building interaction responses. Every message body passes through `safe()`, which sets
 * `allowed_mentions: { parse: [] }` so nothing a user typed can ping anyone.
 */
import {
  ButtonStyle,
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponent,
  type APIInteractionResponse,
  type APIInteractionResponseCallbackData,
  type APILabelComponent,
  type APIMessageTopLevelComponent,
  type APIModalInteractionResponseCallbackData,
  type APISelectMenuOption,
  type APIStringSelectComponent,
  type APITextInputComponent,
} from 'discord-api-types/v10';
import { DISCORD_LIMITS, clip } from './limits.js';

export const NO_MENTIONS = { parse: [] as never[] } as const;

/** A file to attach (sent as multipart by the transport). */
export interface OutgoingFile {
  readonly name: string;
  readonly data: Buffer;
  readonly contentType?: string;
}

/** What a handler returns: the first response, optional files, and work to do after responding. */
export interface Reply {
  readonly response: APIInteractionResponse;
  readonly files?: readonly OutgoingFile[];
  readonly after?: () => Promise<void>;
}

export type MessageBody = APIInteractionResponseCallbackData;

export function safe<T extends object>(body: T): T & { allowed_mentions: { parse: never[] } } {
  return { ...body, allowed_mentions: { parse: [] } };
}

/** A plain ephemeral message (the user's locale). */
export function ephemeral(content: string, components?: APIActionRowComponent<APIButtonComponent | APIStringSelectComponent>[]): Reply {
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: safe({ content: clip(content, DISCORD_LIMITS.content), flags: MessageFlags.Ephemeral, ...(components ? { components } : {}) }),
    },
  };
}

/** An ephemeral Components V2 message. */
export function ephemeralV2(components: APIMessageTopLevelComponent[], files?: OutgoingFile[]): Reply {
  return {
    response: {
      type: InteractionResponseType.ChannelMessageWithSource,
      data: safe({ flags: MessageFlags.Ephemeral | MessageFlags.IsComponentsV2, components }),
    },
    ...(files ? { files } : {}),
  };
}

/** A public Components V2 message. */
export function publicV2(components: APIMessageTopLevelComponent[], after?: () => Promise<void>): Reply {
  return {
    response: { type: InteractionResponseType.ChannelMessageWithSource, data: safe({ flags: MessageFlags.IsComponentsV2, components }) },
    ...(after ? { after } : {}),
  };
}

/** Replace the message a component sits on (type 7). */
export function updateMessage(data: MessageBody, after?: () => Promise<void>): Reply {
  return { response: { type: InteractionResponseType.UpdateMessage, data: safe(data) }, ...(after ? { after } : {}) };
}

/** Defer (type 5), then do the slow work in `after`. */
export function deferred(ephemeralReply: boolean, after: () => Promise<void>): Reply {
  return {
    response: {
      type: InteractionResponseType.DeferredChannelMessageWithSource,
      data: ephemeralReply ? { flags: MessageFlags.Ephemeral } : {},
    },
    after,
  };
}

export function modal(data: APIModalInteractionResponseCallbackData): Reply {
  if (data.components.length > DISCORD_LIMITS.modalComponents) throw new Error(`modal ${data.custom_id} has ${data.components.length} components`);
  return { response: { type: InteractionResponseType.Modal, data: { ...data, title: clip(data.title, DISCORD_LIMITS.modalTitle) } } };
}

export function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary, emoji?: string): APIButtonComponent {
  return {
    type: ComponentType.Button,
    custom_id: customId,
    label: clip(label, DISCORD_LIMITS.buttonLabel),
    style: style as ButtonStyle.Primary,
    ...(emoji ? { emoji: { name: emoji } } : {}),
  };
}

export function row<T extends APIButtonComponent | APIStringSelectComponent>(...components: T[]): APIActionRowComponent<T> {
  return { type: ComponentType.ActionRow, components };
}

export function textDisplay(content: string): { type: ComponentType.TextDisplay; content: string } {
  return { type: ComponentType.TextDisplay, content: clip(content, DISCORD_LIMITS.textDisplay) };
}

/** A labelled text input for a modal (Label component wrapping a text input). */
export function textField(opts: {
  id: string;
  label: string;
  description?: string;
  value?: string;
  placeholder?: string;
  required?: boolean;
  paragraph?: boolean;
  maxLength?: number;
  minLength?: number;
}): APILabelComponent {
  const input: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: opts.id,
    style: opts.paragraph ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: opts.required ?? false,
    max_length: Math.min(opts.maxLength ?? DISCORD_LIMITS.textInputValue, DISCORD_LIMITS.textInputValue),
    ...(opts.minLength ? { min_length: opts.minLength } : {}),
    ...(opts.value ? { value: opts.value.slice(0, opts.maxLength ?? DISCORD_LIMITS.textInputValue) } : {}),
    ...(opts.placeholder ? { placeholder: clip(opts.placeholder, DISCORD_LIMITS.textInputPlaceholder) } : {}),
  };
  return {
    type: ComponentType.Label,
    label: clip(opts.label, DISCORD_LIMITS.labelLabel),
    ...(opts.description ? { description: clip(opts.description, DISCORD_LIMITS.labelDescription) } : {}),
    component: input,
  };
}

/** A labelled string select for a modal; `selected` values are marked default (prefill). */
export function selectField(opts: {
  id: string;
  label: string;
  description?: string;
  options: { value: string; label: string; description?: string }[];
  selected?: readonly string[];
  required?: boolean;
  min?: number;
  max?: number;
}): APILabelComponent {
  const options: APISelectMenuOption[] = opts.options.slice(0, DISCORD_LIMITS.selectOptions).map((o) => ({
    value: o.value.slice(0, DISCORD_LIMITS.selectOptionValue),
    label: clip(o.label, DISCORD_LIMITS.selectOptionLabel),
    ...(o.description ? { description: clip(o.description, DISCORD_LIMITS.selectOptionDescription) } : {}),
    ...(opts.selected?.includes(o.value) ? { default: true } : {}),
  }));
  const select: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: opts.id,
    options,
    required: opts.required ?? true,
    min_values: opts.min ?? (opts.required === false ? 0 : 1),
    max_values: Math.min(opts.max ?? 1, options.length),
  };
  return {
    type: ComponentType.Label,
    label: clip(opts.label, DISCORD_LIMITS.labelLabel),
    ...(opts.description ? { description: clip(opts.description, DISCORD_LIMITS.labelDescription) } : {}),
    component: select,
  };
}
