/**
 * Tracks interactions being handled (routing, responding and their after-work) so shutdown can
 * stop taking new work and wait, bounded, for what is already running.
 */
import type { Logger } from '../discord/deps.js';

export interface InFlight {
  /** False once `close()` was called: transports refuse new interactions. */
  readonly accepting: boolean;
  readonly size: number;
  /** Runs `work` as one tracked unit; returns its promise. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Stops accepting new work. */
  close(): void;
  /** Resolves true when everything finished, false when `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** Calls `work`, turning a synchronous throw into a rejection. */
async function start<T>(work: () => Promise<T>): Promise<T> {
  return work();
}
const settled = (): undefined => undefined;

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  let accepting = true;
  return {
    get accepting() {
      return accepting;
    },
    get size() {
      return running.size;
    },
    run(work) {
      // `work` is called here and not kept: no closure made below refers to it, so the function (and
      // what it holds) can go as soon as it has run, while its promise is still tracked.
      const p = start(work);
      const tracked = p.then(settled, settled);
      running.add(tracked);
      void tracked.then(() => running.delete(tracked));
      return p;
    },
    close() {
      accepting = false;
    },
    async drain(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
        timer.unref();
      });
      const all = (async () => {
        while (running.size > 0) await Promise.all([...running]);
        return true;
      })();
      const done = await Promise.race([all, timeout]);
      if (timer) clearTimeout(timer);
      return done;
    },
  };
}

/**
 * Runs a reply's after-work (follow-ups, card refresh) once its first response was delivered. A
 * failure there is logged, never thrown: the member already has their answer.
 */
export function runAfterWork(after: () => Promise<void>, interactionId: string, log: Logger): Promise<void> {
  // Not an async function: while the work's promise is pending (a card refresh waiting its turn),
  // nothing here holds `after` or what it closed over (the save's outcome, the old record, …).
  return start(after).then(settled, (error: unknown) => {
    log.error({ interactionId, err: error }, 'follow-up work after responding failed');
  });
}
