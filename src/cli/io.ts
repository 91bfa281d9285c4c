/**
 * What the CLI talks to. `main` takes these explicitly so tests can run it in-process; the bin
 * passes the real process streams.
 */

export interface Output {
  write(chunk: string): unknown;
}

export interface CliIO {
  readonly stdout: Output;
  readonly stderr: Output;
  /** Where `-` reads a spec from; defaults to process.stdin. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Environment (SALTBOT_DEBUG); defaults to process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Directory relative file paths resolve against; defaults to process.cwd(). */
  readonly cwd?: string;
}

/** A command's successful result: text for stdout and the exit code. */
export interface CommandResult {
  readonly stdout: string;
  readonly exitCode: number;
}

export function ok(stdout: string, exitCode = 0): CommandResult {
  return { stdout, exitCode };
}
