// The bulk replay's dry run on both stores: with the same filters as a replay it answers how
// many deliveries would be sent again, and queues nothing — what the console's "Replay failed
// deliveries" dialog states before the user confirms.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { maxReplayPerCall } from '../../src/contracts/deliveries.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

for (const kind of testStores()) {
  describe(`bulk replay dry run on ${kind.name}`, () => {
    let api: TestApi;

    before(async () => {
      api = await startTestApi(kind, { deliveryWorker: { pollIntervalMs: 50 } });
      api.services.deliveryWorker.start();
    });
    after(() => api.close());

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    /** A connection to a target that refuses with 422 (not retried), deployed to development. */
    async function refusing(): Promise<{ id: string; requests: () => number }> {
      const target = await startHttpTarget((_request, response) => {
        response.writeHead(422).end('no');
      });
      const created = await ok('POST', '/api/v1/connections', {
        name: uniqueName('replay-count'),
        environments: { development: { method: 'POST', url: `${target.origin}/hook` } },
      });
      await ok('POST', `/api/v1/connections/${created.id}/deploy`, { environment: 'development' });
      return { id: created.id as string, requests: () => target.requests.length };
    }

    /** Accepts `count` deliveries to `connection` and waits until each has failed. */
    async function failedDeliveries(connection: string, count: number): Promise<string[]> {
      const accepted = await ok('POST', `/api/v1/connections/${connection}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: count }, () => ({})),
      });
      const ids = accepted.items.map((item: { id: string }) => item.id);
      await eventually(
        async () => {
          for (const id of ids) {
            const delivery = await ok('GET', `/api/v1/deliveries/${id}`);
            assert.equal(delivery.status, 'failed', `${id} is ${delivery.status}`);
          }
        },
        { timeoutMs: 20_000 },
      );
      return ids;
    }

    test('a dry run counts the deliveries a replay with the same filters would send, and sends none', async () => {
      const first = await refusing();
      const second = await refusing();
      await failedDeliveries(first.id, 3);
      await failedDeliveries(second.id, 1);
      const sentBefore = first.requests();

      const counted = await api.request('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
        dryRun: true,
      });
      assert.equal(counted.status, 200, counted.text);
      assert.deepEqual(counted.body, {
        replayed: 0,
        ids: [],
        matching: 3,
        more: false,
        next: null,
      });
      // the count ignores the page size: it is what the whole bulk replay will send
      const small = await ok('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
        limit: 1,
        dryRun: true,
      });
      assert.equal(small.matching, 3);
      // filters narrow it as they narrow a replay
      const succeeded = await ok('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
        status: 'succeeded',
        dryRun: true,
      });
      assert.equal(succeeded.matching, 0);
      const future = await ok('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
        from: new Date(Date.now() + 60_000).toISOString(),
        dryRun: true,
      });
      assert.equal(future.matching, 0);
      const elsewhere = await ok('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
        environment: 'production',
        dryRun: true,
      });
      assert.equal(elsewhere.matching, 0);
      const everywhere = await ok('POST', '/api/v1/deliveries/replay', { dryRun: true });
      assert.ok(everywhere.matching >= 4 && everywhere.matching <= maxReplayPerCall);

      // nothing was queued: all still failed, the target not called again
      const listed = await ok('GET', `/api/v1/deliveries?connection=${first.id}`);
      assert.deepEqual(
        listed.items.map((delivery: { status: string }) => delivery.status),
        ['failed', 'failed', 'failed'],
      );
      assert.equal(first.requests(), sentBefore);

      // and the real replay sends exactly as many as counted
      const replayed = await api.request('POST', '/api/v1/deliveries/replay', {
        connection: first.id,
      });
      assert.equal(replayed.status, 202, replayed.text);
      assert.equal(replayed.body.replayed, 3);
      assert.equal(replayed.body.matching, undefined);
    });

    test('a dry run refuses what a replay refuses, naming the field', async () => {
      const bad = await api.request('POST', '/api/v1/deliveries/replay', {
        dryRun: 'yes',
      });
      assert.equal(bad.status, 400, bad.text);
      assert.equal(bad.body.error.details.problems[0].path, 'dryRun');
    });
  });
}
