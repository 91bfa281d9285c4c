/**
 * A tiny JSON-lines logger implementing `Logger`: one object per line on stdout
 * (`{"time":…,"level":"info","msg":…,…fields}`), or a short human-readable line when `pretty`.
 *
 * Redaction, applied to every line:
 *   - fields whose name looks secret (token, authorization, secret, password, signature, key…)
 *     are replaced with "[redacted]";
 *   - any configured secret value (the bot token) is cut out of every string;
 *   - strings shaped like a Discord bot token or an interaction token are masked;
 *   - at info level and above, fields that may carry what a member typed (content, text,
 *     value(s), options, components, body, data, prompt, spec) are dropped to "[omitted]" —
 *     they appear only at debug level.
 */
import type { Logger } from './discord/deps.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface LogOptions {
  level?: LogLevel;
  /** Human-readable single lines instead of JSON. */
  pretty?: boolean;
  /** Exact values to cut out of every string (e.g. the bot token). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go (default process.stdout.write). */
  write?: (line: string) => void;
  /** Fixed fields on every line (e.g. { transport: 'http' }). */
  base?: Record<string, unknown>;
  now?: () => Date;
}

export interface AppLogger extends Logger {
  readonly level: LogLevel;
  /** A logger with extra fixed fields. */
  child(fields: Record<string, unknown>): AppLogger;
}

const SECRET_KEY = /(token|authorization|secret|password|passwd|signature|api[-_]?key|private[-_]?key|^key$|cookie)/i;
const USER_TEXT_KEY = /^(content|text|value|values|options|components|body|data|prompt|spec|title|description|label|query)$/i;
/** A Discord bot token: base64 id . timestamp . hmac */
const BOT_TOKEN = /\b[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}\b/g;
/** Interaction / webhook tokens in URLs (…/webhooks/<app>/<token>/…, …/interactions/<id>/<token>/…). */
const URL_TOKEN = /(\/(?:webhooks|interactions)\/\d+\/)([A-Za-z0-9_.-]{20,})/g;

export function redactString(s: string, secrets: readonly string[] = []): string {
  let out = s;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  return out.replace(URL_TOKEN, '$1[redacted]').replace(BOT_TOKEN, '[redacted]');
}

function clean(value: unknown, secrets: readonly string[], keepUserText: boolean, depth: number, key?: string): unknown {
  if (key !== undefined && SECRET_KEY.test(key) && value !== undefined && value !== null && typeof value !== 'boolean' && typeof value !== 'number') {
    return '[redacted]';
  }
  if (key !== undefined && !keepUserText && USER_TEXT_KEY.test(key) && value !== undefined && value !== null) return '[omitted]';
  if (typeof value === 'string') return redactString(value, secrets);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (depth > 6) return '[deep]';
  if (value instanceof Error) {
    return clean({ name: value.name, message: value.message, ...(keepUserText ? { stack: value.stack } : {}) }, secrets, keepUserText, depth + 1);
  }
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => clean(v, secrets, keepUserText, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = clean(v, secrets, keepUserText, depth + 1, k);
  return out;
}

function prettyValue(v: unknown): string {
  if (typeof v === 'string') return /\s/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v);
}

export function createLogger(options: LogOptions = {}): AppLogger {
  const level = options.level ?? 'info';
  const threshold = ORDER[level];
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const write = options.write ?? ((line: string) => void process.stdout.write(line));
  const now = options.now ?? (() => new Date());
  const base = options.base ?? {};

  function emit(lvl: Exclude<LogLevel, 'silent'>, obj: object, msg?: string): void {
    if (ORDER[lvl] < threshold) return;
    const keepUserText = lvl === 'debug';
    const fields = clean({ ...base, ...obj }, secrets, keepUserText, 0) as Record<string, unknown>;
    const message = msg === undefined ? undefined : redactString(msg, secrets);
    let line: string;
    if (options.pretty) {
      const time = now().toISOString().slice(11, 23);
      const rest = Object.entries(fields)
        .map(([k, v]) => `${k}=${prettyValue(v)}`)
        .join(' ');
      line = `${time} ${lvl.toUpperCase().padEnd(5)} ${message ?? ''}${rest ? ` ${rest}` : ''}\n`;
    } else {
      let json: string;
      try {
        json = JSON.stringify({ time: now().toISOString(), level: lvl, ...(message !== undefined ? { msg: message } : {}), ...fields });
      } catch {
        json = JSON.stringify({ time: now().toISOString(), level: lvl, msg: message, note: 'unserializable fields' });
      }
      line = `${json}\n`;
    }
    try {
      write(line);
    } catch {
      // Logging never takes the bot down.
    }
  }

  return {
    level,
    debug: (obj, msg) => emit('debug', obj, msg),
    info: (obj, msg) => emit('info', obj, msg),
    warn: (obj, msg) => emit('warn', obj, msg),
    error: (obj, msg) => emit('error', obj, msg),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}
