import type { CommandModule } from '../../src/discord/command.js';

/** Placeholder: filled in by its owner. */
export const ioModule: CommandModule = { options: [], run: {} };
