import assert from 'node:assert/strict';
import { test } from 'node:test';
import { latencyBucketCount, latencyBucketOf } from '../../dispatch/engine/latency-buckets.ts';
import {
  decodeBuckets,
  encodeBuckets,
  foldMinutes,
  quietPoints,
  rangeWindow,
  type MinuteCounts,
} from './metric-range.ts';

const now = Date.parse('2026-12-08T10:37:20Z');
const minute = (iso: string, total: number, failures = 0, ms = 10): MinuteCounts => {
  const buckets = new Uint32Array(latencyBucketCount);
  buckets[latencyBucketOf(ms)] = total;
  return { environment: 'production', startMs: Date.parse(iso), total, failures, buckets };
};

test('each range has its number of points, aligned to whole steps, the last holding now', () => {
  for (const [range, points, first, last] of [
    ['1h', 60, '2026-12-08T09:38:00.000Z', '2026-12-08T10:37:00.000Z'],
    ['24h', 96, '2026-12-07T10:45:00.000Z', '2026-12-08T10:30:00.000Z'],
    ['7d', 168, '2026-12-01T11:00:00.000Z', '2026-12-08T10:00:00.000Z'],
  ] as const) {
    const series = quietPoints(range, now);
    assert.equal(series.length, points, range);
    assert.equal(series[0]?.minute, first, range);
    assert.equal(series.at(-1)?.minute, last, range);
  }
  assert.deepEqual(rangeWindow('24h', now), {
    fromMs: Date.parse('2026-12-07T10:45:00Z'),
    toMs: Date.parse('2026-12-08T10:45:00Z'),
  });
});

test('24 h sums the minutes of each quarter hour; minutes outside the window are left out', () => {
  const series = foldMinutes('24h', now, [
    minute('2026-12-08T10:30:00Z', 3, 1),
    minute('2026-12-08T10:37:00Z', 2, 2),
    minute('2026-12-08T10:15:00Z', 5),
    minute('2026-12-07T10:44:00Z', 100), // a minute before the window
    minute('2026-12-08T10:45:00Z', 100), // after now's step
  ]).get('production');
  assert.ok(series);
  assert.deepEqual(series.at(-1), {
    minute: '2026-12-08T10:30:00.000Z',
    total: 5,
    failures: 3,
    // 10 ms falls in the bucket up to 11.09 ms (0.5 × 1.2^17)
    latencyMs: { p50: 11.09, p95: 11.09, p99: 11.09 },
  });
  assert.equal(series.at(-2)?.total, 5);
  assert.equal(
    series.reduce((sum, point) => sum + point.total, 0),
    10,
  );
});

test('7 d puts minutes in their hour and takes percentiles from the summed histograms', () => {
  const fast = minute('2026-12-02T03:05:00Z', 90, 0, 5);
  const slow = minute('2026-12-02T03:59:00Z', 10, 10, 900);
  const series = foldMinutes('7d', now, [fast, slow]).get('production');
  assert.ok(series);
  const hour = series.find((point) => point.minute === '2026-12-02T03:00:00.000Z');
  assert.equal(hour?.total, 100);
  assert.equal(hour?.failures, 10);
  // 90 % of the calls took 5 ms: the median is theirs, p95 and p99 the slow tenth's
  assert.ok(hour?.latencyMs && hour.latencyMs.p50 < 6 && hour.latencyMs.p95 >= 900);
  assert.equal(series.filter((point) => point.total > 0).length, 1);
});

test('environments stay apart', () => {
  const folded = foldMinutes('1h', now, [
    minute('2026-12-08T10:00:00Z', 1),
    { ...minute('2026-12-08T10:00:00Z', 4), environment: 'test' },
  ]);
  assert.deepEqual(
    [...folded].map(([environment, series]) => [environment, series.at(-38)?.total]),
    [
      ['production', 1],
      ['test', 4],
    ],
  );
});

test('stored bucket pairs round-trip, and a bucket written by two flushes is summed', () => {
  const buckets = new Uint32Array(latencyBucketCount);
  buckets[3] = 2;
  buckets[64] = 1;
  const text = encodeBuckets(buckets);
  assert.equal(text, '3:2,64:1');
  const twice = decodeBuckets(`${text},3:5,,junk,99:1`);
  assert.equal(twice[3], 7);
  assert.equal(twice[64], 1);
  assert.equal(
    decodeBuckets('').reduce((sum, n) => sum + n, 0),
    0,
  );
});
