/**
 * Argument parsing with node:util parseArgs, with its errors turned into one-line usage errors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** True when `--help` or `-h` appears before a `--` terminator. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Parses a subcommand's arguments strictly; unknown flags and missing values are usage errors. */
export function parse<const O extends Options>(command: string, args: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageError(`${command}: ${describeParseError(error)} (see saltbot ${command} --help)`);
  }
}

function describeParseError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(message)?.[1];
    return option ? `unknown option ${option}` : 'unknown option';
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /'(?:-[^-' ],\s*)?(--?[^' ,]+)/.exec(message)?.[1];
    if (/argument missing/.test(message)) return option ? `${option} needs a value` : 'an option needs a value';
    if (/ambiguous/.test(message)) return option ? `${option} needs a value; for one starting with "-" write ${option}=VALUE` : message;
    if (/does not take an argument/.test(message)) return option ? `${option} does not take a value` : message;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const arg = /'([^']+)'/.exec(message)?.[1];
    return arg ? `unexpected argument "${arg}"` : 'unexpected argument';
  }
  return message.split('\n')[0] ?? message;
}

/** Parses a whole number from a flag value, or throws a usage error naming the flag. */
export function integerFlag(command: string, flag: string, raw: string, min: number, max?: number): number {
  const text = raw.trim();
  const value = /^[+-]?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    throw usageError(`${command}: --${flag}: must be a whole number, not "${raw}"`);
  }
  if (value < min) throw usageError(`${command}: --${flag}: must be at least ${min}`);
  if (max !== undefined && value > max) throw usageError(`${command}: --${flag}: must be at most ${max}`);
  return value;
}
