// Durable delivery through the API on both stores: accept (one, a batch, an Idempotency-Key,
// a disabled connection), the worker sending with one webhook-id per delivery, retries as the
// policy and DESIGN §2 step 6 say, Retry-After, the dead letter, a lease taken over from a
// worker that died, and the listing — against real target servers on 127.0.0.1.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { claimDueDeliveries } from '../../src/domains/deliveries/delivery.repo.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import {
  closeAllTargets,
  startHttpTarget,
  startSlowTarget,
  type RecordedRequest,
  type Target,
} from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { eventually } from '../helpers/eventually.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';
const signingKey = `whsec_${randomBytes(32).toString('base64')}`;

/** Answers 500 to the first `failures` requests, then 200. */
function startFlakyTarget(failures: number, failWith = 500, headers: Record<string, string> = {}) {
  let seen = 0;
  return startHttpTarget((_request, response) => {
    seen += 1;
    if (seen <= failures) response.writeHead(failWith, headers).end('not now');
    else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A target whose answer the test switches: `status` (and a delay) for every request from now on. */
async function startSwitchableTarget(initial: number) {
  const state = { status: initial, delayMs: 0, running: 0, mostRunning: 0 };
  const arrivals: number[] = [];
  const target = await startHttpTarget(async (_request, response) => {
    arrivals.push(performance.now());
    state.running += 1;
    state.mostRunning = Math.max(state.mostRunning, state.running);
    if (state.delayMs > 0) await sleep(state.delayMs);
    state.running -= 1;
    response
      .writeHead(state.status, { 'content-type': 'text/plain' })
      .end(`answer ${state.status}`);
  });
  return { target, state, arrivals };
}

/**
 * The API's clock (the worker's, so its rate limiter's and circuit breaker's): the system's,
 * except while a test holds it still and moves it itself, so that a second or an open circuit
 * lasts exactly as long as the test says however busy the machine is.
 */
function createTestClock() {
  let heldMs: number | null = null;
  let offsetMs = 0;
  return {
    now: () => new Date(heldMs ?? Date.now() + offsetMs),
    /** from now on time moves only by `advance` */
    hold() {
      heldMs = Date.now() + offsetMs;
    },
    advance(ms: number) {
      assert.ok(heldMs !== null, 'advance only a held clock');
      heldMs += ms;
    },
    /** runs on from where it stands (never back: stored times stay in the past) */
    release() {
      if (heldMs === null) return;
      offsetMs = heldMs - Date.now();
      heldMs = null;
    },
  };
}

for (const kind of testStores()) {
  describe(`durable delivery on ${kind.name}`, () => {
    let api: TestApi;
    const clock = createTestClock();

    before(async () => {
      api = await startTestApi(kind, {
        clock,
        // short enough for tests: a lease of 1.5 s, the store asked every 50 ms, a circuit
        // that opens after 3 failures for 0.4 s (0.8 s at most)
        deliveryWorker: {
          pollIntervalMs: 50,
          leaseMs: 1500,
          circuitBreaker: { failureThreshold: 3, openMs: 400, maxOpenMs: 800 },
        },
      });
      await ok('POST', '/api/v1/secrets', { name: 'DELIVERY_SIGNING', value: signingKey });
      api.services.deliveryWorker.start();
    });
    after(() => api.close());

    async function ok(method: string, path: string, body?: unknown, headers = {}): Promise<any> {
      const response = await api.request(method, path, body, { headers });
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    /** A connection to `target` deployed to development; answers its id. */
    async function deployed(target: Target, params: Record<string, unknown> = {}): Promise<string> {
      const created = await ok('POST', base, {
        name: uniqueName('Delivery'),
        environments: {
          development: {
            method: 'POST',
            url: `${target.origin}/events/{{param.n}}`,
            signing: { scheme: 'standard-webhooks', secret: '{{secret.DELIVERY_SIGNING}}' },
            ...params,
          },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      return created.id as string;
    }

    /** Polls the delivery until its status is one of `statuses`. */
    async function until(id: string, statuses: string[], timeoutMs = 10_000): Promise<any> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const delivery = await ok('GET', `/api/v1/deliveries/${id}`);
        if (statuses.includes(delivery.status)) return delivery;
        if (Date.now() > deadline) {
          assert.fail(`delivery ${id} is still ${delivery.status}: ${JSON.stringify(delivery)}`);
        }
        await sleep(25);
      }
    }

    /** Finished, or pending and due only later than the (held) clock: nothing left to decide. */
    const decided = (delivery: any) =>
      ['succeeded', 'failed'].includes(delivery.status) ||
      (delivery.status === 'pending' && Date.parse(delivery.nextAttemptAt) > clock.now().getTime());

    /**
     * Polls `ids` until `isSettled` holds (by default: the worker has decided on every one under
     * the held clock, nothing in flight and nothing due), and answers them.
     */
    async function settled(
      ids: string[],
      isSettled = (deliveries: any[]) => deliveries.every(decided),
      timeoutMs = 20_000,
    ): Promise<any[]> {
      return eventually(
        async () => {
          const deliveries = await Promise.all(
            ids.map((id) => ok('GET', `/api/v1/deliveries/${id}`)),
          );
          assert.ok(isSettled(deliveries), `not settled: ${JSON.stringify(deliveries)}`);
          return deliveries;
        },
        { timeoutMs },
      );
    }

    const verify = (request: RecordedRequest) =>
      new Webhook(signingKey).verify(request.body.toString('utf8'), {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      });

    test('accepted is 202 with the id, then the target gets it, signed, and the delivery shows the attempt', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      const accepted = await api.request('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        body: { type: 'order.created', total: '19.90' },
        params: { n: 7 },
      });
      assert.equal(accepted.status, 202, accepted.text);
      assert.match(accepted.body.id, /^dlv_[0-9a-z]{26}$/);
      assert.equal(accepted.body.duplicate, false);

      const [request] = await target.waitForRequests(1);
      assert.equal(request?.url, '/events/7');
      assert.deepEqual(JSON.parse(request!.body.toString('utf8')), {
        type: 'order.created',
        total: '19.90',
      });
      assert.deepEqual(verify(request!), { type: 'order.created', total: '19.90' });

      const delivery = await until(accepted.body.id, ['succeeded']);
      assert.equal(delivery.messageId, request?.headers['webhook-id']);
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.connection.id, id);
      assert.equal(delivery.environment, 'development');
      assert.ok(delivery.finishedAt);
      assert.equal(delivery.attemptLog.length, 1);
      assert.equal(delivery.attemptLog[0].outcome, 'OK');
      assert.equal(delivery.attemptLog[0].status, 200);
      assert.equal(delivery.attemptLog[0].response.body, '{"ok":true}');
    });

    test('a target failing twice: three attempts spaced as the policy says, one webhook-id', async () => {
      const target = await startFlakyTarget(2);
      const id = await deployed(target, {
        retry: { maxAttempts: 5, waitSeconds: 0.3, backoff: 'fixed' },
      });
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        body: { n: 1 },
        params: { n: 1 },
      });
      const delivery = await until(deliveryId, ['succeeded', 'failed']);
      assert.equal(delivery.status, 'succeeded');
      assert.deepEqual(
        delivery.attemptLog.map((attempt: any) => [
          attempt.number,
          attempt.outcome,
          attempt.status,
        ]),
        [
          [1, 'HTTP_5XX', 500],
          [2, 'HTTP_5XX', 500],
          [3, 'OK', 200],
        ],
      );
      assert.equal(delivery.attemptLog[0].response.body, 'not now');
      const arrivals = target.requests;
      assert.equal(arrivals.length, 3);
      assert.equal(new Set(arrivals.map((r) => r.headers['webhook-id'])).size, 1);
      assert.equal(arrivals[0]?.headers['webhook-id'], delivery.messageId);
      const started = delivery.attemptLog.map((attempt: any) => Date.parse(attempt.startedAt));
      for (let i = 1; i < started.length; i++) {
        const gap = started[i] - started[i - 1];
        // 0.3 s after the previous attempt ended, found by a poll of 50 ms
        assert.ok(gap >= 300 && gap < 1500, `gap ${i}: ${gap} ms`);
      }
    });

    test('429 with Retry-After: the next attempt waits what the target asked', async () => {
      const target = await startFlakyTarget(1, 429, { 'retry-after': '1' });
      const id = await deployed(target, {
        retry: { maxAttempts: 3, waitSeconds: 0, backoff: 'fixed' },
      });
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 2 },
      });
      const delivery = await until(deliveryId, ['succeeded', 'failed']);
      assert.equal(delivery.status, 'succeeded');
      const [first, second] = delivery.attemptLog;
      assert.equal(first.outcome, 'HTTP_429');
      const gap = Date.parse(second.startedAt) - Date.parse(first.startedAt);
      assert.ok(gap >= 1000, `retried after ${gap} ms, Retry-After said 1 s`);
    });

    test('a POST that timed out, unsigned and without an idempotency key, is not retried: failed, needs manual action', async () => {
      const target = await startSlowTarget(3000);
      const created = await ok('POST', base, {
        name: uniqueName('Unsafe'),
        environments: {
          development: {
            method: 'POST',
            url: `${target.origin}/slow`,
            requestTimeoutMs: 1000,
            retry: { maxAttempts: 5, waitSeconds: 0, backoff: 'fixed' },
          },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      const { id: deliveryId } = await ok('POST', `${base}/${created.id}/deliveries`, {
        environment: 'development',
        body: { charge: 100 },
      });
      const delivery = await until(deliveryId, ['failed', 'succeeded'], 15_000);
      assert.equal(delivery.status, 'failed');
      assert.equal(delivery.attempts, 1);
      assert.equal(delivery.lastOutcome, 'REQUEST_TIMEOUT');
      assert.match(delivery.reason, /^needs manual action/);
      await sleep(300);
      assert.equal(target.requests.length, 1);

      const notifications = await ok(
        'GET',
        `/api/v1/notifications?connection=${created.id}&code=REQUEST_TIMEOUT`,
      );
      assert.ok(
        notifications.items.some((n: any) => n.kind === 'delivery_failed'),
        JSON.stringify(notifications.items),
      );
    });

    test('an Idempotency-Key sent twice makes one delivery; another key makes another', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      const body = { environment: 'development', params: { n: 3 } };
      const first = await api.request('POST', `${base}/${id}/deliveries`, body, {
        headers: { 'idempotency-key': 'order-42' },
      });
      const again = await api.request('POST', `${base}/${id}/deliveries`, body, {
        headers: { 'idempotency-key': 'order-42' },
      });
      const other = await api.request('POST', `${base}/${id}/deliveries`, body, {
        headers: { 'idempotency-key': 'order-43' },
      });
      assert.equal(first.status, 202);
      assert.equal(again.status, 202);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.duplicate, true);
      assert.notEqual(other.body.id, first.body.id);
      await until(first.body.id, ['succeeded']);
      await until(other.body.id, ['succeeded']);
      await sleep(200);
      assert.equal(target.requests.length, 2);

      const bad = await api.request('POST', `${base}/${id}/deliveries`, body, {
        headers: { 'idempotency-key': 'has space' },
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.problems[0].path, 'headers.idempotency-key');
    });

    test('a disabled connection: accepted as paused, sent once it is enabled', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      await ok('PATCH', `${base}/${id}`, { enabled: false });
      const accepted = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 4 },
      });
      assert.equal(accepted.status, 'paused');
      await sleep(200);
      assert.equal(target.requests.length, 0);
      const paused = await ok('GET', `/api/v1/deliveries/${accepted.id}`);
      assert.equal(paused.status, 'paused');
      assert.match(paused.reason, /disabled/);

      await ok('PATCH', `${base}/${id}`, { enabled: true });
      const delivered = await until(accepted.id, ['succeeded']);
      assert.equal(delivered.attempts, 1);
      assert.equal(target.requests.length, 1);
    });

    test('refused at accept: not deployed there (409), an unknown environment (400), no such connection (404)', async () => {
      const target = await startHttpTarget();
      const created = await ok('POST', base, {
        name: uniqueName('Undeployed'),
        environments: { development: { method: 'POST', url: `${target.origin}/x` } },
      });
      const notDeployed = await api.request('POST', `${base}/${created.id}/deliveries`, {
        environment: 'development',
      });
      assert.equal(notDeployed.status, 409);
      assert.equal(notDeployed.body.error.code, 'CONNECTION_NOT_DEPLOYED');
      const unknownEnvironment = await api.request('POST', `${base}/${created.id}/deliveries`, {
        environment: 'nowhere',
      });
      assert.equal(unknownEnvironment.status, 400);
      assert.equal(unknownEnvironment.body.error.details.problems[0].path, 'environment');
      const noConnection = await api.request('POST', `${base}/con_nothere/deliveries`, {
        environment: 'development',
      });
      assert.equal(noConnection.status, 404);
      const listed = await ok('GET', `/api/v1/deliveries?connection=${created.id}`);
      assert.deepEqual(listed.items, []);

      // the deployed URL uses {{param.n}}: a call without it could never be sent
      const withParam = await deployed(target);
      const missing = await api.request('POST', `${base}/${withParam}/deliveries`, {
        environment: 'development',
        body: 'order {{param.order}}',
      });
      assert.equal(missing.status, 400, missing.text);
      assert.deepEqual(
        missing.body.error.details.problems.map((problem: any) => problem.path).sort(),
        ['params.n', 'params.order'],
      );
      const batchMissing = await api.request('POST', `${base}/${withParam}/deliveries/batch`, {
        environment: 'development',
        items: [{ params: { n: 1 } }, {}],
      });
      assert.equal(batchMissing.status, 400, batchMissing.text);
      assert.equal(batchMissing.body.error.details.problems[0].path, 'items[1].params.n');
      const none = await ok('GET', `/api/v1/deliveries?connection=${withParam}`);
      assert.deepEqual(none.items, [], 'a refused batch stores none of its deliveries');
    });

    test('a batch of 200 is stored at once and every one arrives; 1,001 is refused whole', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      const items = Array.from({ length: 200 }, (_, n) => ({ body: { n }, params: { n } }));
      const accepted = await api.request('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items,
      });
      assert.equal(accepted.status, 202, accepted.text);
      assert.equal(accepted.body.items.length, 200);
      await target.waitForRequests(200, 20_000);
      const paths = new Set(target.requests.map((request) => request.url));
      assert.equal(paths.size, 200);
      const ids = new Set(target.requests.map((request) => request.headers['webhook-id']));
      assert.equal(ids.size, 200);

      const keyed = await api.request(
        'POST',
        `${base}/${id}/deliveries/batch`,
        { environment: 'development', items: [{ params: { n: 1 } }] },
        { headers: { 'idempotency-key': 'batch-1' } },
      );
      assert.equal(keyed.status, 400, keyed.text);
      assert.equal(keyed.body.error.details.problems[0].path, 'headers.idempotency-key');
      const tooMany = await api.request('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: 1001 }, (_, n) => ({ params: { n } })),
      });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.details.problems[0].path, 'items');
      const listed = await ok('GET', `/api/v1/deliveries?connection=${id}&limit=500`);
      assert.equal(listed.items.length, 200);
    });

    test('a lease left by a dead worker runs out and the delivery is sent, with the same webhook-id', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      await api.services.deliveryWorker.stop();
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 5 },
      });
      // a worker that claims it and dies before sending
      const now = Date.now();
      const claimed = await claimDueDeliveries(api.services.store.db, api.services.store.dialect, {
        nowIso: new Date(now).toISOString(),
        leaseUntil: new Date(now + 700).toISOString(),
        token: 'dead-worker',
        limit: 10,
      });
      assert.deepEqual(
        claimed.map((row) => row.id),
        [deliveryId],
      );
      api.services.deliveryWorker.start();
      await sleep(300);
      assert.equal(target.requests.length, 0, 'sent while the lease still held');
      const delivered = await until(deliveryId, ['succeeded']);
      assert.equal(target.requests.length, 1);
      assert.equal(target.requests[0]?.headers['webhook-id'], delivered.messageId);
      assert.equal(claimed[0]?.message_id, delivered.messageId);
    });

    test('replay: a failed delivery is sent again as a new attempt of the same delivery', async () => {
      const { target, state } = await startSwitchableTarget(422);
      const id = await deployed(target);
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 1 },
      });
      const failed = await until(deliveryId, ['failed']);
      assert.equal(failed.attempts, 1);

      state.status = 200;
      const replayed = await api.request('POST', `/api/v1/deliveries/${deliveryId}/replay`);
      assert.equal(replayed.status, 202, replayed.text);
      assert.equal(replayed.body.status, 'pending');
      assert.equal(replayed.body.reason, null);
      const done = await until(deliveryId, ['succeeded']);
      assert.deepEqual(
        done.attemptLog.map((attempt: any) => [attempt.number, attempt.outcome]),
        [
          [1, 'HTTP_4XX'],
          [2, 'OK'],
        ],
      );
      assert.equal(target.requests.length, 2);
      assert.equal(
        target.requests[1]?.headers['webhook-id'],
        target.requests[0]?.headers['webhook-id'],
      );

      // only a finished delivery can be replayed
      state.status = 200;
      state.delayMs = 400;
      const { id: slow } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 2 },
      });
      const early = await api.request('POST', `/api/v1/deliveries/${slow}/replay`);
      assert.equal(early.status, 409, early.text);
      assert.equal(early.body.error.code, 'DELIVERY_NOT_FINISHED');
      await until(slow, ['succeeded']);
      const unknown = await api.request(
        'POST',
        '/api/v1/deliveries/dlv_00000000000000000000000000/replay',
      );
      assert.equal(unknown.status, 404);
    });

    test('bulk replay: the failed ones of a connection, page by page, each sent again once', async () => {
      const { target, state } = await startSwitchableTarget(422);
      const id = await deployed(target);
      const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: 5 }, (_, n) => ({ params: { n } })),
      });
      for (const item of accepted.items) await until(item.id, ['failed']);
      // the target still refuses: what is replayed fails again at once, and must not be
      // picked a second time by the next page (each page continues after the last one)
      const pages: any[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await api.request('POST', '/api/v1/deliveries/replay', {
          connection: id,
          limit: 2,
          after,
        });
        assert.equal(page.status, 202, page.text);
        pages.push(page.body);
        for (const replayedId of page.body.ids) await until(replayedId, ['failed']);
        if (!page.body.more) break;
        after = page.body.next;
      }
      assert.deepEqual(
        pages.map((page) => page.replayed),
        [2, 2, 1],
      );
      const replayedIds = pages.flatMap((page) => page.ids);
      assert.deepEqual(replayedIds, accepted.items.map((item: any) => item.id).sort());
      assert.equal(target.requests.length, 10, 'each sent twice: once, and once replayed');

      state.status = 200;
      const again = await ok('POST', '/api/v1/deliveries/replay', { connection: id });
      assert.equal(again.replayed, 5);
      assert.equal(again.more, false);
      assert.equal(again.next, null);
      for (const item of accepted.items) await until(item.id, ['succeeded']);
      assert.equal(target.requests.length, 15);
      const nothing = await ok('POST', '/api/v1/deliveries/replay', { connection: id });
      assert.deepEqual(nothing, { replayed: 0, ids: [], more: false, next: null });
      const badRange = await api.request('POST', '/api/v1/deliveries/replay', {
        from: 'yesterday',
      });
      assert.equal(badRange.status, 400);
      assert.equal(badRange.body.error.details.problems[0].path, 'from');
    });

    test('ordered (FIFO): nothing overtakes a delivery that is still being retried', async () => {
      let firstFailures = 2;
      const target = await startHttpTarget((request, response) => {
        if (request.url === '/events/0' && firstFailures > 0) {
          firstFailures -= 1;
          response.writeHead(503).end();
          return;
        }
        response.writeHead(200).end();
      });
      const id = await deployed(target, {
        delivery: { ordered: true },
        retry: { maxAttempts: 5, waitSeconds: 0.2, backoff: 'fixed' },
      });
      const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: 5 }, (_, n) => ({ params: { n } })),
      });
      for (const item of accepted.items) await until(item.id, ['succeeded']);
      assert.deepEqual(
        target.requests.map((request) => request.url),
        ['/events/0', '/events/0', '/events/0', '/events/1', '/events/2', '/events/3', '/events/4'],
      );
    });

    test('maxConcurrency: never more in flight at the target than allowed', async () => {
      const { target, state } = await startSwitchableTarget(200);
      state.delayMs = 100;
      const id = await deployed(target, { delivery: { maxConcurrency: 2 } });
      const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: 10 }, (_, n) => ({ params: { n } })),
      });
      for (const item of accepted.items) await until(item.id, ['succeeded']);
      assert.equal(target.requests.length, 10);
      assert.equal(state.mostRunning, 2, 'two at a time, not more and not fewer');
    });

    test('ratePerSecond: no second at the target sees more starts than allowed', async () => {
      const target = await startHttpTarget();
      const id = await deployed(target, { delivery: { ratePerSecond: 5 } });
      // the limiter counts starts by the worker's clock: held still, every start of a second is
      // made at the same instant and the next second begins only when the test moves it, so
      // what reaches the target per second no longer depends on how busy the machine is
      clock.hold();
      try {
        const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
          environment: 'development',
          items: Array.from({ length: 12 }, (_, n) => ({ params: { n } })),
        });
        const ids = accepted.items.map((item: any) => item.id as string);
        for (const [second, expected] of [5, 10, 12].entries()) {
          if (second > 0) {
            clock.advance(1000);
            api.services.deliveryWorker.wake();
          }
          // nothing in flight, and the limiter has held one back to the next second (then the
          // claims skip this stream until then, so nothing more starts in this one), or all
          // have gone: all this second may start has reached the target
          const deliveries = await settled(
            ids,
            (all) =>
              all.every((delivery) => delivery.status !== 'in_flight') &&
              (all.every((delivery) => delivery.status === 'succeeded') ||
                all.some((delivery) => delivery.status === 'pending' && decided(delivery))),
          );
          const succeeded = deliveries.filter((delivery) => delivery.status === 'succeeded');
          assert.equal(
            succeeded.length,
            expected,
            `second ${second}: ${JSON.stringify(deliveries)}`,
          );
          assert.equal(target.requests.length, expected, `second ${second}: 5 more, not more`);
          for (const delivery of deliveries) {
            if (delivery.status === 'pending') {
              // held back by the rate, not failed: no attempt spent, due by the next second
              assert.equal(delivery.attempts, 0);
              assert.ok(Date.parse(delivery.nextAttemptAt) <= clock.now().getTime() + 1000);
            }
          }
        }
      } finally {
        clock.release();
      }
    });

    test('circuit breaker: a dead target gets a handful of probes, no attempt is spent while open, all arrive after it recovers', async () => {
      const { target, state } = await startSwitchableTarget(503);
      const id = await deployed(target, {
        retry: { maxAttempts: 50, waitSeconds: 0.05, backoff: 'fixed' },
      });
      const metrics = () => ok('GET', `${base}/${id}/metrics`);
      const attemptsOf = (deliveries: any[]) =>
        deliveries.reduce((sum, delivery) => sum + delivery.attempts, 0);
      // the circuit's open time (0.4 s, then 0.8 s) and the retries' wait (50 ms) run on the
      // worker's clock: held still, the test decides when each has passed, and every step ends
      // when the worker has decided on every delivery (nothing in flight, nothing due)
      const name = (await metrics()).connection.name as string;
      const circuitSeries = new RegExp(
        `^hookline_delivery_circuit_open\\{connection_id="${id}",connection="${name}",project="default",environment="development"\\} (\\S+)$`,
        'm',
      );
      let ids: string[] = [];
      const step = async (ms: number) => {
        clock.advance(ms);
        api.services.deliveryWorker.wake();
        return settled(ids);
      };
      clock.hold();
      try {
        const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
          environment: 'development',
          items: Array.from({ length: 10 }, (_, n) => ({ params: { n } })),
        });
        ids = accepted.items.map((item: any) => item.id as string);
        // the first attempts fail (sent together, so all ten may go out before the third
        // failure opens the circuit); their retries are due 50 ms later
        let deliveries = await settled(ids);
        assert.equal((await metrics()).environments[0]?.circuit, 'open', 'opened by 3 failures');
        const whenOpened = target.requests.length;
        assert.ok(whenOpened >= 3, `${whenOpened} requests opened it`);
        assert.equal(attemptsOf(deliveries), whenOpened);
        const whileOpen = (await api.request('GET', '/metrics')).text;
        assert.equal(circuitSeries.exec(whileOpen)?.[1], '1', whileOpen);

        // the retries fall due while it is open: deferred to when it half-opens, nothing sent,
        // no attempt spent
        deliveries = await step(100);
        assert.equal(target.requests.length, whenOpened, 'nothing sent while open');
        assert.equal(attemptsOf(deliveries), whenOpened, 'no attempt spent while open');
        for (const delivery of deliveries) {
          assert.match(delivery.reason ?? '', /circuit/, JSON.stringify(delivery));
        }

        // 0.4 s after it opened: one probe, which fails and opens it for 0.8 s
        deliveries = await step(300);
        assert.equal(target.requests.length, whenOpened + 1, 'one probe');
        assert.equal(attemptsOf(deliveries), whenOpened + 1);
        assert.equal((await metrics()).environments[0].circuit, 'open');
        // 0.4 s later it is still open: nothing
        deliveries = await step(400);
        assert.equal(target.requests.length, whenOpened + 1, 'nothing while open again');
        assert.equal(attemptsOf(deliveries), whenOpened + 1);
        // 0.8 s after the probe: the second probe, failing again (open for 0.8 s at most)
        deliveries = await step(400);
        assert.equal(target.requests.length, whenOpened + 2, 'a second probe');
        assert.equal(attemptsOf(deliveries), whenOpened + 2);
        assert.equal((await metrics()).environments[0].circuit, 'open');

        // it recovers: 0.8 s after the second probe, the third closes the circuit (those the
        // worker decides on after that go at once, the others when their short wait is over)
        state.status = 200;
        deliveries = await step(800);
        assert.equal((await metrics()).environments[0].circuit, 'closed');
        assert.ok(target.requests.length >= whenOpened + 3, 'the probe that closes it');
        assert.equal(attemptsOf(deliveries), target.requests.length);
      } finally {
        clock.release();
      }
      for (const item of ids) await until(item, ['succeeded'], 10_000);
      const details = await Promise.all(ids.map((item) => ok('GET', `/api/v1/deliveries/${item}`)));
      assert.equal(
        attemptsOf(details),
        target.requests.length,
        'every attempt counted was a request sent',
      );
      assert.equal((await metrics()).environments[0].circuit, 'closed');
      // notifications are written in batches (once a second): wait for them
      await eventually(
        async () => {
          const kinds = (await ok('GET', `/api/v1/notifications?connection=${id}`)).items.map(
            (notification: any) => `${notification.kind} ${notification.code}`,
          );
          // the outcome that opened it; closed has its own code (a circuit state is not an outcome)
          assert.ok(
            kinds.includes('circuit_opened HTTP_5XX') &&
              kinds.includes('circuit_closed CIRCUIT_CLOSED'),
            `notifications: ${kinds.join()}`,
          );
        },
        { timeoutMs: 10_000, intervalMs: 50 },
      );
      const exposition = await api.request('GET', '/metrics');
      assert.equal(circuitSeries.exec(exposition.text)?.[1], '0', 'closed again: 0');
    });

    test('retention: succeeded deliveries older than the retention go; failed ones stay unless a retention is set for them', async () => {
      const { target, state } = await startSwitchableTarget(200);
      const id = await deployed(target);
      const { id: delivered } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 1 },
      });
      await until(delivered, ['succeeded']);
      state.status = 422;
      const { id: failed } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 2 },
      });
      await until(failed, ['failed']);
      assert.equal(await api.services.deliveries.prune(60_000), 0, 'younger than a minute: kept');
      await sleep(20);
      assert.ok((await api.services.deliveries.prune(10)) >= 1);
      assert.equal((await api.request('GET', `/api/v1/deliveries/${delivered}`)).status, 404);
      assert.equal((await ok('GET', `/api/v1/deliveries/${failed}`)).status, 'failed');
      // the dead letter goes only when a retention is set for it
      assert.ok((await api.services.deliveries.prune(10, 10)) >= 1);
      assert.equal((await api.request('GET', `/api/v1/deliveries/${failed}`)).status, 404);
    });

    test('an attempt longer than the lease keeps its lease: sent once, not taken over mid-send', async () => {
      // the lease in this suite is 1.5 s; this target answers after 2.5 s
      const target = await startSlowTarget(2500);
      const id = await deployed(target, { requestTimeoutMs: 5000 });
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 1 },
      });
      const delivery = await until(deliveryId, ['succeeded', 'failed'], 15_000);
      assert.equal(delivery.status, 'succeeded');
      assert.equal(delivery.attempts, 1);
      await sleep(300);
      assert.equal(target.requests.length, 1, 'sent once');
    });

    test('a replay starts maxAgeSeconds afresh: the replayed delivery is retried, not failed at once', async () => {
      const { target } = await startSwitchableTarget(503);
      const id = await deployed(target, {
        retry: { maxAttempts: 50, waitSeconds: 0.2, backoff: 'fixed', maxAgeSeconds: 1 },
      });
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 1 },
      });
      const first = await until(deliveryId, ['failed'], 10_000);
      assert.match(first.reason, /maxAgeSeconds/);
      await sleep(1200); // older than maxAgeSeconds now, counted from its creation
      await ok('POST', `/api/v1/deliveries/${deliveryId}/replay`);
      const again = await until(deliveryId, ['failed'], 10_000);
      assert.ok(
        again.attempts - first.attempts >= 2,
        `retried after the replay: ${first.attempts} then ${again.attempts} attempts`,
      );
    });

    test("a delivery's own credential headers are sealed in the store and sent in clear", async () => {
      const target = await startHttpTarget();
      const id = await deployed(target);
      const credential = `Bearer caller-${randomBytes(12).toString('hex')}`;
      const { id: deliveryId } = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        params: { n: 1 },
        headers: { Authorization: credential, 'X-Tenant': 'acme' },
      });
      const [received] = await target.waitForRequests(1);
      assert.equal(received?.headers.authorization, credential);
      assert.equal(received?.headers['x-tenant'], 'acme');
      await until(deliveryId, ['succeeded']);
      const row = await api.services.store.db
        .selectFrom('deliveries')
        .select('headers')
        .where('id', '=', deliveryId)
        .executeTakeFirstOrThrow();
      assert.ok(!row.headers.includes(credential.slice(7)), 'the credential is not in the store');
      const stored = JSON.parse(row.headers);
      assert.equal(stored['X-Tenant'], 'acme', 'other headers are kept as given');
      assert.match(stored.Authorization.sealed, /^[A-Za-z0-9+/]+=*$/);
      const detail = await api.request('GET', `/api/v1/deliveries/${deliveryId}`);
      assert.ok(!detail.text.includes(credential.slice(7)));
    });

    test('listing: newest first, by status and environment, page by page', async () => {
      const target = await startFlakyTarget(1000, 422);
      const id = await deployed(target);
      const accepted = await ok('POST', `${base}/${id}/deliveries/batch`, {
        environment: 'development',
        items: Array.from({ length: 5 }, (_, n) => ({ params: { n } })),
      });
      for (const item of accepted.items) await until(item.id, ['failed']);
      const first = await ok('GET', `/api/v1/deliveries?connection=${id}&status=failed&limit=2`);
      assert.equal(first.items.length, 2);
      assert.ok(first.next);
      const second = await ok(
        'GET',
        `/api/v1/deliveries?connection=${id}&status=failed&limit=2&cursor=${first.next}`,
      );
      const third = await ok(
        'GET',
        `/api/v1/deliveries?connection=${id}&status=failed&limit=2&cursor=${second.next}`,
      );
      assert.equal(third.next, null);
      const seen = [...first.items, ...second.items, ...third.items].map((d: any) => d.id);
      assert.deepEqual(
        seen,
        accepted.items
          .map((item: any) => item.id)
          .sort()
          .reverse(),
      );
      const failed = first.items[0];
      assert.match(failed.reason, /the target refused it: HTTP_4XX \(HTTP 422\)/);
      const none = await ok('GET', `/api/v1/deliveries?connection=${id}&environment=production`);
      assert.deepEqual(none.items, []);
      const badCursor = await api.request('GET', '/api/v1/deliveries?cursor=nonsense');
      assert.equal(badCursor.status, 400);
      const missing = await api.request('GET', '/api/v1/deliveries/dlv_00000000000000000000000000');
      assert.equal(missing.status, 404);
    });
  });
}
