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

const FS_REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of the path is not a directory',
  ENAMETOOLONG: 'the name is too long',
};
/** Writing: a missing part of the path is a directory, and a read-only file system is a permission problem. */
const FS_WRITE_REASONS: Readonly<Record<string, string>> = { ...FS_REASONS, ENOENT: 'no such directory', EROFS: 'permission denied' };

/** Why reading (or writing) a file failed, in words ("no such file"); an unknown error by its code or message. */
export function describeFsError(error: unknown, op: 'read' | 'write' = 'read'): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string') return error instanceof Error ? error.message : String(error);
  const reasons = op === 'write' ? FS_WRITE_REASONS : FS_REASONS;
  return Object.hasOwn(reasons, code) ? reasons[code]! : code;
}
