// "See what was sent" (issue 14 §4) on both stores: each delivery attempt keeps the request as
// sent with every secret value replaced by its reference — in a header, in the URL's query and
// in the body — and its curl command, run with the placeholders set, makes the same call; the
// deployed revision's request is answered with placeholders, never a secret's value.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { buildCurlCommand } from '../../src/contracts/curl-command.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { eventually } from '../helpers/eventually.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const run = promisify(execFile);
const base = '/api/v1/connections';
const headerSecret = 'header-secret-value-0123456789';
const querySecret = 'querysecretvalue9876543210';
const signingKey = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;

for (const kind of testStores()) {
  describe(`attempt requests on ${kind.name}`, () => {
    let api: TestApi;

    before(async () => {
      api = await startTestApi(kind, { deliveryWorker: { pollIntervalMs: 50 } });
      await ok('POST', '/api/v1/secrets', { name: 'api-key', value: headerSecret });
      await ok('POST', '/api/v1/secrets', { name: 'QUERY_TOKEN', value: querySecret });
      await ok('POST', '/api/v1/secrets', { name: 'SIGNING', value: signingKey });
      api.services.deliveryWorker.start();
    });
    after(() => api.close());

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }

    async function deployedTo(origin: string): Promise<string> {
      const created = await ok('POST', base, {
        name: uniqueName('Inspect'),
        environments: {
          development: {
            method: 'POST',
            url: `${origin}/hooks/{{param.n}}?token={{secret.QUERY_TOKEN}}&plain=1`,
            headers: [
              { name: 'X-Api-Key', value: '{{secret.api-key}}' },
              { name: 'Authorization', value: 'Bearer {{secret.api-key}}' },
              { name: 'X-Private-Token', value: 'literal-credential-value' },
              { name: 'X-Plain', value: 'plain value' },
            ],
            signing: { scheme: 'standard-webhooks', secret: '{{secret.SIGNING}}' },
          },
        },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'development' });
      return created.id as string;
    }

    test('an attempt stores its request with secrets as their references, and its curl makes the same call', async () => {
      const target = await startHttpTarget();
      const id = await deployedTo(target.origin);
      const accepted = await ok('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        // a caller may paste a secret's value into a body: it is marked too
        body: { note: `it's "quoted" and ${headerSecret}`, n: 1 },
        params: { n: 'a b' },
      });
      const delivery = await eventually(
        async () => {
          const read = await ok('GET', `/api/v1/deliveries/${accepted.id}`);
          assert.equal(read.status, 'succeeded');
          return read;
        },
        { timeoutMs: 20_000 },
      );
      const [original] = target.requests;
      const request = delivery.attemptLog[0].request;
      const text = JSON.stringify(delivery);
      for (const secret of [headerSecret, querySecret, signingKey, signingKey.slice(6)]) {
        assert.ok(!text.includes(secret), `a secret value is in ${text}`);
      }
      assert.equal(request.method, 'POST');
      assert.equal(
        request.url,
        `${target.origin}/hooks/a%20b?token={{secret.QUERY_TOKEN}}&plain=1`,
      );
      assert.equal(request.headers['X-Api-Key'], '{{secret.api-key}}');
      assert.equal(request.headers.Authorization, 'Bearer {{secret.api-key}}');
      assert.equal(request.headers['X-Private-Token'], '****');
      assert.equal(request.headers['X-Plain'], 'plain value');
      // signing headers are outputs: kept, so a replay carries the same signature
      assert.equal(request.headers['webhook-signature'], original?.headers['webhook-signature']);
      assert.equal(request.bodyEncoding, 'utf8');
      assert.equal(request.truncated, false);
      assert.deepEqual(JSON.parse(request.body), {
        note: `it's "quoted" and {{secret.api-key}}`,
        n: 1,
      });

      const curl = buildCurlCommand(request);
      assert.ok(!curl.includes(headerSecret) && !curl.includes(querySecret), curl);
      assert.match(curl, /"X-Api-Key: \$HOOKLINE_SECRET_API_KEY"/);
      await run('/bin/sh', ['-c', `${curl} --silent --output /dev/null`], {
        env: {
          PATH: process.env.PATH,
          HOOKLINE_SECRET_API_KEY: headerSecret,
          HOOKLINE_SECRET_QUERY_TOKEN: querySecret,
        },
      });
      const [, replayed] = await target.waitForRequests(2);
      assert.equal(replayed?.method, original?.method);
      assert.equal(replayed?.url, original?.url);
      for (const name of [
        'x-api-key',
        'authorization',
        'x-plain',
        'webhook-signature',
        'content-type',
      ]) {
        assert.equal(replayed?.headers[name], original?.headers[name], name);
      }
      assert.equal(replayed?.headers['x-private-token'], '****');
      // the value the caller pasted into the body comes back from the placeholder too
      assert.equal(replayed?.body.toString('utf8'), original?.body.toString('utf8'));
    });

    test('the deployed request answers placeholders and a curl command, never a secret value', async () => {
      const target = await startHttpTarget();
      const id = await deployedTo(target.origin);
      const answer = await ok('GET', `${base}/${id}/deployments/development/request`);
      const text = JSON.stringify(answer);
      for (const secret of [headerSecret, querySecret, signingKey, 'literal-credential-value']) {
        assert.ok(!text.includes(secret), `a secret value is in ${text}`);
      }
      assert.equal(answer.method, 'POST');
      assert.equal(answer.signing, 'standard-webhooks');
      assert.equal(
        answer.url,
        `${target.origin}/hooks/{{param.n}}?token={{secret.QUERY_TOKEN}}&plain=1`,
      );
      assert.deepEqual(answer.placeholders, [
        'HOOKLINE_PARAM_N',
        'HOOKLINE_SECRET_QUERY_TOKEN',
        'HOOKLINE_SECRET_API_KEY',
      ]);
      await run('/bin/sh', ['-c', `${answer.curl} --silent --output /dev/null`], {
        env: {
          PATH: process.env.PATH,
          HOOKLINE_PARAM_N: '42',
          HOOKLINE_SECRET_API_KEY: headerSecret,
          HOOKLINE_SECRET_QUERY_TOKEN: querySecret,
        },
      });
      const [sent] = await target.waitForRequests(1);
      assert.equal(sent?.url, `/hooks/42?token=${querySecret}&plain=1`);
      assert.equal(sent?.headers['x-api-key'], headerSecret);
      assert.equal(sent?.headers.authorization, `Bearer ${headerSecret}`);
      assert.equal(sent?.headers['user-agent'], 'Hookline');

      const missing = await api.request('GET', `${base}/${id}/deployments/production/request`);
      assert.equal(missing.status, 409);
      assert.equal(missing.body.error.code, 'CONNECTION_NOT_DEPLOYED');
    });
  });
}
