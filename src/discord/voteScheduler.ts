/**
 * Vote deadlines over timers. Deadlines live in the store (`closesAt` of every open vote), so the
 * timers are only a cache: `start()` re-arms every open vote from `store.votes.listOpen()` and
 * closes at once the ones whose deadline passed while the bot was down. Closing is idempotent
 * (`store.votes.close` closes once), so a timer firing in two processes, or after a Close click,
 * does no harm.
 *
 * Wiring (entry point), see commands/salt/vote.ts:
 *
 *   const deps: Deps = { …, votes: { schedule: (id, at) => scheduler.schedule(id, at) } };
 *   const scheduler = createVoteScheduler(deps, closeVoteOnTimer(deps));
 *   await scheduler.start();
 *   // shutdown: scheduler.stop();
 */
import type { Deps, VoteScheduler } from './deps.js';

/** setTimeout's largest delay (≈ 24.8 days); longer waits are chained. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface RunningVoteScheduler extends VoteScheduler {
  /** Re-arms every open vote from the store; closes (and awaits) those already past their deadline. */
  start(): Promise<void>;
  /** Clears every timer; later `schedule` calls are ignored. */
  stop(): void;
  /** Vote ids with an armed timer (diagnostics, tests). */
  pending(): string[];
}

export type VoteSchedulerDeps = Pick<Deps, 'store' | 'log' | 'now'> & Partial<Pick<Deps, 'api'>>;

export function createVoteScheduler(
  deps: VoteSchedulerDeps,
  closeVote: (voteId: string) => Promise<void>,
  options: { maxDelayMs?: number } = {},
): RunningVoteScheduler {
  const maxDelay = Math.max(1, Math.min(options.maxDelayMs ?? MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS));
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  async function fire(voteId: string): Promise<void> {
    timers.delete(voteId);
    try {
      await closeVote(voteId);
    } catch (error) {
      deps.log.error({ voteId, err: String(error) }, 'closing a vote at its deadline failed');
    }
  }

  function arm(voteId: string, closesAt: number): void {
    if (stopped) return;
    const existing = timers.get(voteId);
    if (existing) clearTimeout(existing);
    const delay = Math.max(0, closesAt - deps.now());
    const timer = setTimeout(() => {
      if (stopped) return;
      // Long waits are chained in steps of at most maxDelay; the timer may also wake a little early.
      if (closesAt - deps.now() > 0 && delay > maxDelay) return arm(voteId, closesAt);
      void fire(voteId);
    }, Math.min(delay, maxDelay));
    timer.unref?.();
    timers.set(voteId, timer);
  }

  return {
    schedule(voteId, closesAt) {
      arm(voteId, closesAt);
    },
    async start() {
      stopped = false;
      const open = await deps.store.votes.listOpen();
      const now = deps.now();
      for (const vote of open) {
        if (vote.closesAt <= now) await fire(vote.id);
        else arm(vote.id, vote.closesAt);
      }
      deps.log.info({ open: open.length }, 'vote deadlines re-armed');
    },
    stop() {
      stopped = true;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
    pending() {
      return [...timers.keys()];
    },
  };
}
