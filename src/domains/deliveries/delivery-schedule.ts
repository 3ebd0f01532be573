import type { EnvironmentParams } from '../../contracts/connections.ts';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import { computeRetryWaitMs } from '../../dispatch/engine/retry-wait.ts';

type RetryPolicy = NonNullable<EnvironmentParams['retry']>;

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

/**
 * The waits after attempts 1…7 when a connection sets no retry policy: the first attempt at
 * once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h — eight attempts over about 28 h, so
 * a target down for a day still gets everything.
 */
export const defaultRetryWaitsMs: readonly number[] = [
  5 * second,
  5 * minute,
  30 * minute,
  2 * hour,
  5 * hour,
  10 * hour,
  10 * hour,
];

/** A Retry-After longer than this is not waited for as given (a day: the default schedule's span). */
const maxRetryAfterMs = 24 * hour;

/** What one attempt ended with, as far as the schedule cares. */
export interface AttemptOutcome {
  outcome: OutcomeCode;
  /** DESIGN §2 step 6, as the engine decided it for this request */
  retryable: boolean;
  status: number | null;
  message: string | null;
  retryAfterMs?: number;
}

export type NextStep =
  | { status: 'succeeded' }
  | { status: 'pending'; waitMs: number }
  | { status: 'failed'; reason: string };

/**
 * After attempt number `attempts` (1 for the first): done, due again after a wait, or failed
 * (dead letter) with the reason a user reads before replaying it.
 */
export function nextStepAfter(
  result: AttemptOutcome,
  attempts: number,
  options: { policy: RetryPolicy | undefined; ageMs: number; random?: () => number },
): NextStep {
  if (result.outcome === 'OK') return { status: 'succeeded' };
  if (!result.retryable) return { status: 'failed', reason: notRetryableReason(result) };
  const { policy } = options;
  const maxAttempts = policy?.maxAttempts ?? defaultRetryWaitsMs.length + 1;
  if (attempts >= maxAttempts) {
    return {
      status: 'failed',
      reason: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${describe(result)}`,
    };
  }
  const scheduledMs = policy
    ? computeRetryWaitMs(policy, attempts, options.random)
    : (defaultRetryWaitsMs[attempts - 1] as number);
  // the target said when to come back (429, 503): that, rather than our guess
  const waitMs =
    result.retryAfterMs !== undefined && (result.status === 429 || result.status === 503)
      ? Math.min(result.retryAfterMs, maxRetryAfterMs)
      : scheduledMs;
  const maxAgeMs = policy?.maxAgeSeconds === undefined ? undefined : policy.maxAgeSeconds * 1000;
  if (maxAgeMs !== undefined && options.ageMs + waitMs > maxAgeMs) {
    return {
      status: 'failed',
      reason: `gave up after ${attempts} attempt${attempts === 1 ? '' : 's'}: the next would pass the retry policy's maxAgeSeconds (${policy?.maxAgeSeconds} s); last: ${describe(result)}`,
    };
  }
  return { status: 'pending', waitMs };
}

function describe(result: AttemptOutcome): string {
  const status = result.status === null ? '' : ` (HTTP ${result.status})`;
  return `${result.outcome}${status}${result.message ? ` — ${result.message}` : ''}`;
}

const refusedByConfiguration = new Set<OutcomeCode>([
  'EGRESS_BLOCKED',
  'TEMPLATE_UNRESOLVED',
  'INVALID_REQUEST',
]);
const refusedByTarget = new Set<OutcomeCode>(['HTTP_4XX', 'HTTP_AUTH', 'RESPONSE_TOO_LARGE']);

function notRetryableReason(result: AttemptOutcome): string {
  if (refusedByConfiguration.has(result.outcome)) {
    return `refused before sending: ${describe(result)}; fix the configuration, then replay`;
  }
  if (refusedByTarget.has(result.outcome)) {
    return `the target refused it: ${describe(result)}; repeating would not change that — fix the request or the target, then replay`;
  }
  return `needs manual action: ${describe(result)}; the request may have reached the target and is not safe to repeat (not an idempotent method, and no idempotency key such as standard-webhooks signing or an Idempotency-Key header) — check the target, then replay if it did not act on it`;
}
