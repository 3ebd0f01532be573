import assert from 'node:assert/strict';
import { once } from 'node:events';
import { test } from 'node:test';
import { createDeadlineClock, RequestTimeoutError } from './request-deadline.ts';

test('a deadline aborts its signal with REQUEST_TIMEOUT shortly after its time', async () => {
  const clock = createDeadlineClock({ tickMs: 5 });
  const startedAt = performance.now();
  const deadline = clock.start(40);
  await once(deadline.signal, 'abort');
  const elapsedMs = performance.now() - startedAt;
  assert.ok(elapsedMs >= 40, `fired early: ${elapsedMs} ms`);
  assert.ok(elapsedMs < 40 + 20 + 5 + 30, `fired late: ${elapsedMs} ms`);
  assert.equal(deadline.expired, true);
  assert.ok(deadline.signal.reason instanceof RequestTimeoutError);
  assert.equal(deadline.signal.reason.code, 'REQUEST_TIMEOUT');
  clock.stop();
});

test('a cleared deadline never fires, while others sharing the clock do', async () => {
  const clock = createDeadlineClock({ tickMs: 5 });
  const cleared = clock.start(20);
  cleared.clear();
  const other = clock.start(30);
  await once(other.signal, 'abort');
  assert.equal(cleared.signal.aborted, false);
  assert.equal(cleared.expired, false);
  clock.stop();
});
