/**
 * Discord's documented size limits for outgoing message, interaction-callback, followup,
 * modal and autocomplete bodies, and a checker that lists every violation in a payload.
 *
 * The numbers are written here (not read from any file) so CI needs nothing outside the repo.
 */

export const DISCORD_LIMITS = {
  message: {
    content: 2000,
    embeds: 10,
  },
  embed: {
    title: 256,
    description: 4096,
    fields: 25,
    fieldName: 256,
    fieldValue: 1024,
    footerText: 2048,
    authorName: 256,
    /** Sum of title, description, field names/values, footer text and author name over all embeds. */
    total: 6000,
  },
  component: {
    customId: 100,
    actionRowComponents: 5,
    topLevelActionRows: 5,
    buttonLabel: 80,
    selectOptions: 25,
    selectOptionLabel: 100,
    selectOptionValue: 100,
    selectOptionDescription: 100,
    selectPlaceholder: 150,
  },
  componentsV2: {
    /** Total number of components in the message, nested ones included. */
    totalComponents: 40,
    textDisplayContent: 4000,
    /** Total characters over every TextDisplay in the message. */
    totalText: 4000,
  },
  modal: {
    title: 45,
    minComponents: 1,
    maxComponents: 5,
    labelLabel: 45,
    labelDescription: 100,
    textInputLabel: 45,
    textInputPlaceholder: 100,
    textInputValue: 4000,
    textInputMaxLength: 4000,
    textInputMinLength: 4000,
  },
  autocomplete: {
    choices: 25,
    choiceName: 100,
    choiceValue: 100,
  },
} as const;

/** Message flag IS_COMPONENTS_V2 (1 << 15). */
export const IS_COMPONENTS_V2 = 1 << 15;

/** Interaction callback types (discord-api-types' InteractionResponseType, inlined to keep this file standalone). */
export const CallbackType = {
  Pong: 1,
  ChannelMessageWithSource: 4,
  DeferredChannelMessageWithSource: 5,
  DeferredMessageUpdate: 6,
  UpdateMessage: 7,
  ApplicationCommandAutocompleteResult: 8,
  Modal: 9,
  LaunchActivity: 12,
} as const;

/** Component types (discord-api-types' ComponentType, inlined). */
const C = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
  Section: 9,
  TextDisplay: 10,
  Thumbnail: 11,
  MediaGallery: 12,
  File: 13,
  Separator: 14,
  Container: 17,
  Label: 18,
  FileUpload: 19,
} as const;

export type LimitKind =
  /** A message body (channel message, followup, webhook): must carry allowed_mentions with parse: []. */
  | 'message'
  /** An edit of an existing message (PATCH): same limits, allowed_mentions not required. */
  | 'edit'
  /** An interaction callback `{ type, data }`: checked according to its type. */
  | 'callback';

