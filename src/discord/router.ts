/**
 * The transport-agnostic router: a raw APIInteraction in, the first response (plus files and work
 * to do after responding) out. The gateway and HTTP transports are thin adapters around `route`.
 */
import {
  ApplicationCommandType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  type APIInteractionResponse,
  type APIApplicationCommandAutocompleteInteraction,
  type APIChatInputApplicationCommandInteraction,
  type APIInteraction,
  type APIMessageComponentInteraction,
  type APIModalSubmitInteraction,
} from 'discord-api-types/v10';
import { t } from '../i18n/index.js';
import { StoreBusyError, StoreUnavailableError, isStoreError } from '../store/errors.js';
import type { CommandModule, ComponentHandler, FormHandler, Invocation, Registry, SlashHandler, AutocompleteHandler } from './command.js';
import { decodeAction, type Action, type CardStep, type FormId } from './customId.js';
import type { Deps } from './deps.js';
import { UserError } from './errors.js';
import { actorOf, commandPath, localesOf } from './interaction.js';
import { DISCORD_LIMITS, clip } from './limits.js';
import { createRateLimiter } from './rateLimit.js';
import { ephemeral, type MessageBody, type Reply } from './reply.js';

export interface Router {
  route(interaction: APIInteraction): Promise<Reply>;
}

interface Tables {
  slash: Map<string, SlashHandler>;
  autocomplete: Map<string, AutocompleteHandler>;
  cardSteps: Map<CardStep, ComponentHandler>;
  confirms: Map<string, ComponentHandler>;
  components: Map<string, ComponentHandler>;
  forms: Map<FormId, FormHandler>;
}

function tables(modules: readonly CommandModule[]): Tables {
  const out: Tables = { slash: new Map(), autocomplete: new Map(), cardSteps: new Map(), confirms: new Map(), components: new Map(), forms: new Map() };
  const put = <K, V>(map: Map<K, V>, key: K, value: V, what: string): void => {
    if (map.has(key)) throw new Error(`two handlers for ${what} ${String(key)}`);
    map.set(key, value);
  };
  for (const m of modules) {
    for (const [k, v] of Object.entries(m.run)) put(out.slash, k, v, 'command');
    for (const [k, v] of Object.entries(m.autocomplete ?? {})) put(out.autocomplete, k, v, 'autocomplete');
    for (const [k, v] of Object.entries(m.cardSteps ?? {})) put(out.cardSteps, k as CardStep, v as ComponentHandler, 'card step');
    for (const [k, v] of Object.entries(m.confirms ?? {})) put(out.confirms, k, v as ComponentHandler, 'confirmation');
    for (const [k, v] of Object.entries(m.components ?? {})) put(out.components, k, v as ComponentHandler, 'component');
    for (const [k, v] of Object.entries(m.forms ?? {})) put(out.forms, k as FormId, v as FormHandler, 'form');
  }
  return out;
}

/** Turns any thrown value into the user's reply; logs what is unexpected. */
export function errorReply(error: unknown, interaction: APIInteraction, deps: Deps): Reply {
  const locale = 'locale' in interaction ? interaction.locale : undefined;
  if (error instanceof UserError) {
    const lines = [t(locale, error.key, error.params), ...error.details];
    return ephemeral(clip(lines.join('\n'), DISCORD_LIMITS.content));
  }
  if (error instanceof StoreUnavailableError) {
    deps.log.warn({ interactionId: interaction.id, err: error.message }, 'storage unavailable');
    return ephemeral(t(locale, 'errors.storageUnavailable'));
  }
  if (error instanceof StoreBusyError) {
    deps.log.warn({ interactionId: interaction.id }, 'draft busy');
    return ephemeral(t(locale, 'errors.busy'));
  }
  if (isStoreError(error)) {
    const params: Record<string, number> = 'limit' in error ? { limit: Number((error as { limit: number }).limit) } : {};
    if (error.code === 'store_corrupt') deps.log.error({ interactionId: interaction.id, err: error.message }, 'corrupt stored value');
    return ephemeral(t(locale, `errors.store.${error.code}`, params));
  }
  deps.log.error(
    { interactionId: interaction.id, err: error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : String(error) },
    'unexpected error while handling an interaction',
  );
  return ephemeral(t(locale, 'errors.generic'));
}

