/**
 * The embedded store: Keyv over keyv-file, one JSON file. Hardened around keyv-file's weak spots:
 *  - a lock file (with the owner's pid) so a second process cannot silently overwrite the data;
 *    a stale lock of a dead process is taken over (pids are only checked on this host / in this
 *    container: two containers sharing one volume are not detected);
 *  - an unreadable data file refuses to open (keyv-file would start empty and overwrite it);
 *  - saves go to a temporary file renamed over the data file, so a crash mid-write keeps the old file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Keyv } from 'keyv';
import { KeyvFile } from 'keyv-file';
import { LocalBackend } from './backend.js';
import { StoreCorruptError, StoreUnavailableError } from './errors.js';

export const DEFAULT_FILE_PATH = './data/saltbot.json';

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock file next to the data file, or throws StoreUnavailableError naming the owner. */
function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreUnavailableError(`cannot create ${lockPath}: ${(error as Error).message}`, { cause: error });
      }
      let owner = NaN;
      try {
        owner = Number.parseInt(readFileSync(lockPath, 'utf8').trim(), 10);
      } catch {
        // vanished in between: retry
      }
      if (Number.isInteger(owner) && owner !== process.pid && pidAlive(owner)) {
        throw new StoreUnavailableError(
          `${lockPath} is held by process ${owner}: the file store may be used by one process only (use Redis to run several)`,
        );
      }
      // Stale: a dead owner, garbage, or our own pid left by an earlier run (e.g. pid 1 in a restarted container).
      try {
        unlinkSync(lockPath);
      } catch {
        // someone else removed it
      }
    }
  }
  throw new StoreUnavailableError(`cannot take the lock ${lockPath}`);
}

/** Refuses to open a data file keyv-file could not read (it would start empty and overwrite it). */
function checkReadable(filePath: string): void {
  if (!existsSync(filePath)) return;
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (error) {
    throw new StoreUnavailableError(`cannot read ${filePath}: ${(error as Error).message}`, { cause: error });
  }
  if (text.trim() === '') return;
  try {
    const data = JSON.parse(text) as { cache?: unknown };
    if (typeof data !== 'object' || data === null || data.cache === undefined) throw new Error('no "cache" field');
  } catch (error) {
    throw new StoreCorruptError(filePath, `not a saltbot data file (${(error as Error).message}); move it away to start empty`, { cause: error });
  }
}

interface KeyvFileInternals {
  _data: Map<string, unknown>;
  _lastExpire: number;
  opts: { serialize: (value: unknown) => string };
  saveToDisk: () => Promise<void>;
  _savePromise?: Promise<void>;
}

/** Files opened by this process (a lock holding our own pid is otherwise taken for a stale one). */
const openInThisProcess = new Set<string>();

export function createFileBackend(options: { filePath?: string; namespaceLabel: string }): LocalBackend {
  const filePath = path.resolve(options.filePath ?? DEFAULT_FILE_PATH);
  if (openInThisProcess.has(filePath)) {
    throw new StoreUnavailableError(`${filePath} is already open in this process: the file store may be used by one store at a time`);
  }
  mkdirSync(path.dirname(filePath), { recursive: true });
  const lock = acquireLock(`${filePath}.lock`);
  openInThisProcess.add(filePath);
  const release = () => {
    openInThisProcess.delete(filePath);
    lock();
  };
  try {
    checkReadable(filePath);
    // writeDelay batches saves; every awaited write still waits for its save to reach the disk.
    const adapter = new KeyvFile({ filename: filePath, writeDelay: 5, expiredCheckDelay: 60 * 60 * 1000 });
    const internals = adapter as unknown as KeyvFileInternals;
    const tmpPath = `${filePath}.tmp-${process.pid}`;
    const snapshot = () => internals.opts.serialize({ cache: [...internals._data], lastExpire: internals._lastExpire });
    internals.saveToDisk = async () => {
      await mkdir(path.dirname(filePath), { recursive: true });
      await writeFile(tmpPath, snapshot());
      await rename(tmpPath, filePath);
    };
    const keyv = new Keyv({ store: adapter, namespace: '', useKeyPrefix: false, throwOnErrors: true });
    return new LocalBackend({
      kind: 'file',
      keyv,
      description: `file store at ${filePath} (keys "${options.namespaceLabel}:…"; one process only — use Redis to run several bot processes)`,
      onClose: async () => {
        try {
          await internals._savePromise;
        } catch {
          // the final synchronous save below reports problems
        }
        try {
          writeFileSync(tmpPath, snapshot());
          renameSync(tmpPath, filePath);
        } finally {
          release();
        }
      },
    });
  } catch (error) {
    release();
    throw error;
  }
}

export function createMemoryBackend(options: { namespaceLabel: string }): LocalBackend {
  const keyv = new Keyv({ namespace: '', useKeyPrefix: false, throwOnErrors: true });
  return new LocalBackend({
    kind: 'memory',
    keyv,
    description: `in-memory store (keys "${options.namespaceLabel}:…"; lost when the process exits)`,
  });
}
