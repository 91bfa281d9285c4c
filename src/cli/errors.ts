/**
 * Errors the CLI reports on purpose. A `CliError` carries the lines to print on stderr (each is
 * prefixed with "saltbot: ") and the exit code; anything else that escapes a command is a bug and
 * is reported as an unexpected error (exit 1).
 */

/** Exit codes: 0 success, 1 lint failure or unexpected error, 2 invalid input or usage. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;

export class CliError extends Error {
  readonly lines: readonly string[];
  readonly exitCode: number;

  constructor(lines: string | readonly string[], exitCode: number = EXIT.usage) {
    const list = typeof lines === 'string' ? [lines] : lines;
    super(list.join('\n'));
    this.name = 'CliError';
    this.lines = list;
    this.exitCode = exitCode;
  }
}

/** Invalid input or usage: exit code 2. */
export function usageError(lines: string | readonly string[]): CliError {
  return new CliError(lines, EXIT.usage);
}
