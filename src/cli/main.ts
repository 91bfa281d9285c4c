/**
 * The `saltbot` command line: `main` parses argv, runs a subcommand and returns the exit code.
 * It never writes to stdout unless the command succeeded, so a failed run prints nothing there.
 *
 * Exit codes: 0 success; 1 lint failure or unexpected error; 2 invalid input or usage.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wantsHelp } from './args.js';
import { chartCommand } from './commands/chart.js';
import { lintCommand } from './commands/lint.js';
import { listenCommand } from './commands/listen.js';
import { measureCommand } from './commands/measure.js';
import { patchCommand } from './commands/patch.js';
import { presetsCommand } from './commands/presets.js';
import { renderCommand } from './commands/render.js';
import { timingCommand } from './commands/timing.js';
import { CliError, EXIT, usageError } from './errors.js';
import { COMMAND_HELP, GLOBAL_HELP } from './help.js';
import type { CliIO, CommandResult } from './io.js';

export type { CliIO } from './io.js';
export { EXIT } from './errors.js';

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIO) => CommandResult | Promise<CommandResult>>> = {
  presets: presetsCommand,
  render: renderCommand,
  lint: lintCommand,
  timing: timingCommand,
  patch: patchCommand,
  chart: chartCommand,
  listen: listenCommand,
  measure: measureCommand,
};

export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    const result = await dispatch(argv, io);
    if (result.stdout.length > 0) io.stdout.write(result.stdout);
    return result.exitCode;
  } catch (error) {
    if (error instanceof CliError) {
      for (const line of error.lines) io.stderr.write(`saltbot: ${line}\n`);
      return error.exitCode;
    }
    const env = io.env ?? process.env;
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (env.SALTBOT_DEBUG === '1') {
      io.stderr.write(`saltbot: unexpected error: ${error instanceof Error && error.stack ? error.stack : message}\n`);
    } else {
      io.stderr.write(`saltbot: unexpected error: ${message || 'unknown'} (set SALTBOT_DEBUG=1 for details)\n`);
    }
    return EXIT.failure;
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<CommandResult> {
  const [first, ...rest] = argv;
  if (first === undefined) throw usageError(['missing command', ...usageSummary()]);
  if (first === '--help' || first === '-h') return { stdout: GLOBAL_HELP, exitCode: EXIT.ok };
  if (first === '--version' || first === '-V') return { stdout: `saltbot ${version()}\n`, exitCode: EXIT.ok };
  if (first === 'help') return helpCommand(rest);
  if (first.startsWith('-')) throw usageError([`unknown option ${first}`, ...usageSummary()]);

  const command = COMMANDS[first];
  if (!command) throw usageError([`unknown command "${first}"`, ...usageSummary()]);
  if (wantsHelp(rest)) return { stdout: COMMAND_HELP[first]!, exitCode: EXIT.ok };
  return command(rest, io);
}

function helpCommand(args: readonly string[]): CommandResult {
  const [topic, extra] = args;
  if (topic === undefined) return { stdout: GLOBAL_HELP, exitCode: EXIT.ok };
  if (extra !== undefined) throw usageError(`help: expected one command, got ${args.length}`);
  const text = COMMAND_HELP[topic];
  if (!text) throw usageError([`help: unknown command "${topic}"`, ...usageSummary()]);
  return { stdout: text, exitCode: EXIT.ok };
}

function usageSummary(): string[] {
  return [`commands: ${Object.keys(COMMANDS).join(', ')} (see saltbot --help)`];
}

/** The version from the package.json above this file (works from src/ under tsx and from dist/). */
export function version(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'saltbot' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: look one directory up
    }
    dir = dirname(dir);
  }
  return 'unknown';
}
