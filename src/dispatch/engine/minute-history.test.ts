import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createMinuteHistory } from './minute-history.ts';

const at = (minute: number, second = 0) =>
  Date.parse('2026-11-29T10:00:00Z') + minute * 60_000 + second * 1000;

test('counts calls and failures per minute, oldest first, quiet minutes as zeros', () => {
  const history = createMinuteHistory(5);
  history.add(at(0, 1), true, 10);
  history.add(at(0, 59), false, 10);
  history.add(at(2, 30), true, 10);
  const points = history.points(at(3, 10));
  assert.deepEqual(
    points.map((p) => [p.minute.slice(11, 16), p.total, p.failures]),
    [
      ['09:59', 0, 0],
      ['10:00', 2, 1],
      ['10:01', 0, 0],
      ['10:02', 1, 0],
      ['10:03', 0, 0],
    ],
  );
  assert.equal(points[0]?.latencyMs, null);
});

test('latency percentiles per minute are within 20 % of the true ones', () => {
  const history = createMinuteHistory(2);
  // 1 … 100 ms: p50 50, p95 95, p99 99
  for (let ms = 1; ms <= 100; ms += 1) history.add(at(0, 5), true, ms);
  const [point] = history.points(at(0, 30)).slice(-1);
  const latency = point?.latencyMs;
  assert.ok(latency);
  for (const [got, truth] of [
    [latency.p50, 50],
    [latency.p95, 95],
    [latency.p99, 99],
  ] as const) {
    assert.ok(got >= truth && got <= truth * 1.2, `${got} vs ${truth}`);
  }
});

test('a slot reused an hour later starts from zero, and minutes older than the window are gone', () => {
  const history = createMinuteHistory(3);
  history.add(at(0), false, 5);
  history.add(at(3), true, 5); // same slot as minute 0
  const points = history.points(at(3, 1));
  assert.deepEqual(
    points.map((p) => [p.total, p.failures]),
    [
      [0, 0],
      [0, 0],
      [1, 0],
    ],
  );
});

test('unflushed answers what each minute gained since the flush marked, and nothing after it', () => {
  const history = createMinuteHistory(5);
  history.add(at(0, 1), true, 10);
  history.add(at(0, 2), false, 10);
  const [first] = history.unflushed();
  assert.equal(first?.total, 2);
  assert.equal(first?.failures, 1);
  history.add(at(0, 3), true, 10); // counted while the write was under way
  history.markFlushed(first!);
  const [second, ...rest] = history.unflushed();
  assert.deepEqual([second?.total, second?.failures, rest.length], [1, 0, 0]);
  history.markFlushed(second!);
  assert.deepEqual(history.unflushed(), []);
});

test('a flush marked after its minute slot was reused changes nothing of the new minute', () => {
  const history = createMinuteHistory(2);
  history.add(at(0), true, 10);
  const [delta] = history.unflushed();
  history.add(at(2), true, 10); // the same slot, two minutes later
  history.markFlushed(delta!);
  assert.deepEqual(
    history.unflushed().map((minute) => [minute.startMs, minute.total]),
    [[at(2), 1]],
  );
});
