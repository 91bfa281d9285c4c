/**
 * The process logger, implementing `Logger` over **pino**: one JSON object per line on stdout
 * (`{"level":"info","time":"…ISO…","msg":…,…fields}`), or a short human-readable line when `pretty`.
 *
 * Redaction, applied to every line before pino sees it:
 *   - fields whose name looks secret (token, authorization, secret, password, signature, key…)
 *     are replaced with "[redacted]";
 *   - any configured secret value (the bot token) is cut out of every string;
 *   - strings shaped like a Discord bot token or an interaction token are masked;
 *   - at info level and above, fields that may carry what a member typed (content, text,
 *     value(s), options, components, body, data, prompt, spec) are dropped to "[omitted]" —
 *     they appear only at debug level.
 */
import { pino, type Logger as PinoLogger } from 'pino';
import type { Logger } from './discord/deps.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface LogOptions {
  level?: LogLevel;
  /** Human-readable single lines instead of JSON. */
  pretty?: boolean;
  /** Exact values to cut out of every string (e.g. the bot token). */
  secrets?: readonly (string | undefined)[];
  /** Where lines go (default: stdout, synchronously). */
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

/** Turns one pino JSON line into `HH:MM:SS.mmm LEVEL msg k=v …`. */
function prettyLine(json: string): string {
  try {
    const { time, level, msg, ...fields } = JSON.parse(json) as Record<string, unknown>;
    const rest = Object.entries(fields)
      .map(([k, v]) => `${k}=${prettyValue(v)}`)
      .join(' ');
    return `${String(time).slice(11, 23)} ${String(level).toUpperCase().padEnd(5)} ${typeof msg === 'string' ? msg : ''}${rest ? ` ${rest}` : ''}\n`;
  } catch {
    return json;
  }
}

type Emit = Exclude<LogLevel, 'silent'>;

function wrap(p: PinoLogger<never>, level: LogLevel, secrets: readonly string[]): AppLogger {
  const emit = (lvl: Emit) => (obj: object, msg?: string): void => {
    if (!p.isLevelEnabled(lvl)) return;
    try {
      const fields = clean(obj, secrets, lvl === 'debug', 0) as object;
      if (msg === undefined) p[lvl](fields);
      else p[lvl](fields, redactString(msg, secrets));
    } catch {
      // Logging never takes the bot down.
    }
  };
  return {
    level,
    debug: emit('debug'),
    info: emit('info'),
    warn: emit('warn'),
    error: emit('error'),
    child: (fields) => wrap(p.child(clean(fields, secrets, false, 0) as Record<string, unknown>), level, secrets),
  };
}

export function createLogger(options: LogOptions = {}): AppLogger {
  const level = options.level ?? 'info';
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length > 0);
  const now = options.now ?? (() => new Date());
  const sink = options.write ?? ((line: string) => void process.stdout.write(line));
  const write = options.pretty ? (line: string) => sink(prettyLine(line)) : sink;
  const destination = {
    write(line: string) {
      try {
        write(line);
      } catch {
        // Logging never takes the bot down.
      }
    },
  };
  const p = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${now().toISOString()}"`,
      formatters: { level: (label) => ({ level: label }) },
      // Fields are already cleaned (errors flattened); pino's own err serializer would re-add stacks.
      serializers: { err: (v: unknown) => v },
    },
    destination,
  );
  const root = wrap(p as PinoLogger<never>, level, secrets);
  return options.base ? root.child(options.base) : root;
}
