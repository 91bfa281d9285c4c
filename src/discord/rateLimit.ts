/**
 * Per-member edit rate limit: at most `perMinute` edits in any sliding 60-second window. Kept in
 * process memory (each bot process limits what it handles); 0 disables it.
 */
export interface RateLimiter {
  /** Records an edit; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number;
}

const WINDOW_MS = 60_000;
const MAX_KEYS = 10_000;

export function createRateLimiter(perMinute: number, now: () => number): RateLimiter {
  const hits = new Map<string, number[]>();
  return {
    take(key) {
      if (perMinute <= 0) return 0;
      const t = now();
      const recent = (hits.get(key) ?? []).filter((at) => t - at < WINDOW_MS);
      if (recent.length >= perMinute) {
        hits.set(key, recent);
        return Math.max(1, Math.ceil((recent[0]! + WINDOW_MS - t) / 1000));
      }
      recent.push(t);
      hits.delete(key);
      hits.set(key, recent);
      if (hits.size > MAX_KEYS) hits.delete(hits.keys().next().value!);
      return 0;
    },
  };
}
