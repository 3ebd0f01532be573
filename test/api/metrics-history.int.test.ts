// GET /connections/{id}/metrics?range=: calls over time from the stored per-minute rows
// (metric_minutes) plus the minutes not flushed yet — on both stores, across a restart, and
// for 7 days with an injected clock.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Clock } from '../../src/core/clock.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addMetricMinutes } from '../../src/domains/metrics/metric-minutes.repo.ts';

after(() => closeAllTargets());

interface Point {
  minute: string;
  total: number;
  failures: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

/** A connection deployed to development, calling `url`. */
async function deployed(api: TestApi, url: string): Promise<{ id: string; name: string }> {
  const made = await api.request('POST', '/api/v1/connections', {
    name: uniqueName('Metrics'),
    environments: { development: { method: 'POST', url } },
  });
  assert.equal(made.status, 201, made.text);
  const deploy = await api.request('POST', `/api/v1/connections/${made.body.id}/deploy`, {
    environment: 'development',
  });
  assert.equal(deploy.status, 200, deploy.text);
  return made.body;
}

async function historyOf(api: TestApi, id: string, range: string) {
  const answer = await api.request('GET', `/api/v1/connections/${id}/metrics?range=${range}`);
  assert.equal(answer.status, 200, answer.text);
  const development = answer.body.environments.find(
    (row: { environment: string }) => row.environment === 'development',
  );
  assert.ok(development, `no development in ${answer.text.slice(0, 300)}`);
  const history = development.history as Point[];
  return {
    body: answer.body,
    development,
    history,
    total: history.reduce((sum, point) => sum + point.total, 0),
    failures: history.reduce((sum, point) => sum + point.failures, 0),
  };
}

for (const kind of testStores()) {
  describe(`stored metrics on ${kind.name}`, () => {
    test('calls made before a restart still show in the 1 h and 24 h history after it, counted once', async () => {
      // 200 for the first three calls, then 500
      let calls = 0;
      const target = await startHttpTarget((_request, response) => {
        calls += 1;
        response.writeHead(calls <= 3 ? 200 : 500).end();
      });
      const opened = await kind.open();
      try {
        const first = await startTestApi(kind, { opened });
        const connection = await deployed(first, `${target.origin}/hook`);
        for (let i = 0; i < 5; i += 1) {
          const call = await first.request('POST', `/api/v1/connections/${connection.id}/invoke`, {
            environment: 'development',
          });
          assert.equal(call.status, 200, call.text);
        }
        const unflushed = await historyOf(first, connection.id, '1h');
        assert.deepEqual([unflushed.total, unflushed.failures], [5, 2], 'from memory');

        // stored, then one more call in memory only: 6, not 11 nor 5
        await first.services.metrics.flush();
        await first.request('POST', `/api/v1/connections/${connection.id}/invoke`, {
          environment: 'development',
        });
        const merged = await historyOf(first, connection.id, '1h');
        assert.deepEqual([merged.total, merged.failures], [6, 3], 'stored plus unflushed');
        await first.close(); // flushes the last call

        await opened.reopen();
        const second = await startTestApi(kind, { opened });
        try {
          const hour = await historyOf(second, connection.id, '1h');
          assert.equal(hour.history.length, 60);
          assert.equal(hour.body.stepMinutes, 1);
          assert.deepEqual([hour.total, hour.failures], [6, 3]);
          assert.equal(hour.development.total, 0, 'the process counts start again');
          const busy = hour.history.filter((point) => point.total > 0);
          assert.ok(busy.every((point) => point.latencyMs !== null));

          const day = await historyOf(second, connection.id, '24h');
          assert.equal(day.body.range, '24h');
          assert.equal(day.body.stepMinutes, 15);
          assert.equal(day.history.length, 96);
          assert.deepEqual([day.total, day.failures], [6, 3]);
          assert.ok(
            day.history.every((point) => new Date(point.minute).getUTCMinutes() % 15 === 0),
            'points start on quarter hours',
          );
        } finally {
          await second.close();
        }
      } finally {
        await opened.cleanup();
      }
    });

    test('7 d folds stored minutes into hours by the injected clock, and the retention sweep drops minutes older than 7 days', async () => {
      const now = new Date('2026-12-08T10:37:20.000Z');
      const clock: Clock = { now: () => now };
      const api = await startTestApi(kind, { clock });
      try {
        const connection = await deployed(api, 'http://127.0.0.1:9/unused');
        // 5 ms and 900 ms buckets (latency-buckets.ts: 0.5 × 1.2^13 ≈ 5.35, 0.5 × 1.2^42 ≈ 1063)
        const row = (minute: string, total: number, failures: number, buckets: string) => ({
          connectionId: connection.id,
          environment: 'development',
          minute,
          total,
          failures,
          latencyBuckets: buckets,
        });
        await addMetricMinutes(api.services.store.db, [
          row('2026-12-02T03:05:00.000Z', 90, 0, '13:90'),
          row('2026-12-02T03:59:00.000Z', 10, 10, '42:10'),
          row('2026-12-08T10:01:00.000Z', 4, 1, '13:4'),
          row('2026-11-30T09:00:00.000Z', 7, 7, '13:7'), // 8 days before now: outside, pruned
        ]);
        // a second process adds to the same minute
        await addMetricMinutes(api.services.store.db, [
          row('2026-12-08T10:01:00.000Z', 1, 0, '13:1'),
        ]);

        const week = await historyOf(api, connection.id, '7d');
        assert.equal(week.body.stepMinutes, 60);
        assert.equal(week.history.length, 168);
        assert.equal(week.history[0]?.minute, '2026-12-01T11:00:00.000Z');
        assert.equal(week.history.at(-1)?.minute, '2026-12-08T10:00:00.000Z');
        const at = (minute: string) => week.history.find((point) => point.minute === minute);
        assert.deepEqual(
          [at('2026-12-02T03:00:00.000Z')?.total, at('2026-12-02T03:00:00.000Z')?.failures],
          [100, 10],
        );
        const slowHour = at('2026-12-02T03:00:00.000Z')?.latencyMs;
        assert.ok(slowHour && slowHour.p50 < 6 && slowHour.p99 > 1000, JSON.stringify(slowHour));
        assert.deepEqual(week.history.at(-1), {
          minute: '2026-12-08T10:00:00.000Z',
          total: 5,
          failures: 1,
          latencyMs: { p50: 5.35, p95: 5.35, p99: 5.35 },
        });
        assert.equal(week.total, 105, 'the minute of 8 days ago is outside the window');

        const swept = await api.services.retention.sweep();
        assert.equal(swept.metricMinutes, 1);
        assert.equal((await historyOf(api, connection.id, '7d')).total, 105);

        const wrong = await api.request(
          'GET',
          `/api/v1/connections/${connection.id}/metrics?range=2d`,
        );
        assert.equal(wrong.status, 400, wrong.text);
        assert.match(wrong.text, /range/);
      } finally {
        await api.close();
      }
    });
  });
}
