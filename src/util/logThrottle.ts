/**
 * For log lines that can come in floods (e.g. @discordjs/rest's `rateLimited` event, emitted on
 * every request that waits for a bucket): the first one is written at once, then at most one per
 * interval, each telling how many were folded into it since the line before.
 */
export function createLogThrottle<F extends object>(
  emit: (fields: F, folded: number) => void,
  intervalMs: number,
  now: () => number = Date.now,
): (fields: F) => void {
  let lastAt = -Infinity;
  let folded = 0;
  return (fields) => {
    const t = now();
    if (t - lastAt < intervalMs) {
      folded++;
      return;
    }
    emit(fields, folded);
    lastAt = t;
    folded = 0;
  };
}
