import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createLoginLimits, createLoginThrottle, loginUserKey } from './login-throttle.ts';

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

describe('login limits', () => {
  const limits = () =>
    createLoginLimits({
      maxFailuresPerUserAddress: 3,
      maxFailuresPerUser: 10,
      maxFailuresPerAddress: 5,
      windowMs: 60_000,
    });
  const ana = loginUserKey({ id: 'usr_1' }, 'ana');

  test('count a user by id, whether the login named its id or its name in any case', () => {
    assert.equal(loginUserKey({ id: 'usr_1' }, 'usr_1'), ana);
    assert.equal(loginUserKey({ id: 'usr_1' }, 'ANA'), ana);
    assert.equal(loginUserKey(undefined, 'Nobody'), loginUserKey(undefined, 'nobody'));
    assert.notEqual(loginUserKey(undefined, 'usr_1'), ana, 'an unknown name is not an id');
  });

  test('failures from one address lock that address out of the user, not the user elsewhere', () => {
    const limiter = limits();
    for (let at = 0; at < 3; at++) limiter.recordFailure({ user: ana, address: 'A' }, at);
    assert.equal(limiter.waitMs({ user: ana, address: 'A' }, 10), 60_000 - 10);
    assert.equal(limiter.waitMs({ user: ana, address: 'B' }, 10), 0);
    assert.equal(limiter.waitMs({ user: 'id:usr_2', address: 'A' }, 10), 0, 'other users from A');
    assert.equal(limiter.waitMs({ user: ana, address: 'A' }, 60_000), 0, 'the window passed');
  });

  test('the user has a ceiling across addresses, and each address its own limit', () => {
    const limiter = limits();
    for (let i = 0; i < 10; i++) limiter.recordFailure({ user: ana, address: `10.0.0.${i}` }, i);
    assert.equal(limiter.waitMs({ user: ana, address: 'fresh' }, 20), 60_000 - 20);
    const guesser = limits();
    for (let i = 0; i < 5; i++) guesser.recordFailure({ user: `name:u${i}`, address: 'A' }, i);
    assert.equal(guesser.waitMs({ user: ana, address: 'A' }, 10), 60_000 - 10);
    assert.equal(guesser.waitMs({ user: ana, address: 'B' }, 10), 0);
  });

  test('a success starts the address over but keeps the ceiling across addresses', () => {
    const limiter = limits();
    for (let at = 0; at < 2; at++) limiter.recordFailure({ user: ana, address: 'A' }, at);
    limiter.recordSuccess({ user: ana, address: 'A' });
    for (let at = 2; at < 4; at++) limiter.recordFailure({ user: ana, address: 'A' }, at);
    assert.equal(limiter.waitMs({ user: ana, address: 'A' }, 5), 0, 'two since the success');
    for (let i = 0; i < 6; i++) limiter.recordFailure({ user: ana, address: `B${i}` }, 10 + i);
    // 2 + 2 + 6 = 10 failures for ana in the window, the success notwithstanding
    assert.equal(limiter.waitMs({ user: ana, address: 'C' }, 20), 60_000 - 20);
  });
});
