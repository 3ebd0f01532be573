import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDispatchMetrics } from './dispatch-metrics.ts';

test('Prometheus text: counts by outcome, a cumulative duration histogram, pool gauges', async () => {
  const metrics = createDispatchMetrics({
    poolStats: () => [
      {
        connectionId: 'con_1',
        environmentId: 'production',
        revision: 3,
        connected: 2,
        free: 1,
        pending: 0,
        running: 1,
        inFlight: 1,
      },
    ],
  });
  // 3 ms, 7 ms, 7 ms, 2 s and 90 s (above every bound)
  for (const ms of [3, 7, 7, 2000, 90_000]) {
    metrics.record('con_1', 'crm "eu"', 'production', ms > 1000 ? 'REQUEST_TIMEOUT' : 'OK', ms);
  }
  const { body, contentType } = await metrics.exposition();
  assert.match(contentType, /^text\/plain/);
  const lines = new Set(body.split('\n'));
  const labels = 'connection="crm \\"eu\\"",environment="production"';
  for (const expected of [
    `hookline_requests_total{${labels},outcome="OK"} 3`,
    `hookline_requests_total{${labels},outcome="REQUEST_TIMEOUT"} 2`,
    '# TYPE hookline_request_duration_seconds histogram',
    `hookline_request_duration_seconds_bucket{${labels},le="0.005"} 1`,
    `hookline_request_duration_seconds_bucket{${labels},le="0.01"} 3`,
    `hookline_request_duration_seconds_bucket{${labels},le="1"} 3`,
    `hookline_request_duration_seconds_bucket{${labels},le="2.5"} 4`,
    `hookline_request_duration_seconds_bucket{${labels},le="60"} 4`,
    `hookline_request_duration_seconds_bucket{${labels},le="+Inf"} 5`,
    `hookline_request_duration_seconds_sum{${labels}} 92.017`,
    `hookline_request_duration_seconds_count{${labels}} 5`,
    `hookline_pool_connections{${labels},state="connected"} 2`,
    `hookline_pool_connections{${labels},state="running"} 1`,
  ]) {
    assert.ok(lines.has(expected), `missing: ${expected}\n${body}`);
  }
});

test('a duration exactly on a bound falls in that bucket (le is "less or equal")', async () => {
  const metrics = createDispatchMetrics({ poolStats: () => [] });
  metrics.record('con_1', 'a', 'dev', 'OK', 10);
  const { body } = await metrics.exposition();
  assert.ok(
    body.includes(
      'hookline_request_duration_seconds_bucket{connection="a",environment="dev",le="0.005"} 0',
    ),
  );
  assert.ok(
    body.includes(
      'hookline_request_duration_seconds_bucket{connection="a",environment="dev",le="0.01"} 1',
    ),
  );
});

test('the JSON view: totals, timeout rate and percentiles per environment', () => {
  const metrics = createDispatchMetrics({ poolStats: () => [] });
  for (let i = 1; i <= 100; i++)
    metrics.record('con_1', 'a', 'dev', i % 10 === 0 ? 'REQUEST_TIMEOUT' : 'OK', i);
  metrics.record('con_2', 'b', 'dev', 'OK', 1);
  const [dev] = metrics.forConnection('con_1');
  assert.equal(dev?.total, 100);
  assert.equal(dev?.counts.OK, 90);
  assert.equal(dev?.timeoutRate, 0.1);
  assert.deepEqual(dev?.latencyMs, { p50: 50, p95: 95, p99: 99 });
  assert.equal(metrics.forConnection('con_1').length, 1);
});
