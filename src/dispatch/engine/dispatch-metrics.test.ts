import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createDispatchMetrics, type SeriesTarget } from './dispatch-metrics.ts';

function target(
  connectionId: string,
  name: string,
  environmentId: string,
  project: string | null = 'default',
): SeriesTarget {
  return { connectionId, name, project, environmentId };
}

test('Prometheus text: counts by outcome, a cumulative duration histogram, pool sockets and requests apart', async () => {
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
  const series = metrics.seriesOf(target('con_1', 'crm "eu"', 'production'));
  // 3 ms, 7 ms, 7 ms, 2 s and 90 s (above every bound)
  for (const ms of [3, 7, 7, 2000, 90_000]) {
    metrics.record(series, ms > 1000 ? 'REQUEST_TIMEOUT' : 'OK', ms);
  }
  const { body, contentType } = await metrics.exposition();
  assert.match(contentType, /^text\/plain/);
  const lines = new Set(body.split('\n'));
  const labels =
    'connection_id="con_1",connection="crm \\"eu\\"",project="default",environment="production"';
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
    `hookline_pool_sockets{${labels},state="busy"} 1`,
    `hookline_pool_sockets{${labels},state="free"} 1`,
    `hookline_pool_requests{${labels},state="running"} 1`,
    `hookline_pool_requests{${labels},state="pending"} 0`,
  ]) {
    assert.ok(lines.has(expected), `missing: ${expected}\n${body}`);
  }
});

test('a duration exactly on a bound falls in that bucket (le is "less or equal")', async () => {
  const metrics = createDispatchMetrics({ poolStats: () => [] });
  metrics.record(metrics.seriesOf(target('con_1', 'a', 'dev', null)), 'OK', 10);
  const { body } = await metrics.exposition();
  const labels = 'connection_id="con_1",connection="a",project="",environment="dev"';
  assert.ok(body.includes(`hookline_request_duration_seconds_bucket{${labels},le="0.005"} 0`));
  assert.ok(body.includes(`hookline_request_duration_seconds_bucket{${labels},le="0.01"} 1`));
});

test('the JSON view: totals, timeout rate and percentiles per environment', () => {
  const metrics = createDispatchMetrics({ poolStats: () => [] });
  const a = metrics.seriesOf(target('con_1', 'a', 'dev'));
  for (let i = 1; i <= 100; i++) metrics.record(a, i % 10 === 0 ? 'REQUEST_TIMEOUT' : 'OK', i);
  metrics.record(metrics.seriesOf(target('con_2', 'b', 'dev')), 'OK', 1);
  const [dev] = metrics.forConnection('con_1');
  assert.equal(dev?.total, 100);
  assert.equal(dev?.counts.OK, 90);
  assert.equal(dev?.timeoutRate, 0.1);
  assert.deepEqual(dev?.latencyMs, { p50: 50, p95: 95, p99: 99 });
  assert.equal(metrics.forConnection('con_1').length, 1);
});

test('a rename or a move to global relabels the series and keeps its counts (no second series)', async () => {
  const metrics = createDispatchMetrics({ poolStats: () => [] });
  metrics.record(metrics.seriesOf(target('con_1', 'old', 'dev')), 'OK', 1);
  metrics.record(metrics.seriesOf(target('con_1', 'new', 'dev', null)), 'OK', 1);
  const { body } = await metrics.exposition();
  const requests = body.split('\n').filter((line) => line.startsWith('hookline_requests_total{'));
  assert.deepEqual(requests, [
    'hookline_requests_total{connection_id="con_1",connection="new",project="",environment="dev",outcome="OK"} 2',
  ]);
});
