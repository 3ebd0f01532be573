// Secrets stay where the connection's configuration puts them, on both stores: a caller's body
// and headers cannot name a `{{secret.*}}` (invoke, Test Connection saved and draft, durable
// deliveries single and batch: 400 at the field, nothing sent or queued), and a redirect to
// another origin carries no header whose value came from a secret, whatever its name.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';
const customSecret = `custom-${randomBytes(12).toString('hex')}`;
const signingKey = `whsec_${randomBytes(32).toString('base64')}`;

const problemsOf = (response: ApiResponse): Array<{ path: string; message: string }> =>
  response.body?.error?.details?.problems ?? [];

for (const kind of testStores()) {
  describe(`secrets in what a caller sends, and on redirects, on ${kind.name}`, () => {
    let api: TestApi;
    const names = { custom: uniqueName('CUSTOM'), signing: uniqueName('SIGNING') };

    before(async () => {
      api = await startTestApi(kind, { deliveryWorker: { pollIntervalMs: 50 } });
      await ok('POST', '/api/v1/secrets', { name: names.custom, value: customSecret });
      await ok('POST', '/api/v1/secrets', { name: names.signing, value: signingKey });
    });
    after(() => api.close());

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    /** development parameters calling `target`, with a secret header, a plain one and signing */
    function paramsFor(target: Target, extra: Record<string, unknown> = {}) {
      return {
        method: 'POST',
        url: `${target.origin}/start`,
        headers: [
          { name: 'X-Custom', value: `{{secret.${names.custom}}}` },
          { name: 'X-Tenant', value: `tenant-{{secret.${names.custom}}}` },
          { name: 'X-Plain', value: 'hello' },
        ],
        signing: { scheme: 'standard-webhooks', secret: `{{secret.${names.signing}}}` },
        ...extra,
      };
    }

    async function deployedTo(target: Target, extra: Record<string, unknown> = {}) {
      const created = await ok('POST', base, {
        name: uniqueName('Caller_Secrets'),
        environments: { development: paramsFor(target, extra) },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      return created;
    }

    test("a caller's body or header naming a secret is 400 at that field, and nothing is sent or queued", async () => {
      const target = await startHttpTarget();
      const connection = await deployedTo(target);
      const id = connection.id as string;
      const leakText = `{"a":"{{secret.${names.signing}}}"}`;
      const leakObject = { a: { b: [`{{ secret.${names.custom} }}`] } };
      const draft = { name: uniqueName('Draft'), environments: connection.environments };
      const cases: Array<[string, string, unknown, string[]]> = [
        [
          'invoke, text body',
          `${base}/${id}/invoke`,
          { environment: 'development', body: leakText },
          ['body'],
        ],
        [
          'invoke, JSON body',
          `${base}/${id}/invoke`,
          { environment: 'development', body: leakObject },
          ['body'],
        ],
        [
          'invoke, header',
          `${base}/${id}/invoke`,
          {
            environment: 'development',
            headers: { 'X-Extra': `Bearer {{secret.${names.custom}}}` },
          },
          ['headers.X-Extra'],
        ],
        ['test', `${base}/${id}/test`, { environment: 'development', body: leakText }, ['body']],
        [
          'draft test',
          `${base}/test`,
          { environment: 'development', connection: draft, body: leakObject },
          ['body'],
        ],
        [
          'delivery',
          `${base}/${id}/deliveries`,
          { environment: 'development', body: leakText },
          ['body'],
        ],
        [
          'batch, body',
          `${base}/${id}/deliveries/batch`,
          { environment: 'development', items: [{ body: { fine: true } }, { body: leakObject }] },
          ['items[1].body'],
        ],
        [
          'batch, header',
          `${base}/${id}/deliveries/batch`,
          {
            environment: 'development',
            items: [{ body: 'x', headers: { 'X-Extra': `{{secret.${names.signing}}}` } }],
          },
          ['items[0].headers.X-Extra'],
        ],
      ];
      for (const [what, path, body, paths] of cases) {
        const response = await api.request('POST', path, body);
        assert.equal(response.status, 400, `${what}: ${response.text}`);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED', what);
        assert.deepEqual(
          problemsOf(response)
            .map((p) => p.path)
            .sort(),
          paths,
          what,
        );
        assert.match(problemsOf(response).at(-1)?.message ?? '', /secret/, what);
      }
      const queued = await ok('GET', `/api/v1/deliveries?connection=${id}`);
      assert.equal(queued.items.length, 0, 'no delivery was accepted');
      assert.equal(target.requests.length, 0, 'nothing reached the target');

      // params and variables stay usable in a caller's body
      const fine = await ok('POST', `${base}/${id}/invoke`, {
        environment: 'development',
        body: '{"order":"{{param.order}}"}',
        params: { order: 'A-17' },
      });
      assert.equal(fine.outcome, 'OK', fine.message);
      const [received] = await target.waitForRequests(1);
      assert.equal(received?.body.toString(), '{"order":"A-17"}');
      assert.equal(received?.headers['x-custom'], customSecret);
    });

    test('a redirect to another origin drops every header rendered from a secret; the same origin keeps them', async () => {
      const second = await startHttpTarget();
      const first = await startHttpTarget((request, response) => {
        // /start → the same origin's /again → the other origin's /landed
        const location =
          request.url === '/start' ? '/again' : `${second.origin}/landed?from=${request.url}`;
        response.writeHead(307, { location }).end();
      });
      const connection = await deployedTo(first, { followRedirects: true });
      const invoked = await ok('POST', `${base}/${connection.id}/invoke`, {
        environment: 'development',
        body: { n: 1 },
      });
      assert.equal(invoked.outcome, 'OK', invoked.message);
      const tested = await ok('POST', `${base}/${connection.id}/test`, {
        environment: 'development',
        body: { n: 2 },
      });
      assert.equal(tested.outcome, 'OK', tested.message);

      const firstHops = await first.waitForRequests(4);
      assert.deepEqual(
        firstHops.map((request) => request.url),
        ['/start', '/again', '/start', '/again'],
      );
      for (const request of firstHops) {
        assert.equal(request.headers['x-custom'], customSecret, 'kept on the same origin');
        assert.equal(request.headers['x-tenant'], `tenant-${customSecret}`);
      }
      const landed = await second.waitForRequests(2);
      for (const request of landed) {
        assert.equal(request.url, '/landed?from=/again');
        assert.equal(request.headers['x-plain'], 'hello', 'a header without a secret follows');
        assert.equal(request.headers['x-custom'], undefined, JSON.stringify(request.headers));
        assert.equal(request.headers['x-tenant'], undefined, JSON.stringify(request.headers));
        assert.ok(!JSON.stringify(request.rawHeaders).includes(customSecret));
        assert.deepEqual(JSON.parse(request.body.toString()).n > 0, true, 'a 307 keeps the body');
      }
    });
  });
}
