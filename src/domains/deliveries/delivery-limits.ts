/**
 * Per (connection, environment) limits of a connection's `delivery` settings, in this
 * process: how many deliveries may be in flight at once, and how many may start in any one
 * second. The rate is a sliding window of the last starts (not a token bucket, whose burst
 * would let up to twice the rate through in a second): a start is allowed when fewer than
 * `ratePerSecond` started in the 1,000 ms before it; below one per second, starts are spaced
 * 1 / rate seconds apart.
 */
export function createDeliveryLimits() {
  const inFlight = new Map<string, number>();
  /** the last `allowed` start times (ms) per key, in a ring: `oldest` is the next to drop */
  const starts = new Map<string, { times: Float64Array; oldest: number; count: number }>();

  /** null when a start is allowed now (and counted); else when the next one will be */
  function rateAllows(key: string, ratePerSecond: number, nowMs: number): number | null {
    const windowMs = ratePerSecond >= 1 ? 1000 : 1000 / ratePerSecond;
    const allowed = Math.max(1, Math.floor(ratePerSecond));
    let log = starts.get(key);
    if (!log || log.times.length !== allowed) {
      // first start, or the setting changed: begin a fresh window
      log = { times: new Float64Array(allowed), oldest: 0, count: 0 };
      starts.set(key, log);
    }
    while (log.count > 0 && (log.times[log.oldest] as number) <= nowMs - windowMs) {
      log.oldest = (log.oldest + 1) % allowed;
      log.count -= 1;
    }
    if (log.count >= allowed) return (log.times[log.oldest] as number) + windowMs;
    log.times[(log.oldest + log.count) % allowed] = nowMs;
    log.count += 1;
    return null;
  }

  return {
    /**
     * Takes a slot for one delivery of `key` if the limits allow it now; otherwise answers
     * when to ask again. A taken slot is given back with `release`.
     */
    acquire(
      key: string,
      limits: { maxConcurrency?: number; ratePerSecond?: number } | undefined,
      nowMs: number,
    ): { ok: true } | { ok: false; retryAtMs: number; reason: 'concurrency' | 'rate' } {
      const running = inFlight.get(key) ?? 0;
      if (limits?.maxConcurrency !== undefined && running >= limits.maxConcurrency) {
        // a slot frees when an attempt ends: ask again soon
        return { ok: false, retryAtMs: nowMs + 50, reason: 'concurrency' };
      }
      if (limits?.ratePerSecond !== undefined) {
        const retryAtMs = rateAllows(key, limits.ratePerSecond, nowMs);
        if (retryAtMs !== null) return { ok: false, retryAtMs, reason: 'rate' };
      }
      inFlight.set(key, running + 1);
      return { ok: true };
    },

    /** How many deliveries of `key` hold a slot now. */
    running(key: string): number {
      return inFlight.get(key) ?? 0;
    },

    release(key: string): void {
      const running = (inFlight.get(key) ?? 1) - 1;
      if (running <= 0) inFlight.delete(key);
      else inFlight.set(key, running);
    },
  };
}

export type DeliveryLimits = ReturnType<typeof createDeliveryLimits>;
