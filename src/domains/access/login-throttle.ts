/**
 * Wrong passwords counted per key (a user, a client address, a user from one address) in a
 * sliding window. Once a key has `maxFailures` in the window, logins for it are refused without
 * checking the password until the oldest failure leaves the window — so a guesser gets
 * `maxFailures` tries per window and the real user gets in once it has passed. Refused attempts
 * are not counted: counting them would let an attacker keep a user locked out forever.
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

/** Who tries to log in, from where: `user` is a key from `loginUserKey`. */
export interface LoginAttempt {
  user: string;
  address: string;
}

/**
 * The user a login names, as the throttle counts it: a known user by its id (so its id and its
 * name, in any case, are one user), an unknown name lower-cased (names are unique ignoring case).
 */
export function loginUserKey(user: { id: string } | undefined, typedName: string): string {
  return user ? `id:${user.id}` : `name:${typedName.toLowerCase()}`;
}

export interface LoginLimitsOptions {
  /** wrong passwords for one user from one address: the limit a guesser meets first */
  maxFailuresPerUserAddress: number;
  /**
   * wrong passwords for one user from all addresses together: a ceiling for guessing from
   * many addresses, high enough that one address failing cannot lock the user out elsewhere
   */
  maxFailuresPerUser: number;
  /** wrong passwords from one address, whichever users it names */
  maxFailuresPerAddress: number;
  windowMs: number;
}

/**
 * The three login limits together (issue 13 §6): failures from one address lock that address
 * out of the user (and, past its own limit, out of every user) but not the user's other
 * addresses, until the user's own ceiling across addresses is reached.
 */
export function createLoginLimits(options: LoginLimitsOptions) {
  const { windowMs } = options;
  const perUserAddress = createLoginThrottle({
    maxFailures: options.maxFailuresPerUserAddress,
    windowMs,
  });
  const perUser = createLoginThrottle({ maxFailures: options.maxFailuresPerUser, windowMs });
  const perAddress = createLoginThrottle({ maxFailures: options.maxFailuresPerAddress, windowMs });
  const pairKey = (attempt: LoginAttempt) => `${attempt.user}\u0000${attempt.address}`;

  return {
    /** ms until this attempt may be checked; 0 when it may now */
    waitMs(attempt: LoginAttempt, nowMs: number): number {
      return Math.max(
        perUserAddress.waitMs(pairKey(attempt), nowMs),
        perUser.waitMs(attempt.user, nowMs),
        perAddress.waitMs(attempt.address, nowMs),
      );
    },
    recordFailure(attempt: LoginAttempt, nowMs: number): void {
      perUserAddress.recordFailure(pairKey(attempt), nowMs);
      perUser.recordFailure(attempt.user, nowMs);
      perAddress.recordFailure(attempt.address, nowMs);
    },
    /**
     * The right password from this address: its count for the user starts again. The user's
     * count across addresses is kept, or each login of the real user would hand a guesser
     * elsewhere a fresh ceiling.
     */
    recordSuccess(attempt: LoginAttempt): void {
      perUserAddress.forget(pairKey(attempt));
    },
  };
}

export type LoginLimits = ReturnType<typeof createLoginLimits>;
