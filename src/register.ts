/**
 * Slash command registration. The definitions' hash (sha256 of their canonical JSON) is kept in
 * the store under `commands-hash.<guildId|global>`, so start-up PUTs the commands only when they
 * changed (SALT_REGISTER_COMMANDS=changed), on every start (always), or never.
 *
 * With DISCORD_GUILD_ID the commands go to that guild (instant, for development); otherwise
 * globally. `npm run register` (node dist/src/register.js) registers now, whatever the hash says.
 */
import { createHash } from 'node:crypto';
import { REST } from '@discordjs/rest';
import { Routes } from 'discord-api-types/v10';
import type { Logger } from './discord/deps.js';
import type { MetaStore } from './store/types.js';
import { isEntryModule } from './util/entry.js';

export type RegisterMode = 'changed' | 'always' | 'never';

export interface RegisterOptions {
  readonly rest: REST;
  readonly applicationId: string;
  readonly guildId?: string | undefined;
  readonly definitions: readonly unknown[];
  /** Where the hash is kept; without one, 'changed' behaves like 'always'. */
  readonly store?: { readonly kv: MetaStore } | undefined;
  readonly mode: RegisterMode;
  readonly log?: Logger;
}

export interface RegisterResult {
  readonly status: 'registered' | 'unchanged' | 'skipped';
  readonly scope: string;
  readonly hash: string;
  readonly count: number;
}

/** JSON with object keys sorted at every level (array order kept), so equal definitions hash equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function definitionsHash(definitions: readonly unknown[]): string {
  return createHash('sha256').update(canonicalJson(definitions)).digest('hex');
}

export function hashKey(guildId?: string): string {
  return `commands-hash.${guildId ?? 'global'}`;
}

interface StoredHash {
  hash: string;
  applicationId: string;
}

function storedHash(value: unknown): StoredHash | undefined {
  if (value && typeof value === 'object' && typeof (value as StoredHash).hash === 'string' && typeof (value as StoredHash).applicationId === 'string') {
    return value as StoredHash;
  }
  return undefined;
}

export async function registerCommands(options: RegisterOptions): Promise<RegisterResult> {
  const { rest, applicationId, guildId, definitions, store, mode, log } = options;
  const scope = guildId ? `guild ${guildId}` : 'global';
  const hash = definitionsHash(definitions);
  const base = { scope, hash, count: definitions.length };
  if (mode === 'never') {
    log?.info({ scope }, 'command registration skipped (SALT_REGISTER_COMMANDS=never)');
    return { status: 'skipped', ...base };
  }
  const key = hashKey(guildId);
  if (mode === 'changed' && store) {
    const previous = storedHash(await store.kv.get(key));
    if (previous && previous.hash === hash && previous.applicationId === applicationId) {
      log?.info({ scope, hash: hash.slice(0, 12) }, 'commands unchanged; not registering');
      return { status: 'unchanged', ...base };
    }
  }
  const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
  await rest.put(route, { body: definitions });
  if (store) await store.kv.set(key, { hash, applicationId });
  log?.info({ scope, count: definitions.length, hash: hash.slice(0, 12) }, 'commands registered');
  return { status: 'registered', ...base };
}

/** `npm run register`: registers now (mode 'always') with the configuration from the environment. */
export async function registerCli(): Promise<number> {
  const { ConfigError, loadConfig } = await import('./config.js');
  const { registry } = await import('../commands/index.js');
  const { createStore } = await import('./store/index.js');
  const { createLogger } = await import('./log.js');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  const log = createLogger({ level: config.LOG_LEVEL === 'silent' ? 'warn' : config.LOG_LEVEL, pretty: config.SALT_PRETTY_LOGS, secrets: [config.DISCORD_TOKEN] });
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) }).setToken(config.DISCORD_TOKEN);
  let store: Awaited<ReturnType<typeof createStore>> | undefined;
  try {
    store = await createStore({
      ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : { filePath: config.SALT_DATA_FILE }),
      logger: { info: (m) => log.info({}, m), warn: (m) => log.warn({}, m) },
    });
  } catch (error) {
    // E.g. the file store is held by the running bot: register anyway; the bot re-checks its hash on start.
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'store not available; registering without recording the hash');
  }
  try {
    const result = await registerCommands({
      rest,
      applicationId: config.DISCORD_APPLICATION_ID,
      guildId: config.DISCORD_GUILD_ID,
      definitions: registry.definitions,
      store,
      mode: 'always',
      log,
    });
    console.log(`Registered ${result.count} command(s) (${result.scope}).`);
    return 0;
  } catch (error) {
    const e = error as { status?: number; message?: string };
    console.error(`Registration failed${e.status ? ` (HTTP ${e.status})` : ''}: ${e.message ?? String(error)}`);
    return 1;
  } finally {
    await store?.close().catch(() => undefined);
  }
}


if (isEntryModule(import.meta.url)) {
  registerCli().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
