import type { EnvironmentParams } from '../../contracts/connections.ts';

type RetryPolicy = NonNullable<EnvironmentParams['retry']>;

/**
 * The wait before try `attempt + 1`, in ms: fixed, or exponential with full jitter (a random
 * wait between 0 and base × 2^(attempt-1), capped), so many callers retrying at once do not
 * hit a recovering target in step. `random` is injectable for tests.
 */
export function computeRetryWaitMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const baseMs = policy.waitSeconds * 1000;
  const capMs = (policy.maxWaitSeconds ?? Number.POSITIVE_INFINITY) * 1000;
  if (policy.backoff === 'fixed') return Math.min(baseMs, capMs);
  const ceilingMs = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceilingMs);
}

/**
 * Retry-After on 429 and 503: seconds or an HTTP date, in ms from `nowMs`; undefined when
 * absent or unreadable.
 */
export function parseRetryAfterMs(
  value: string | undefined,
  nowMs = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
