// Secrets do not choose destinations (DESIGN §1 Templates, issue 13 §1): a {{secret.*}} in a
// URL's host or port is refused at save and in a draft test, with the field path; in the path
// or the query it is saved. Through the HTTP API on both stores.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/connections';

const refusedUrls = [
  'https://{{secret.HOST}}/events',
  'https://api.{{secret.TENANT}}.example.com/events',
  'https://hooks.example.com:{{secret.PORT}}/events',
  'https://{{secret.HOST}}',
  'https://{{var.REGION}}{{secret.HOST}}?q=1',
  'https://{{secret.HOST}}\\events',
];

const acceptedUrls = [
  'https://hooks.example.com/{{secret.PATH_TOKEN}}/events',
  'https://hooks.example.com?key={{secret.KEY}}',
  'https://hooks.example.com#{{secret.FRAGMENT}}',
  'https://{{var.HOST}}/{{secret.PATH_TOKEN}}',
];

function problemPaths(response: ApiResponse): string[] {
  return (response.body?.error?.details?.problems ?? []).map((p: { path: string }) => p.path);
}

for (const kind of testStores()) {
  describe(`secrets in a url's host or port on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    const connection = (url: string) => ({
      name: uniqueName('SecretUrl'),
      environments: { test: { method: 'POST', url } },
    });

    for (const url of refusedUrls) {
      test(`refuses ${url} at save and in a draft test, at the url's path`, async () => {
        const created = await api.request('POST', base, connection(url));
        assert.equal(created.status, 400, created.text);
        assert.equal(created.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(problemPaths(created), ['environments.test.url']);
        assert.match(created.text, /secrets do not choose destinations/);

        const saved = await api.request('POST', base, connection('https://hooks.example.com/x'));
        assert.equal(saved.status, 201, saved.text);
        const replaced = await api.request('PUT', `${base}/${saved.body.id}`, {
          ...connection(url),
          name: saved.body.name,
        });
        assert.equal(replaced.status, 400, replaced.text);
        assert.deepEqual(problemPaths(replaced), ['environments.test.url']);
        const patched = await api.request('PATCH', `${base}/${saved.body.id}`, {
          environments: { test: { url } },
        });
        assert.equal(patched.status, 400, patched.text);
        assert.deepEqual(problemPaths(patched), ['environments.test.url']);
        assert.equal((await api.request('GET', `${base}/${saved.body.id}`)).body.revision, 1);

        const draft = await api.request('POST', `${base}/test`, {
          environment: 'test',
          connection: connection(url),
        });
        assert.equal(draft.status, 400, draft.text);
        assert.deepEqual(problemPaths(draft), ['connection.environments.test.url']);
      });
    }

    test('saves a secret in the path, the query or the fragment', async () => {
      for (const url of acceptedUrls) {
        const created = await api.request('POST', base, connection(url));
        assert.equal(created.status, 201, `${url}: ${created.text}`);
        assert.equal(created.body.environments.test.url, url);
      }
    });
  });
}
