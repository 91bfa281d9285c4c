/**
 * Evenly spaced starts: at most one task starts per `1000 / perSecond` ms, in the order they came.
 *
 * For requests on Discord's global rate limit (50 per second per bot). Left to @discordjs/rest,
 * requests over that limit all wait on one shared timer; when the second is over they all wake at
 * once, 50 go out together and the rest emit a `rateLimited` event each and sleep again. Under
 * load (card edits of 200 busy channels) that was a burst of main-thread work every second, and
 * others' answers waited behind it. Paced here, the same 50 requests a second go out one every
 * ~22 ms and the REST library's own global limit is never reached.
 *
 * A task that finds the pacer idle (nothing queued, the last start long enough ago) starts at once,
 * synchronously. Only starts are spaced: a slow task does not hold up the next one.
 */
export interface Pacer {
  /** Runs `task` when its turn comes; settles as the task does. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks waiting for their turn. */
  readonly queued: number;
}

export interface PacerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
}

const systemClock: PacerClock = { now: () => performance.now(), setTimeout: (fn, ms) => setTimeout(fn, ms) };

interface Waiting {
  task: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export function createPacer(perSecond: number, clock: PacerClock = systemClock): Pacer {
  if (!(perSecond > 0)) throw new RangeError(`perSecond must be positive (got ${perSecond})`);
  const interval = 1000 / perSecond;
  const queue: Waiting[] = [];
  /** When the next start is allowed. */
  let allowedAt = -Infinity;
  let timerSet = false;

  const start = (task: () => Promise<unknown>): Promise<unknown> => {
    allowedAt = clock.now() + interval;
    try {
      return task();
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const arm = (): void => {
    if (timerSet || queue.length === 0) return;
    timerSet = true;
    clock.setTimeout(drain, Math.max(0, allowedAt - clock.now()));
  };

  function drain(): void {
    timerSet = false;
    const next = queue.shift();
    if (next) start(next.task).then(next.resolve, next.reject);
    arm();
  }

  return {
    run<T>(task: () => Promise<T>): Promise<T> {
      if (queue.length === 0 && !timerSet && clock.now() >= allowedAt) return start(task) as Promise<T>;
      return new Promise<T>((resolve, reject) => {
        queue.push({ task, resolve: resolve as (value: unknown) => void, reject });
        arm();
      });
    },
    get queued() {
      return queue.length;
    },
  };
}
