import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createCircuitBreaker, type CircuitChange } from './circuit-breaker.ts';

describe('circuit breaker', () => {
  test('opens after the threshold of sick outcomes in a row, defers until the open time passes', () => {
    const changes: CircuitChange[] = [];
    const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 1000 }, (change) =>
      changes.push(change),
    );
    for (let i = 0; i < 2; i++) breaker.record('k', 'HTTP_5XX', false, 0);
    assert.equal(breaker.state('k'), 'closed');
    breaker.record('k', 'CONNECT_REFUSED', false, 10);
    assert.equal(breaker.state('k'), 'open');
    assert.deepEqual(changes, [
      { key: 'k', state: 'open', outcome: 'CONNECT_REFUSED', openForMs: 1000 },
    ]);
    assert.deepEqual(breaker.decide('k', 500), { send: false, retryAtMs: 1010 });
    // another target is not held
    assert.deepEqual(breaker.decide('other', 500), { send: true, probe: false });
  });

  test('a success in between resets the count; 4xx neither counts nor resets', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3 });
    breaker.record('k', 'HTTP_5XX', false, 0);
    breaker.record('k', 'HTTP_5XX', false, 0);
    breaker.record('k', 'OK', false, 0);
    breaker.record('k', 'HTTP_5XX', false, 0);
    breaker.record('k', 'HTTP_4XX', false, 0);
    breaker.record('k', 'HTTP_5XX', false, 0);
    assert.equal(breaker.state('k'), 'closed');
    breaker.record('k', 'REQUEST_TIMEOUT', false, 0);
    assert.equal(breaker.state('k'), 'open');
  });

  test('half-open lets exactly one probe through; its success closes, its failure doubles the wait', () => {
    const changes: CircuitChange[] = [];
    const breaker = createCircuitBreaker(
      { failureThreshold: 1, openMs: 100, maxOpenMs: 300 },
      (change) => changes.push(change),
    );
    breaker.record('k', 'HTTP_5XX', false, 0);
    assert.deepEqual(breaker.decide('k', 100), { send: true, probe: true });
    assert.equal(breaker.state('k'), 'half_open');
    const second = breaker.decide('k', 100);
    assert.equal(second.send, false, 'one probe at a time');
    breaker.record('k', 'HTTP_5XX', true, 150);
    assert.equal(breaker.state('k'), 'open');
    assert.deepEqual(breaker.decide('k', 200), { send: false, retryAtMs: 350 });
    breaker.decide('k', 350);
    breaker.record('k', 'HTTP_5XX', true, 360);
    assert.deepEqual(breaker.decide('k', 400), { send: false, retryAtMs: 660 }, 'capped at 300 ms');
    assert.deepEqual(breaker.decide('k', 660), { send: true, probe: true });
    breaker.record('k', 'OK', true, 670);
    assert.equal(breaker.state('k'), 'closed');
    assert.deepEqual(
      changes.map((change) => change.state),
      ['open', 'open', 'open', 'closed'],
    );
    assert.deepEqual(breaker.decide('k', 700), { send: true, probe: false });
  });

  test('an abandoned probe lets the next one through', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 1, openMs: 100 });
    breaker.record('k', 'HTTP_5XX', false, 0);
    assert.deepEqual(breaker.decide('k', 100), { send: true, probe: true });
    breaker.abandonProbe('k');
    assert.deepEqual(breaker.decide('k', 100), { send: true, probe: true });
  });

  test('describe says how close a closed circuit is, what opened an open one and when it probes', () => {
    const breaker = createCircuitBreaker({ failureThreshold: 3, openMs: 1000 });
    assert.deepEqual(breaker.describe('k'), {
      state: 'closed',
      consecutiveFailures: 0,
      failureThreshold: 3,
      openedAtMs: null,
      openedBy: null,
      retryAtMs: null,
      openForMs: 1000,
    });
    breaker.record('k', 'HTTP_5XX', false, 0);
    assert.equal(breaker.describe('k').consecutiveFailures, 1);
    breaker.record('k', 'HTTP_5XX', false, 5);
    breaker.record('k', 'REQUEST_TIMEOUT', false, 10);
    assert.deepEqual(breaker.describe('k'), {
      state: 'open',
      consecutiveFailures: 3,
      failureThreshold: 3,
      openedAtMs: 10,
      openedBy: 'REQUEST_TIMEOUT',
      retryAtMs: 1010,
      openForMs: 1000,
    });
    assert.deepEqual(breaker.decide('k', 1010), { send: true, probe: true });
    assert.equal(breaker.describe('k').state, 'half_open');
    assert.equal(breaker.describe('k').retryAtMs, null);
    breaker.record('k', 'OK', true, 1020);
    assert.deepEqual(
      [
        breaker.describe('k').state,
        breaker.describe('k').openedBy,
        breaker.describe('k').openedAtMs,
      ],
      ['closed', null, 10],
    );
  });
});
