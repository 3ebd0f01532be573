import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createDeliveryLimits } from './delivery-limits.ts';

/** Starts as many as the limits allow, asking again when told, for `durationMs`: their times. */
function simulate(ratePerSecond: number, durationMs: number): number[] {
  const limits = createDeliveryLimits();
  const started: number[] = [];
  let now = 0;
  while (now < durationMs) {
    const slot = limits.acquire('k', { ratePerSecond }, now);
    if (slot.ok) {
      started.push(now);
      limits.release('k');
    } else {
      assert.ok(slot.retryAtMs > now, 'asks again later, not now');
      now = slot.retryAtMs;
    }
  }
  return started;
}

/** The most starts in any window of `windowMs` (closed at the start, open at the end). */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let j = i;
    while (j < times.length && (times[j] as number) < (times[i] as number) + windowMs) j++;
    most = Math.max(most, j - i);
  }
  return most;
}

describe('delivery limits', () => {
  test('a rate is never exceeded in any second, and is used in full', () => {
    for (const rate of [1, 5, 50, 1000]) {
      const started = simulate(rate, 5000);
      assert.ok(busiestWindow(started, 1000) <= rate, `rate ${rate}`);
      assert.ok(started.length >= rate * 5 - 1, `rate ${rate}: ${started.length} in 5 s`);
    }
  });

  test('below one per second, starts are spaced out', () => {
    const started = simulate(0.5, 10_000);
    assert.deepEqual(started, [0, 2000, 4000, 6000, 8000]);
  });

  test('concurrency: no more in flight than allowed; a release makes room', () => {
    const limits = createDeliveryLimits();
    assert.equal(limits.acquire('k', { maxConcurrency: 2 }, 0).ok, true);
    assert.equal(limits.acquire('k', { maxConcurrency: 2 }, 0).ok, true);
    assert.equal(limits.acquire('k', { maxConcurrency: 2 }, 0).ok, false);
    // another connection or environment has its own
    assert.equal(limits.acquire('other', { maxConcurrency: 2 }, 0).ok, true);
    limits.release('k');
    assert.equal(limits.acquire('k', { maxConcurrency: 2 }, 0).ok, true);
    // no limits: always
    for (let i = 0; i < 100; i++) assert.equal(limits.acquire('free', undefined, 0).ok, true);
  });
});
