import type { CommandModule } from '../../src/discord/command.js';

/** Placeholder: filled in by its owner. */
export const editModule: CommandModule = { options: [], run: {} };
