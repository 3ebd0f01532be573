/**
 * Wrong passwords counted per key (a user name, a client address) in a sliding window. Once a
 * key has `maxFailures` in the window, logins for it are refused without checking the password
 * until the oldest failure leaves the window — so a guesser gets `maxFailures` tries per window
 * and the real user gets in once it has passed. Refused attempts are not counted: counting
 * them would let an attacker keep a user locked out forever.
 *
 * Kept in memory, per process: a restart forgets the counts (a window's worth of tries at most
 * again), and several API processes each count their own.
 */
export interface LoginThrottle {
  /** ms until `key` may try again; 0 when it may now */
  waitMs(key: string, nowMs: number): number;
  recordFailure(key: string, nowMs: number): void;
  forget(key: string): void;
}

// enough keys for any honest use; a flood of made-up user names cannot grow memory without end
const maxKeys = 100_000;

export function createLoginThrottle(options: {
  maxFailures: number;
  windowMs: number;
}): LoginThrottle {
  const { maxFailures, windowMs } = options;
  /** key → failure times, oldest first, at most maxFailures of them */
  const failures = new Map<string, number[]>();

  function recent(key: string, nowMs: number): number[] {
    const times = failures.get(key);
    if (!times) return [];
    while (times.length > 0 && (times[0] as number) <= nowMs - windowMs) times.shift();
    if (times.length === 0) failures.delete(key);
    return times;
  }

  return {
    waitMs(key, nowMs) {
      const times = recent(key, nowMs);
      if (times.length < maxFailures) return 0;
      return (times[0] as number) + windowMs - nowMs;
    },
    recordFailure(key, nowMs) {
      const times = recent(key, nowMs);
      if (times.length === 0) {
        if (failures.size >= maxKeys) {
          // the oldest key first (Map keeps insertion order)
          const oldest = failures.keys().next().value;
          if (oldest !== undefined) failures.delete(oldest);
        }
        failures.set(key, times);
      }
      times.push(nowMs);
      if (times.length > maxFailures) times.shift();
    },
    forget(key) {
      failures.delete(key);
    },
  };
}
