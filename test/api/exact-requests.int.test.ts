// What you send is what arrives (issue 13, point 3), through the real API on both stores,
// against real targets that record the bytes they receive: numbers exactly as written in a
// call's body (invoke, Test Connection saved and draft, single and batch deliveries, and the
// stored delivery), header values held to RFC 9110, the dot-segment guard on the rendered
// path, a missing param as the caller's 400, and an Idempotency-Key reused for another request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { eventually } from '../helpers/eventually.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';

/** Numbers a plain JSON.parse + JSON.stringify would change, in a body as a caller writes it. */
const exactBody =
  '{"big":12345678901234567890,"price":1.10,"huge":1e400,"e":2.50E+3,"negZero":-0,' +
  '"tiny":0.0000001,"list":[1.0,100,1E2,{"deep":9007199254740993}],"note":"{{param.note}}"}';
const sentBody = exactBody.replace('{{param.note}}', 'hi');

const problemsOf = (response: ApiResponse): Array<{ path: string; message: string }> =>
  response.body?.error?.details?.problems ?? [];

/** Characters RFC 9110 refuses in a header value, each with a name for failure messages. */
const refusedHeaderChars: Array<[string, string]> = [
  ['VT', '\u000b'],
  ['SOH', '\u0001'],
  ['DEL', '\u007f'],
  ['U+2028', '\u2028'],
  ['U+0100', '\u0100'],
  ['CJK', '東'],
  ['emoji', '🚀'],
];

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

    /** Polls a delivery until it succeeded or failed. */
    async function untilFinished(id: string): Promise<any> {
      return eventually(
        async () => {
          const delivery = await ok('GET', `/api/v1/deliveries/${id}`);
          assert.ok(
            delivery.status === 'succeeded' || delivery.status === 'failed',
            `delivery ${id} is still ${delivery.status}`,
          );
          return delivery;
        },
        { timeoutMs: 15_000 },
      );
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

    test('a header value RFC 9110 refuses is VALIDATION_FAILED at save, at its field', async () => {
      for (const [label, char] of refusedHeaderChars) {
        const response = await api.request('POST', base, {
          name: uniqueName('BadHeader'),
          environments: {
            development: {
              method: 'POST',
              url: 'https://example.com/',
              headers: [
                { name: 'X-Fine', value: 'ok' },
                { name: 'X-Bad', value: `a${char}b` },
              ],
            },
          },
        });
        assert.equal(response.status, 400, `${label}: ${response.text}`);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problemsOf(response).map((p) => p.path),
          ['environments.development.headers[1].value'],
          label,
        );
        assert.match(problemsOf(response)[0]?.message ?? '', /RFC 9110/, label);
      }
    });

    test("a caller's header value RFC 9110 refuses is VALIDATION_FAILED on invoke, test and deliveries", async () => {
      const target = await startHttpTarget();
      const created = await deployed(target);
      for (const path of ['invoke', 'test', 'deliveries']) {
        for (const [label, char] of refusedHeaderChars) {
          const response = await api.request('POST', `${base}/${created.id}/${path}`, {
            environment: 'development',
            params: { id: 1 },
            headers: { 'X-Caller': `a${char}b` },
          });
          assert.equal(response.status, 400, `${path} ${label}: ${response.text}`);
          assert.deepEqual(
            problemsOf(response).map((p) => p.path),
            ['headers.X-Caller'],
          );
        }
      }
      const batch = await api.request('POST', `${base}/${created.id}/deliveries/batch`, {
        environment: 'development',
        items: [{ params: { id: 1 }, headers: { 'X-Caller': 'a\u2028b' } }],
      });
      assert.equal(batch.status, 400, batch.text);
      assert.deepEqual(
        problemsOf(batch).map((p) => p.path),
        ['items[0].headers.X-Caller'],
      );
      assert.equal(target.requests.length, 0);
    });

    test('tab and Latin-1 (obs-text) are allowed, saved and sent', async () => {
      const target = await startHttpTarget();
      const created = await deployed(target, {
        headers: [{ name: 'X-Latin', value: 'caf\u00e9\tna\u00efve' }],
      });
      const response = await api.request('POST', `${base}/${created.id}/invoke`, {
        environment: 'development',
        params: { id: 1 },
        headers: { 'X-Caller': '\u00ff' },
      });
      assert.equal(response.body.outcome, 'OK', response.text);
      const [received] = await target.waitForRequests(1);
      // Node reads header bytes as Latin-1: each character arrived as its one byte
      assert.equal(received?.headers['x-latin'], 'caf\u00e9\tna\u00efve');
      assert.equal(received?.headers['x-caller'], '\u00ff');
    });

    test('a header value a param makes invalid is INVALID_REQUEST naming the header, and nothing is sent', async () => {
      const target = await startHttpTarget();
      const created = await deployed(target, {
        headers: [
          { name: 'X-Static', value: 'fixed' },
          { name: 'X-Tenant', value: 'tenant-{{param.tenant}}' },
        ],
      });
      for (const [label, char] of [...refusedHeaderChars, ['LF', '\n'] as [string, string]]) {
        for (const path of ['invoke', 'test']) {
          const response = await api.request('POST', `${base}/${created.id}/${path}`, {
            environment: 'development',
            params: { id: 1, tenant: `a${char}b` },
          });
          assert.equal(response.status, 200, `${path} ${label}: ${response.text}`);
          assert.equal(response.body.outcome, 'INVALID_REQUEST', `${path} ${label}`);
          assert.equal(response.body.retryable, false);
          assert.equal(response.body.status, null);
          assert.match(response.body.hint, /param\.tenant.*header 'X-Tenant'/, label);
          assert.match(response.body.message, /header 'X-Tenant'/, label);
          assert.ok(!response.text.includes(`a${char}b`), 'the value is not quoted back');
        }
      }
      assert.equal(target.requests.length, 0, 'nothing was sent');

      // a delivery whose param breaks the rule is refused when handed over: it could never be sent
      for (const [path, body] of [
        ['deliveries', { environment: 'development', params: { id: 1, tenant: 'a\u2028b' } }],
        [
          'deliveries/batch',
          {
            environment: 'development',
            items: [{ params: { id: 1, tenant: 'ok' } }, { params: { id: 2, tenant: 'a\u000bb' } }],
          },
        ],
      ] as const) {
        const refused = await api.request('POST', `${base}/${created.id}/${path}`, body);
        assert.equal(refused.status, 400, refused.text);
        assert.deepEqual(
          problemsOf(refused).map((p) => p.path),
          [path === 'deliveries' ? 'params.tenant' : 'items[1].params.tenant'],
        );
        assert.match(problemsOf(refused)[0]?.message ?? '', /header 'X-Tenant'.*RFC 9110/);
      }
      const none = await ok('GET', `/api/v1/deliveries?connection=${created.id}`);
      assert.deepEqual(none.items, [], 'nothing was stored');
      assert.equal(target.requests.length, 0, 'nothing was sent');
    });

    test('the dot-segment guard runs on the rendered path: params forming ".." are INVALID_REQUEST', async () => {
      const target = await startHttpTarget();
      const created = await ok('POST', base, {
        name: uniqueName('DotPath'),
        environments: {
          development: {
            method: 'POST',
            url: `${target.origin}/base/{{param.a}}.{{param.b}}/tail`,
          },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      for (const [a, b] of [
        ['.', ''],
        ['', '.'],
      ]) {
        for (const path of ['invoke', 'test']) {
          const response = await api.request('POST', `${base}/${created.id}/${path}`, {
            environment: 'development',
            params: { a, b },
          });
          assert.equal(response.status, 200, response.text);
          assert.equal(response.body.outcome, 'INVALID_REQUEST', `${path} ${a}|${b}`);
          assert.equal(response.body.retryable, false);
          assert.match(response.body.message, /URL path/);
          assert.match(response.body.hint, /param\.a, param\.b/);
        }
      }
      assert.equal(target.requests.length, 0, 'nothing reached /tail');

      const fine = await api.request('POST', `${base}/${created.id}/invoke`, {
        environment: 'development',
        params: { a: 'v1', b: '2' },
      });
      assert.equal(fine.body.outcome, 'OK', fine.text);
      const [received] = await target.waitForRequests(1);
      assert.equal(received?.url, '/base/v1.2/tail');
    });

    test("a missing param is the caller's 400 at params.NAME: not an outcome, not counted, not notified", async () => {
      const target = await startHttpTarget();
      const created = await deployed(target, {
        headers: [{ name: 'X-Tenant', value: '{{param.tenant}}' }],
      });
      for (const path of ['invoke', 'test']) {
        const response = await api.request('POST', `${base}/${created.id}/${path}`, {
          environment: 'development',
          params: { tenant: 't' },
          body: '{"note":"{{param.note}}"}',
        });
        assert.equal(response.status, 400, `${path}: ${response.text}`);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          problemsOf(response)
            .map((p) => p.path)
            .sort(),
          ['params.id', 'params.note'],
        );
      }
      const draft = await api.request('POST', `${base}/test`, {
        environment: 'development',
        connection: {
          name: uniqueName('DraftParams'),
          environments: { development: { method: 'GET', url: `${target.origin}/{{param.id}}` } },
        },
      });
      assert.equal(draft.status, 400, draft.text);
      assert.deepEqual(
        problemsOf(draft).map((p) => p.path),
        ['params.id'],
      );
      assert.equal(target.requests.length, 0);

      const health = await ok('GET', '/api/v1/connection-health');
      assert.equal(
        health.items.filter((row: { connectionId: string }) => row.connectionId === created.id)
          .length,
        0,
        'the connection is not marked degraded',
      );
      const metrics = await ok('GET', `${base}/${created.id}/metrics`);
      assert.deepEqual(metrics.environments, []);
      const notifications = await ok('GET', `/api/v1/notifications?connection=${created.id}`);
      assert.deepEqual(notifications.items, []);
    });

    test('an Idempotency-Key reused with a different request is 422 IDEMPOTENCY_KEY_REUSED; the same request again is its delivery', async () => {
      const target = await startHttpTarget();
      const created = await ok('POST', base, {
        name: uniqueName('Keyed'),
        environments: {
          development: { method: 'POST', url: `${target.origin}/orders/{{param.id}}` },
          test: { method: 'POST', url: `${target.origin}/orders/{{param.id}}` },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'test' });
      const path = `${base}/${created.id}/deliveries`;
      const key = { 'idempotency-key': `order-${uniqueName('k')}` };
      const first = await send(
        'POST',
        path,
        '{"environment":"development","params":{"id":1,"x":"a"},"headers":{"X-A":"1","x-b":"2"},"body":{"total":1.10}}',
        key,
      );
      assert.equal(first.status, 202, first.text);
      assert.equal(first.body.duplicate, false);

      // the same request again — params and headers in another order, whitespace added — is
      // answered with its delivery
      const again = await send(
        'POST',
        path,
        '{ "environment": "development", "headers": {"X-B":"2","x-a":"1"}, "params": {"x":"a","id":1}, "body": { "total": 1.10 } }',
        key,
      );
      assert.equal(again.status, 202, again.text);
      assert.equal(again.body.id, first.body.id);
      assert.equal(again.body.duplicate, true);

      for (const [label, text] of [
        [
          'body',
          '{"environment":"development","params":{"id":1,"x":"a"},"headers":{"X-A":"1","x-b":"2"},"body":{"total":1.1}}',
        ],
        [
          'no body',
          '{"environment":"development","params":{"id":1,"x":"a"},"headers":{"X-A":"1","x-b":"2"}}',
        ],
        [
          'params',
          '{"environment":"development","params":{"id":2,"x":"a"},"headers":{"X-A":"1","x-b":"2"},"body":{"total":1.10}}',
        ],
        [
          'headers',
          '{"environment":"development","params":{"id":1,"x":"a"},"headers":{"X-A":"1","x-b":"3"},"body":{"total":1.10}}',
        ],
        [
          'environment',
          '{"environment":"test","params":{"id":1,"x":"a"},"headers":{"X-A":"1","x-b":"2"},"body":{"total":1.10}}',
        ],
      ]) {
        const reused = await send('POST', path, text as string, key);
        assert.equal(reused.status, 422, `${label}: ${reused.text}`);
        assert.equal(reused.body.error.code, 'IDEMPOTENCY_KEY_REUSED', label);
        assert.equal(reused.body.error.details.deliveryId, first.body.id, label);
      }

      await untilFinished(first.body.id);
      const deliveries = await ok('GET', `/api/v1/deliveries?connection=${created.id}`);
      assert.equal(deliveries.items.length, 1, 'only the first request was accepted');
      assert.equal(target.requests.length, 1);
      assert.equal(target.requests[0]?.body.toString('utf8'), '{"total":1.10}');
    });
  });
}