/** Observers outside the router (src/metrics.ts counts each thrown error by outcome). */
export interface RouterHooks {
  onError?(error: unknown, interaction: APIInteraction): void;
}

/** Discord always sends `data` (with a string custom_id for components and modals); anything else is not routable. */
function wellFormed(interaction: APIInteraction): boolean {
  const data: unknown = (interaction as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null) return false;
  const options = (data as { options?: unknown }).options;
  if (options !== undefined && options !== null && !Array.isArray(options)) return false;
  if (interaction.type === InteractionType.MessageComponent || interaction.type === InteractionType.ModalSubmit) {
    return typeof (data as { custom_id?: unknown }).custom_id === 'string';
  }
  return true;
}

export function createRouter(
  registry: Registry,
  deps: Deps,
  fallbackCard?: ComponentHandler<Extract<Action, { kind: 'outdated' }>>,
  hooks: RouterHooks = {},
): Router {
  const tab = tables(registry.modules);
  const commandNames = new Set(registry.definitions.map((d) => d.name));
  const edits = createRateLimiter(deps.editRatePerMinute ?? 0, deps.now);

  function invocation<I extends APIInteraction>(interaction: I): Invocation<I> {
    return { interaction, deps, locales: localesOf(interaction), actor: actorOf(interaction) };
  }

  async function dispatch(interaction: APIInteraction): Promise<Reply> {
    if (interaction.type !== InteractionType.Ping && !wellFormed(interaction)) {
      if (interaction.type === InteractionType.ApplicationCommandAutocomplete) {
        return { response: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } } };
      }
      throw new UserError('errors.unknownCommand');
    }
    switch (interaction.type) {
      case InteractionType.Ping:
        return { response: { type: InteractionResponseType.Pong } };

      case InteractionType.ApplicationCommand: {
        if (interaction.data.type !== ApplicationCommandType.ChatInput || !commandNames.has(interaction.data.name)) {
          throw new UserError('errors.unknownCommand');
        }
        const chat = interaction as APIChatInputApplicationCommandInteraction;
        const { path, values } = commandPath(chat.data.options);
        const handler = tab.slash.get(path.join(' '));
        if (!handler) throw new UserError('errors.unknownCommand');
        return handler(invocation(chat), values);
      }

      case InteractionType.ApplicationCommandAutocomplete: {
        const auto = interaction as APIApplicationCommandAutocompleteInteraction;
        const { path, values } = commandPath(auto.data.options);
        const focused = [...values.values()].find((o) => o.focused);
        const handler = focused ? tab.autocomplete.get(`${path.join(' ')} ${focused.name}`) : undefined;
        let choices: Awaited<ReturnType<AutocompleteHandler>> = [];
        if (handler && focused) {
          try {
            choices = await handler(invocation(auto), focused, values);
          } catch (error) {
            deps.log.warn({ interactionId: auto.id, err: String(error) }, 'autocomplete failed');
          }
        }
        return {
          response: {
            type: InteractionResponseType.ApplicationCommandAutocompleteResult,
            data: { choices: choices.slice(0, DISCORD_LIMITS.autocompleteChoices) },
          },
        };
      }

      case InteractionType.MessageComponent: {
        const comp = interaction as APIMessageComponentInteraction;
        const action = decodeAction(comp.data.custom_id);
        if (action.kind === 'outdated') return outdated(comp, action);
        if (action.kind === 'card') {
          const handler = tab.cardSteps.get(action.step);
          if (!handler) return outdated(comp, { kind: 'outdated', raw: comp.data.custom_id });
          return handler(invocation(comp), action);
        }
        if (action.kind === 'form') return outdated(comp, { kind: 'outdated', raw: comp.data.custom_id });
        const handler = action.kind === 'confirm' ? tab.confirms.get(action.what) : tab.components.get(action.kind);
        if (!handler) return outdated(comp, { kind: 'outdated', raw: comp.data.custom_id });
        return handler(invocation(comp), action);
      }

      case InteractionType.ModalSubmit: {
        const submit = interaction as APIModalSubmitInteraction;
        const action = decodeAction(submit.data.custom_id);
        const handler = action.kind === 'form' ? tab.forms.get(action.form) : undefined;
        // A form from an older deploy: the same friendly answer and fresh card as an outdated button (outdatedReply reads only guild/channel/locale).
        if (action.kind !== 'form' || !handler) return outdated(submit as unknown as APIMessageComponentInteraction, { kind: 'outdated', raw: submit.data.custom_id });
        const wait = edits.take(`${submit.guild_id ?? 'dm'}:${actorOf(submit).id}`);
        if (wait > 0) throw new UserError('errors.rateLimited', { seconds: wait });
        return handler(invocation(submit), action);
      }

      default:
        throw new UserError('errors.unknownCommand');
    }
  }

  async function outdated(comp: APIMessageComponentInteraction, action: Extract<Action, { kind: 'outdated' }>): Promise<Reply> {
    deps.log.info({ interactionId: comp.id, customId: action.raw.slice(0, 100) }, 'outdated component');
    if (fallbackCard) return fallbackCard(invocation(comp), action);
    return ephemeral(t(comp.locale, 'errors.outdated'));
  }

  const deferAfterMs = deps.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;

  return {
    async route(interaction) {
      const work = dispatch(interaction).catch((error: unknown) => {
        hooks.onError?.(error, interaction);
        return errorReply(error, interaction, deps);
      });
      if (interaction.type === InteractionType.Ping || interaction.type === InteractionType.ApplicationCommandAutocomplete) return work;
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), deferAfterMs);
        timer.unref?.();
      });
      const first = await Promise.race([work, late]);
      clearTimeout(timer);
      if (first !== 'late') return first;
      deps.log.warn({ interactionId: interaction.id, deferAfterMs }, 'handler is slow: deferring the response');
      return lateReply(interaction, work, deps);
    },
  };
}

