/**
 * Configuration: one zod-parsed view of the environment. `loadConfig` fails fast and lists every
 * problem at once. A `.env` file in the working directory is read when present.
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');

export const ConfigSchema = z
  .object({
    DISCORD_TOKEN: z.string().min(20, 'must be your bot token (Developer Portal → Bot → Reset Token)').optional(),
    DISCORD_APPLICATION_ID: snowflake.optional(),
    DISCORD_PUBLIC_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'must be the 64-hex-digit public key from General Information').optional(),
    DISCORD_GUILD_ID: snowflake.optional(),
    DISCORD_API_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:8080/api' }).optional(),
    SALT_TRANSPORT: z.enum(['gateway', 'http']).default('gateway'),
    PORT: z.coerce.number({ error: 'must be a port number (0-65535)' }).int('must be a whole number').min(0, 'must be 0-65535').max(65535, 'must be 0-65535').default(3000),
    HOST: z.string().default('0.0.0.0'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
    SALT_DATA_FILE: z.string().min(1).default('./data/saltbot.json'),
    SALT_DRAFT_TTL_DAYS: z.coerce.number({ error: 'must be a number of days' }).positive('must be above 0').max(3650, 'must be at most 3650 days').default(30),
    SALT_REGISTER_COMMANDS: z.enum(['changed', 'always', 'never']).default('changed'),
    SALT_EDIT_RATE_PER_MINUTE: z.coerce.number({ error: 'must be a whole number (0 = no limit)' }).int('must be a whole number').min(0, 'must be 0 or more').max(10000, 'must be at most 10000').default(30),
    // Card edits and posts this process starts per second (unset: 45, shared out among shards).
    SALT_DISCORD_REQUESTS_PER_SECOND: z.coerce
      .number({ error: 'must be a number of requests per second' })
      .positive('must be above 0')
      .max(50, "must be at most 50 (Discord's global limit for the whole bot)")
      .optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    SALT_PRETTY_LOGS: bool.default(false),
  });

/** Required settings, checked on the raw environment so they are reported with every other problem. */
function missingRequired(env: Record<string, string>): string[] {
  const out: string[] = [];
  if (!env.DISCORD_TOKEN) out.push('DISCORD_TOKEN: is required');
  if (!env.DISCORD_APPLICATION_ID) out.push('DISCORD_APPLICATION_ID: is required');
  if (env.SALT_TRANSPORT === 'http' && !env.DISCORD_PUBLIC_KEY) out.push('DISCORD_PUBLIC_KEY: is required when SALT_TRANSPORT=http');
  return out;
}

export type Config = z.infer<typeof ConfigSchema> & { DISCORD_TOKEN: string; DISCORD_APPLICATION_ID: string };

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment; throws ConfigError listing every problem. Empty strings count as unset. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== '')) as Record<string, string>;
  const result = ConfigSchema.safeParse(cleaned);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`)),
    ...missingRequired(cleaned),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data as Config;
}

/** Reads `.env` (if present) into process.env without overriding, then parses process.env. */
export function loadConfig(envFile = '.env'): Config {
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return parseConfig(process.env);
}

/**
 * loadConfig for entry points: on a ConfigError prints every problem (and where the variables are
 * documented) and exits 1; any other error propagates.
 */
export function loadConfigOrExit(envFile = '.env'): Config {
  try {
    return loadConfig(envFile);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`saltbot: ${error.message}`);
    console.error('See .env.example for every variable.');
    process.exit(1);
  }
}
