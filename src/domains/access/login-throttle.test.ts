import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLoginThrottle } from './login-throttle.ts';

test('allows maxFailures wrong tries per window, then asks to wait until the oldest leaves it', () => {
  const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 60_000 });
  for (const at of [0, 10_000, 20_000]) {
    assert.equal(throttle.waitMs('ana', at), 0);
    throttle.recordFailure('ana', at);
  }
  assert.equal(throttle.waitMs('ana', 30_000), 30_000);
  assert.equal(throttle.waitMs('ana', 59_999), 1);
  assert.equal(throttle.waitMs('ana', 60_000), 0, 'the first failure left the window');
  throttle.recordFailure('ana', 60_000);
  assert.equal(throttle.waitMs('ana', 60_001), 9_999, 'the second failure is now the oldest');
});

test('keys are independent and forget clears one', () => {
  const throttle = createLoginThrottle({ maxFailures: 1, windowMs: 1000 });
  throttle.recordFailure('ana', 0);
  throttle.recordFailure('10.0.0.1', 0);
  assert.equal(throttle.waitMs('ana', 1), 999);
  assert.equal(throttle.waitMs('bob', 1), 0);
  throttle.forget('ana');
  assert.equal(throttle.waitMs('ana', 1), 0);
  assert.equal(throttle.waitMs('10.0.0.1', 1), 999);
});
