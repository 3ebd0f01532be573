import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultRetryWaitsMs, nextStepAfter, type AttemptOutcome } from './delivery-schedule.ts';

const serverError: AttemptOutcome = {
  outcome: 'HTTP_5XX',
  retryable: true,
  status: 500,
  message: null,
};

describe('what comes after an attempt', () => {
  test('OK ends it', () => {
    const step = nextStepAfter({ ...serverError, outcome: 'OK', status: 200 }, 1, {
      policy: undefined,
      ageMs: 0,
    });
    assert.deepEqual(step, { status: 'succeeded' });
  });

  test('without a policy: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then the dead letter', () => {
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      const step = nextStepAfter(serverError, attempt, { policy: undefined, ageMs: 0 });
      if (step.status === 'pending') waits.push(step.waitMs);
      else {
        assert.equal(attempt, 8);
        assert.equal(step.status, 'failed');
        assert.match(step.status === 'failed' ? step.reason : '', /gave up after 8 attempts/);
      }
    }
    assert.deepEqual(waits, [5e3, 3e5, 18e5, 72e5, 18e6, 36e6, 36e6]);
    assert.deepEqual(waits, [...defaultRetryWaitsMs]);
    const total = waits.reduce((sum, wait) => sum + wait, 0) / 3_600_000;
    assert.ok(total > 27 && total < 29, `${total} h`);
  });

  test("the connection's policy: its attempts and waits (fixed, and exponential within the cap)", () => {
    const fixed = { maxAttempts: 3, waitSeconds: 2, backoff: 'fixed' as const };
    assert.deepEqual(nextStepAfter(serverError, 1, { policy: fixed, ageMs: 0 }), {
      status: 'pending',
      waitMs: 2000,
    });
    assert.equal(nextStepAfter(serverError, 3, { policy: fixed, ageMs: 0 }).status, 'failed');
    const exponential = {
      maxAttempts: 10,
      waitSeconds: 1,
      backoff: 'exponential' as const,
      maxWaitSeconds: 5,
    };
    // full jitter: random() = 1 gives the ceiling, 1 s × 2^(attempt-1) capped at 5 s
    const ceilings = [1, 2, 3, 4].map((attempt) => {
      const step = nextStepAfter(serverError, attempt, {
        policy: exponential,
        ageMs: 0,
        random: () => 1,
      });
      return step.status === 'pending' ? step.waitMs : -1;
    });
    assert.deepEqual(ceilings, [1000, 2000, 4000, 5000]);
  });

  test("Retry-After on 429 and 503 replaces the schedule's wait; on other statuses it does not", () => {
    const limited = {
      ...serverError,
      outcome: 'HTTP_429' as const,
      status: 429,
      retryAfterMs: 7000,
    };
    assert.deepEqual(nextStepAfter(limited, 1, { policy: undefined, ageMs: 0 }), {
      status: 'pending',
      waitMs: 7000,
    });
    const unavailable = { ...serverError, status: 503, retryAfterMs: 3000 };
    assert.deepEqual(nextStepAfter(unavailable, 2, { policy: undefined, ageMs: 0 }), {
      status: 'pending',
      waitMs: 3000,
    });
    const other = { ...serverError, status: 500, retryAfterMs: 3000 };
    assert.deepEqual(nextStepAfter(other, 1, { policy: undefined, ageMs: 0 }), {
      status: 'pending',
      waitMs: 5000,
    });
  });

  test('maxAgeSeconds: a retry that would start past it is not made', () => {
    const policy = {
      maxAttempts: 10,
      waitSeconds: 60,
      backoff: 'fixed' as const,
      maxAgeSeconds: 100,
    };
    assert.equal(nextStepAfter(serverError, 1, { policy, ageMs: 30_000 }).status, 'pending');
    const late = nextStepAfter(serverError, 2, { policy, ageMs: 50_000 });
    assert.equal(late.status, 'failed');
    assert.match(late.status === 'failed' ? late.reason : '', /maxAgeSeconds \(100 s\)/);
  });

  test('not retryable: a reason that says what to do', () => {
    const unsafe = nextStepAfter(
      { outcome: 'REQUEST_TIMEOUT', retryable: false, status: null, message: 'no answer' },
      1,
      { policy: undefined, ageMs: 0 },
    );
    assert.equal(unsafe.status, 'failed');
    assert.match(
      unsafe.status === 'failed' ? unsafe.reason : '',
      /^needs manual action: REQUEST_TIMEOUT/,
    );
    const refused = nextStepAfter(
      { outcome: 'HTTP_4XX', retryable: false, status: 422, message: null },
      1,
      { policy: undefined, ageMs: 0 },
    );
    assert.match(
      refused.status === 'failed' ? refused.reason : '',
      /the target refused it: HTTP_4XX \(HTTP 422\)/,
    );
    const blocked = nextStepAfter(
      { outcome: 'EGRESS_BLOCKED', retryable: false, status: null, message: 'loopback' },
      1,
      { policy: undefined, ageMs: 0 },
    );
    assert.match(blocked.status === 'failed' ? blocked.reason : '', /refused before sending/);
    const invalid = nextStepAfter(
      { outcome: 'INVALID_REQUEST', retryable: false, status: null, message: "header 'X-A'" },
      1,
      { policy: { maxAttempts: 5, waitSeconds: 1, backoff: 'fixed' }, ageMs: 0 },
    );
    assert.equal(invalid.status, 'failed');
    assert.match(invalid.status === 'failed' ? invalid.reason : '', /refused before sending/);
  });
});
