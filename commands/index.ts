/**
 * The one registry of saltbot's commands. It feeds command registration (definitions) and the
 * router (modules), so the two never drift.
 */
import { ApplicationCommandType, InteractionContextType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { CommandModule, Registry } from '../src/discord/command.js';
import { named } from '../src/discord/definition.js';
import { draftModule } from './salt/draft.js';
import { editModule } from './salt/edit.js';
import { historyModule } from './salt/history.js';
import { ioModule } from './salt/io.js';
import { listenModule } from './salt/listen.js';
import { miscModule } from './salt/misc.js';
import { presetModule } from './salt/preset.js';
import { patchModule } from './salt/patch.js';
import { publishModule } from './salt/publish.js';
import { voteModule } from './salt/vote.js';

export const saltModules: readonly CommandModule[] = [draftModule, editModule, presetModule, voteModule, publishModule, patchModule, listenModule, historyModule, ioModule, miscModule];

export const saltCommand = {
  type: ApplicationCommandType.ChatInput,
  ...named('salt'),
  contexts: [InteractionContextType.Guild],
  options: saltModules.flatMap((m) => m.options),
} satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const registry: Registry = { definitions: [saltCommand], modules: saltModules };
