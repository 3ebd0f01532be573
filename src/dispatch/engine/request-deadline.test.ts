import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDeadlineClock, type RequestTimeoutError } from './request-deadline.ts';

test('a deadline fires with REQUEST_TIMEOUT shortly after its time', async () => {
  const clock = createDeadlineClock({ tickMs: 5 });
  const startedAt = performance.now();
  const deadline = clock.start(40);
  const reason = await new Promise<RequestTimeoutError>((resolve) => deadline.onExpire(resolve));
  const elapsedMs = performance.now() - startedAt;
  assert.ok(elapsedMs >= 40, `fired early: ${elapsedMs} ms`);
  assert.ok(elapsedMs < 40 + 20 + 5 + 30, `fired late: ${elapsedMs} ms`);
  assert.equal(deadline.expired, true);
  assert.equal(deadline.reason, reason);
  assert.equal(reason.code, 'REQUEST_TIMEOUT');
  clock.stop();
});

test('a cleared deadline never fires, while others sharing the clock do', async () => {
  const clock = createDeadlineClock({ tickMs: 5 });
  const cleared = clock.start(20);
  let clearedFired = false;
  cleared.onExpire(() => (clearedFired = true));
  cleared.clear();
  const other = clock.start(30);
  await new Promise((resolve) => other.onExpire(resolve));
  assert.equal(clearedFired, false);
  assert.equal(cleared.expired, false);
  clock.stop();
});