export const DEFAULT_DEFER_AFTER_MS = 2000;

/**
 * The first response for a handler that missed the deadline: a defer (public for commands and
 * modal submits, a silent update for components), then the real answer once it is ready: edited
 * into the deferred message, or sent as an ephemeral follow-up (deleting the placeholder) when the
 * answer was private. A modal cannot be shown late: the member is asked to press again.
 */
function lateReply(interaction: APIInteraction, work: Promise<Reply>, deps: Deps): Reply {
  const isComponent = interaction.type === InteractionType.MessageComponent;
  const response: APIInteractionResponse = isComponent
    ? { type: InteractionResponseType.DeferredMessageUpdate }
    : { type: InteractionResponseType.DeferredChannelMessageWithSource };
  const token = interaction.token;
  const locale = 'locale' in interaction ? interaction.locale : undefined;
  const isDefer = (type: InteractionResponseType) =>
    type === InteractionResponseType.DeferredChannelMessageWithSource || type === InteractionResponseType.DeferredMessageUpdate;
  return {
    response,
    after: async () => {
      const reply = await work;
      const r = reply.response;
      if (isDefer(r.type)) {
        // The handler deferred too (after slow work): our defer stands in for its own, and its
        // after-work edits the deferred message as planned.
        await reply.after?.();
        return;
      }
      if (!('data' in r) || !r.data || r.type === InteractionResponseType.Modal) {
        // A modal (or anything without a message) cannot follow a defer.
        await deps.api.followUp(token, { content: t(locale, 'errors.slow'), flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } });
        if (!isComponent) await deps.api.deleteOriginal(token).catch(() => undefined);
        await reply.after?.();
        return;
      }
      const data = r.data as MessageBody;
      const isEphemeral = ((data.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      if (r.type === InteractionResponseType.UpdateMessage || (!isEphemeral && !isComponent)) {
        await deps.api.editOriginal(token, { ...data, flags: (data.flags ?? 0) & ~MessageFlags.Ephemeral } as never, reply.files);
      } else {
        await deps.api.followUp(token, { ...data, flags: (data.flags ?? 0) | MessageFlags.Ephemeral } as never, reply.files);
        if (!isComponent) await deps.api.deleteOriginal(token).catch(() => undefined);
      }
      await reply.after?.();
    },
  };
}