export interface CheckOptions {
  /** How to read the payload; guessed when omitted (an object with a numeric `type` and no `content`/`embeds`/`components` at top level is a callback). */
  kind?: LimitKind;
  /** Override whether allowed_mentions `{ parse: [] }` is required (default: true for 'message' and callbacks 4/7). */
  requireAllowedMentions?: boolean;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function len(v: unknown): number {
  // Discord counts characters; JS string length (UTF-16 units) is close enough and errs on the strict side.
  return typeof v === 'string' ? [...v].length : 0;
}

function guessKind(payload: Obj): LimitKind {
  if (typeof payload.type === 'number' && !('content' in payload) && !('embeds' in payload) && !('components' in payload)) {
    return 'callback';
  }
  return 'message';
}

/**
 * Lists the limit violations in an outgoing payload. An empty list means the payload is fine.
 * Accepts a message body (`{ content, embeds, components, allowed_mentions, flags }`) or an
 * interaction callback (`{ type, data }`).
 */
export function checkMessageLimits(payload: unknown, options: CheckOptions = {}): string[] {
  const out: string[] = [];
  if (!isObj(payload)) {
    return payload === undefined || payload === null ? [] : ['payload is not a JSON object'];
  }
  const kind = options.kind ?? guessKind(payload);
  if (kind === 'callback') {
    checkCallback(payload, options, out);
  } else {
    checkMessage(payload, options.requireAllowedMentions ?? kind === 'message', 'message', out);
  }
  return out;
}

function checkCallback(payload: Obj, options: CheckOptions, out: string[]): void {
  const type = payload.type;
  const data = payload.data;
  switch (type) {
    case CallbackType.ChannelMessageWithSource:
    case CallbackType.UpdateMessage: {
      if (!isObj(data)) {
        out.push(`callback type ${type}: data is missing`);
        return;
      }
      checkMessage(data, options.requireAllowedMentions ?? true, 'data', out);
      return;
    }
    case CallbackType.DeferredChannelMessageWithSource:
    case CallbackType.DeferredMessageUpdate: {
      if (isObj(data) && data.flags !== undefined && typeof data.flags !== 'number') out.push('data.flags must be a number');
      return;
    }
    case CallbackType.ApplicationCommandAutocompleteResult: {
      checkAutocomplete(data, out);
      return;
    }
    case CallbackType.Modal: {
      checkModal(data, out);
      return;
    }
    case CallbackType.Pong:
    case CallbackType.LaunchActivity:
      return;
    default:
      out.push(`unknown callback type ${String(type)}`);
  }
}

function checkMessage(msg: Obj, requireAllowedMentions: boolean, at: string, out: string[]): void {
  const L = DISCORD_LIMITS;
  const flags = typeof msg.flags === 'number' ? msg.flags : 0;
  const v2 = (flags & IS_COMPONENTS_V2) !== 0;

  if (msg.content !== undefined && msg.content !== null) {
    if (typeof msg.content !== 'string') out.push(`${at}.content must be a string`);
    else if (len(msg.content) > L.message.content) {
      out.push(`${at}.content is ${len(msg.content)} characters (max ${L.message.content})`);
    }
    if (v2 && len(msg.content) > 0) out.push(`${at}.content is not allowed with the IS_COMPONENTS_V2 flag`);
  }

  if (msg.embeds !== undefined && msg.embeds !== null) {
    if (!Array.isArray(msg.embeds)) out.push(`${at}.embeds must be an array`);
    else {
      if (v2 && msg.embeds.length > 0) out.push(`${at}.embeds are not allowed with the IS_COMPONENTS_V2 flag`);
      checkEmbeds(msg.embeds, at, out);
    }
  }

  if (requireAllowedMentions) {
    const am = msg.allowed_mentions;
    if (!isObj(am)) out.push(`${at}.allowed_mentions is missing (set { parse: [] } so the message cannot ping)`);
    else if (!Array.isArray(am.parse) || am.parse.length !== 0) {
      out.push(`${at}.allowed_mentions.parse must be an empty array (got ${JSON.stringify(am.parse)})`);
    }
  }

  if (msg.components !== undefined && msg.components !== null) {
    if (!Array.isArray(msg.components)) out.push(`${at}.components must be an array`);
    else checkMessageComponents(msg.components, v2, at, out);
  }
}

function checkEmbeds(embeds: unknown[], at: string, out: string[]): void {
  const L = DISCORD_LIMITS.embed;
  if (embeds.length > DISCORD_LIMITS.message.embeds) {
    out.push(`${at}.embeds has ${embeds.length} embeds (max ${DISCORD_LIMITS.message.embeds})`);
  }
  let total = 0;
  embeds.forEach((e, i) => {
    if (!isObj(e)) return;
    const p = `${at}.embeds[${i}]`;
    const max = (field: string, v: unknown, limit: number): void => {
      const n = len(v);
      total += n;
      if (n > limit) out.push(`${p}.${field} is ${n} characters (max ${limit})`);
    };
    max('title', e.title, L.title);
    max('description', e.description, L.description);
    if (isObj(e.footer)) max('footer.text', e.footer.text, L.footerText);
    if (isObj(e.author)) max('author.name', e.author.name, L.authorName);
    if (Array.isArray(e.fields)) {
      if (e.fields.length > L.fields) out.push(`${p}.fields has ${e.fields.length} fields (max ${L.fields})`);
      e.fields.forEach((f, j) => {
        if (!isObj(f)) return;
        max(`fields[${j}].name`, f.name, L.fieldName);
        max(`fields[${j}].value`, f.value, L.fieldValue);
      });
    }
  });
  if (total > L.total) out.push(`${at}.embeds total ${total} characters (max ${L.total})`);
}

/** Calls `visit` for every component in the tree (action row children, section components/accessory, container children, label component). */
function walkComponents(list: unknown[], path: string, visit: (c: Obj, path: string) => void): void {
  list.forEach((c, i) => {
    if (!isObj(c)) return;
    const p = `${path}[${i}]`;
    visit(c, p);
    if (Array.isArray(c.components)) walkComponents(c.components, `${p}.components`, visit);
    if (isObj(c.accessory)) walkComponents([c.accessory], `${p}.accessory`, visit);
    if (isObj(c.component)) walkComponents([c.component], `${p}.component`, visit);
  });
}

function checkCommonComponent(c: Obj, p: string, out: string[]): void {
  const L = DISCORD_LIMITS.component;
  if (c.custom_id !== undefined && len(c.custom_id) > L.customId) {
    out.push(`${p}.custom_id is ${len(c.custom_id)} characters (max ${L.customId})`);
  }
  switch (c.type) {
    case C.ActionRow: {
      const kids = Array.isArray(c.components) ? c.components : [];
      if (kids.length > L.actionRowComponents) {
        out.push(`${p} action row has ${kids.length} components (max ${L.actionRowComponents} buttons)`);
      }
      const hasSelect = kids.some((k) => isObj(k) && typeof k.type === 'number' && [3, 5, 6, 7, 8].includes(k.type));
      if (hasSelect && kids.length > 1) out.push(`${p} action row with a select menu must hold only that select menu`);
      break;
    }
    case C.Button:
      if (len(c.label) > L.buttonLabel) out.push(`${p}.label is ${len(c.label)} characters (max ${L.buttonLabel})`);
      break;
    case C.StringSelect:
    case C.UserSelect:
    case C.RoleSelect:
    case C.MentionableSelect:
    case C.ChannelSelect: {
      if (len(c.placeholder) > L.selectPlaceholder) {
        out.push(`${p}.placeholder is ${len(c.placeholder)} characters (max ${L.selectPlaceholder})`);
      }
      if (c.type === C.StringSelect) {
        const options = Array.isArray(c.options) ? c.options : [];
        if (options.length > L.selectOptions) out.push(`${p}.options has ${options.length} options (max ${L.selectOptions})`);
        options.forEach((o, j) => {
          if (!isObj(o)) return;
          if (len(o.label) > L.selectOptionLabel) out.push(`${p}.options[${j}].label is ${len(o.label)} characters (max ${L.selectOptionLabel})`);
          if (len(o.value) > L.selectOptionValue) out.push(`${p}.options[${j}].value is ${len(o.value)} characters (max ${L.selectOptionValue})`);
          if (len(o.description) > L.selectOptionDescription) {
            out.push(`${p}.options[${j}].description is ${len(o.description)} characters (max ${L.selectOptionDescription})`);
          }
        });
      }
      break;
    }
    default:
      break;
  }
}

function checkMessageComponents(components: unknown[], v2: boolean, at: string, out: string[]): void {
  const V2 = DISCORD_LIMITS.componentsV2;
  let count = 0;
  let text = 0;
  walkComponents(components, `${at}.components`, (c, p) => {
    count += 1;
    checkCommonComponent(c, p, out);
    if (c.type === C.TextDisplay) {
      const n = len(c.content);
      text += n;
      if (n > V2.textDisplayContent) out.push(`${p}.content is ${n} characters (max ${V2.textDisplayContent})`);
    }
  });
  if (v2) {
    if (count > V2.totalComponents) out.push(`${at}.components holds ${count} components in total (max ${V2.totalComponents})`);
    if (text > V2.totalText) out.push(`${at}.components TextDisplay text totals ${text} characters (max ${V2.totalText})`);
  } else if (components.length > DISCORD_LIMITS.component.topLevelActionRows) {
    out.push(`${at}.components has ${components.length} action rows (max ${DISCORD_LIMITS.component.topLevelActionRows})`);
  }
}

function checkModal(data: unknown, out: string[]): void {
  const M = DISCORD_LIMITS.modal;
  if (!isObj(data)) {
    out.push('modal: data is missing');
    return;
  }
  if (typeof data.title !== 'string' || len(data.title) === 0) out.push('modal: data.title is required');
  else if (len(data.title) > M.title) out.push(`modal: data.title is ${len(data.title)} characters (max ${M.title})`);
  if (typeof data.custom_id !== 'string' || len(data.custom_id) === 0) out.push('modal: data.custom_id is required');
  const top = Array.isArray(data.components) ? data.components : [];
  if (top.length < M.minComponents || top.length > M.maxComponents) {
    out.push(`modal: data.components has ${top.length} top-level components (must be ${M.minComponents}-${M.maxComponents})`);
  }
  walkComponents(top, 'modal: data.components', (c, p) => {
    checkCommonComponent(c, p, out);
    if (c.type === C.Label) {
      if (len(c.label) > M.labelLabel) out.push(`${p}.label is ${len(c.label)} characters (max ${M.labelLabel})`);
      if (len(c.description) > M.labelDescription) {
        out.push(`${p}.description is ${len(c.description)} characters (max ${M.labelDescription})`);
      }
      if (!isObj(c.component)) out.push(`${p} Label needs a component`);
    }
    if (c.type === C.TextInput) {
      if (len(c.label) > M.textInputLabel) out.push(`${p}.label is ${len(c.label)} characters (max ${M.textInputLabel})`);
      if (len(c.placeholder) > M.textInputPlaceholder) {
        out.push(`${p}.placeholder is ${len(c.placeholder)} characters (max ${M.textInputPlaceholder})`);
      }
      if (len(c.value) > M.textInputValue) out.push(`${p}.value is ${len(c.value)} characters (max ${M.textInputValue})`);
      if (typeof c.max_length === 'number' && c.max_length > M.textInputMaxLength) {
        out.push(`${p}.max_length is ${c.max_length} (max ${M.textInputMaxLength})`);
      }
      if (typeof c.min_length === 'number' && c.min_length > M.textInputMinLength) {
        out.push(`${p}.min_length is ${c.min_length} (max ${M.textInputMinLength})`);
      }
    }
  });
}

function checkAutocomplete(data: unknown, out: string[]): void {
  const A = DISCORD_LIMITS.autocomplete;
  if (!isObj(data) || !Array.isArray(data.choices)) {
    out.push('autocomplete: data.choices is missing');
    return;
  }
  if (data.choices.length > A.choices) out.push(`autocomplete: ${data.choices.length} choices (max ${A.choices})`);
  data.choices.forEach((ch, i) => {
    if (!isObj(ch)) return;
    if (len(ch.name) > A.choiceName) out.push(`autocomplete: choices[${i}].name is ${len(ch.name)} characters (max ${A.choiceName})`);
    if (typeof ch.value === 'string' && len(ch.value) > A.choiceValue) {
      out.push(`autocomplete: choices[${i}].value is ${len(ch.value)} characters (max ${A.choiceValue})`);
    }
  });
}
