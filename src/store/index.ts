/**
 * The store: drafts, history, presets, votes and meta values behind one typed facade.
 * Created by `createStore` and injected; nothing connects on import.
 *
 *   redisUrl → Redis (Keyv + @keyv/redis; any number of processes)
 *   else     → Keyv over keyv-file at filePath (default ./data/saltbot.json; one process only)
 *   memory   → Keyv's in-memory Map (tests)
 */
import { createFacade, DEFAULT_DRAFT_TTL_MS, DEFAULT_HISTORY_LIMIT, DEFAULT_NAMESPACE } from './facade.js';
import { createFileBackend, createMemoryBackend } from './file.js';
import { RedisBackend } from './redis.js';
import type { Store, StoreConfig, StoreLogger } from './types.js';

export * from './errors.js';
export type * from './types.js';
export { DEFAULT_DRAFT_TTL_MS, DEFAULT_HISTORY_LIMIT, DEFAULT_NAMESPACE, MIN_HISTORY_LIMIT, PRESET_LIMIT } from './facade.js';
export { DEFAULT_FILE_PATH } from './file.js';
export { REDIS_DEFAULTS } from './redis.js';
export { storeKeys } from './keys.js';

const consoleLogger: StoreLogger = {
  info: (message) => console.info(message),
  warn: (message) => console.warn(message),
};

export async function createStore(config: StoreConfig = {}): Promise<Store> {
  const namespace = config.namespace ?? DEFAULT_NAMESPACE;
  if (!/^[A-Za-z0-9_.-]{1,40}$/.test(namespace)) throw new TypeError(`invalid store namespace: ${JSON.stringify(namespace)}`);
  const draftTtlMs = config.draftTtlMs ?? DEFAULT_DRAFT_TTL_MS;
  if (!(Number.isFinite(draftTtlMs) && draftTtlMs > 0)) throw new TypeError('draftTtlMs must be a positive number of milliseconds');
  const facadeOptions = { namespace, draftTtlMs, historyLimit: config.historyLimit ?? DEFAULT_HISTORY_LIMIT };
  const logger = config.logger ?? consoleLogger;

  if (config.redisUrl) {
    const backend = await RedisBackend.connect({ url: config.redisUrl, tuning: config.redis, logger, namespaceLabel: namespace });
    return createFacade(backend, facadeOptions);
  }
  if (config.memory) return createFacade(createMemoryBackend({ namespaceLabel: namespace }), facadeOptions);
  return createFacade(createFileBackend({ filePath: config.filePath, namespaceLabel: namespace }), facadeOptions);
}
