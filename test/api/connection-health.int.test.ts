// GET /connection-health: each target's health from its latest tries, and the list's `ids`
// filter the console uses to show the failing ones.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, refusedPort, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

for (const kind of testStores()) {
  describe(`connection health on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(async () => {
      await api.close();
      await closeAllTargets();
    });

    /** A connection deployed to development (loopback allowed there) calling `url`. */
    async function deployed(url: string): Promise<{ id: string; name: string }> {
      const made = await api.request('POST', '/api/v1/connections', {
        name: uniqueName('Health'),
        environments: { development: { method: 'POST', url, connectTimeoutMs: 1000 } },
      });
      assert.equal(made.status, 201, made.text);
      const deploy = await api.request('POST', `/api/v1/connections/${made.body.id}/deploy`, {
        environment: 'development',
      });
      assert.equal(deploy.status, 200, deploy.text);
      return made.body;
    }
    const invoke = async (id: string, times: number) => {
      for (let i = 0; i < times; i += 1) {
        const answer = await api.request('POST', `/api/v1/connections/${id}/invoke`, {
          environment: 'development',
        });
        assert.equal(answer.status, 200, answer.text);
      }
    };
    const healthOf = async (query = '') =>
      (await api.request('GET', `/api/v1/connection-health${query}`)).body.items as Array<{
        connectionId: string;
        health: string;
        lastOutcome: string;
        recentTries: number;
        recentFailures: number;
      }>;

    test('a target that answers is ok, one that refuses is failing; the list shows just the failing', async () => {
      const target = await startHttpTarget();
      const healthy = await deployed(`${target.origin}/ok`);
      const broken = await deployed(`http://127.0.0.1:${await refusedPort()}/down`);
      await invoke(healthy.id, 3);
      await invoke(broken.id, 3);

      const rows = await healthOf();
      const of = (id: string) => rows.find((row) => row.connectionId === id);
      assert.deepEqual(
        [of(healthy.id)?.health, of(healthy.id)?.recentTries, of(healthy.id)?.recentFailures],
        ['ok', 3, 0],
      );
      assert.deepEqual(
        [of(broken.id)?.health, of(broken.id)?.lastOutcome, of(broken.id)?.recentFailures],
        ['failing', 'CONNECT_REFUSED', 3],
      );

      const failing = await healthOf('?health=failing');
      assert.deepEqual(
        failing.map((row) => row.connectionId),
        [broken.id],
      );
      // the console lists exactly those through the connections list
      const listed = await api.request(
        'GET',
        `/api/v1/connections?ids=${failing.map((row) => row.connectionId).join(',')}`,
      );
      assert.deepEqual(
        listed.body.items.map((c: { id: string }) => c.id),
        [broken.id],
      );
      const none = await api.request('GET', '/api/v1/connections?ids=');
      assert.equal(none.status, 200);

      // the metrics carry the last hour minute by minute: this minute holds the calls
      const metrics = await api.request('GET', `/api/v1/connections/${broken.id}/metrics`);
      const [development] = metrics.body.environments;
      assert.equal(development.history.length, 60);
      // (the calls may straddle a minute boundary: the last two minutes hold them all)
      const recent = development.history.slice(-2);
      const sum = (key: 'total' | 'failures') =>
        recent.reduce((n: number, point: Record<string, number>) => n + point[key]!, 0);
      assert.deepEqual([sum('total'), sum('failures')], [3, 3]);
      assert.ok(recent.some((point: any) => point.latencyMs?.p50 > 0));
      assert.equal(development.history[0].latencyMs, null, 'an hour ago was quiet');
    });

    test('one failure among successes is degraded; failures that outnumber them, failing', async () => {
      let up = true;
      const target = await startHttpTarget((_request, response) => {
        response.writeHead(up ? 200 : 503).end();
      });
      const flaky = await deployed(`${target.origin}/flaky`);
      await invoke(flaky.id, 3);
      up = false;
      await invoke(flaky.id, 1);
      up = true;
      await invoke(flaky.id, 1);
      const of = async () => (await healthOf()).find((row) => row.connectionId === flaky.id);
      assert.deepEqual([(await of())?.health, (await of())?.recentFailures], ['degraded', 1]);
      up = false;
      await invoke(flaky.id, 5);
      assert.deepEqual([(await of())?.health, (await of())?.lastOutcome], ['failing', 'HTTP_5XX']);
    });
  });
}
