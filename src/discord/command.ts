/**
 * The shapes command modules export. Each file in `commands/` contributes subcommands (with their
 * definitions and handlers) and, where it owns them, component and modal handlers. One registry
 * (commands/index.ts) feeds both command registration and the router.
 */
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIApplicationCommandOptionChoice,
  APIApplicationCommandSubcommandGroupOption,
  APIApplicationCommandSubcommandOption,
  APIChatInputApplicationCommandInteraction,
  APIInteraction,
  APIMessageComponentInteraction,
  APIModalSubmitInteraction,
  ApplicationCommandOptionType,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Action, CardStep, FormId } from './customId.js';
import type { Deps } from './deps.js';
import type { Actor, Locales } from './interaction.js';
import type { Reply } from './reply.js';

export interface Invocation<I extends APIInteraction = APIInteraction> {
  readonly interaction: I;
  readonly deps: Deps;
  readonly locales: Locales;
  readonly actor: Actor;
}

export interface OptionValue {
  readonly name: string;
  readonly type: ApplicationCommandOptionType;
  readonly value?: unknown;
  readonly focused?: boolean;
}
export type Options = ReadonlyMap<string, OptionValue>;

export type SlashHandler = (inv: Invocation<APIChatInputApplicationCommandInteraction>, options: Options) => Promise<Reply>;
export type AutocompleteHandler = (
  inv: Invocation<APIApplicationCommandAutocompleteInteraction>,
  focused: OptionValue,
  options: Options,
) => Promise<APIApplicationCommandOptionChoice[]>;
export type ComponentHandler<A extends Action = Action> = (inv: Invocation<APIMessageComponentInteraction>, action: A) => Promise<Reply>;
export type FormHandler = (inv: Invocation<APIModalSubmitInteraction>, action: Extract<Action, { kind: 'form' }>) => Promise<Reply>;

type ActionOf<K extends Action['kind']> = Extract<Action, { kind: K }>;

export interface CommandModule {
  /** Subcommands and groups this module adds under /salt. */
  readonly options: readonly (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[];
  /** Handlers by subcommand path: "new", "layer add". */
  readonly run: Readonly<Record<string, SlashHandler>>;
  /** Autocomplete by "path option": "new preset". */
  readonly autocomplete?: Readonly<Record<string, AutocompleteHandler>>;
  /** Card buttons this module answers. */
  readonly cardSteps?: Partial<Readonly<Record<CardStep, ComponentHandler<ActionOf<'card'>>>>>;
  /** Confirmation buttons this module answers, by what they confirm. */
  readonly confirms?: Partial<Readonly<Record<ActionOf<'confirm'>['what'], ComponentHandler<ActionOf<'confirm'>>>>>;
  /** Other component actions (not `card`, `confirm` or `form`). */
  readonly components?: {
    readonly [K in Exclude<Action['kind'], 'card' | 'confirm' | 'form' | 'outdated'>]?: ComponentHandler<ActionOf<K>>;
  };
  /** Modal submits by form. */
  readonly forms?: Partial<Readonly<Record<FormId, FormHandler>>>;
}

export interface Registry {
  readonly definitions: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  readonly modules: readonly CommandModule[];
}
