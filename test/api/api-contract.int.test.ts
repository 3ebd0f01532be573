import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { validConnection } from '../helpers/connection-fixtures.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

// Issue 13 §4: what the OpenAPI document promises, as the running API answers it — a wrong
// method is a 405 with Allow (not a 404), every 201 says where the new resource is, and
// boolean query parameters are booleans (true/false, and the 1/0 the CLI and console may send).

const consoleDir = mkdtempSync(join(tmpdir(), 'hookline-console-'));
mkdirSync(join(consoleDir, 'assets'));
writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Hookline</title>');
writeFileSync(join(consoleDir, 'assets', 'app-1234.js'), 'console.log(1)');
after(() => rmSync(consoleDir, { recursive: true, force: true }));

for (const kind of testStores()) {
  describe(`the API contract on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, { consoleDir });
    });
    after(() => api.close());

    test('a wrong method on an existing path answers 405 with Allow listing its methods', async () => {
      const created = await api.request('POST', '/api/v1/connections', validConnection());
      assert.equal(created.status, 201, created.text);
      const id = created.body.id as string;
      const cases: [string, string, string][] = [
        ['GET', `/api/v1/connections/${id}/enable`, 'POST'],
        ['POST', `/api/v1/connections/${id}`, 'GET, HEAD, PUT, PATCH, DELETE'],
        ['DELETE', '/api/v1/connections', 'GET, HEAD, POST'],
        ['PUT', '/api/v1/environments/', 'GET, HEAD, POST'],
        ['POST', '/healthz', 'GET, HEAD'],
        ['POST', '/assets/app-1234.js', 'GET, HEAD'],
      ];
      for (const [method, path, allow] of cases) {
        const answer = await api.request(method, path, method === 'GET' ? undefined : {});
        assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
        assert.equal(answer.headers.get('allow'), allow, `${method} ${path}`);
        assert.equal(answer.body.error.code, 'METHOD_NOT_ALLOWED');
        assert.deepEqual(answer.body.error.details.allowed, allow.split(', '));
      }
    });

    test('an unknown path stays 404, and without a token a wrong method says no more than a 404', async () => {
      const unknown = await api.request('POST', '/api/v1/no-such-thing', {});
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal(unknown.body.error.code, 'NOT_FOUND');
      assert.equal(unknown.headers.get('allow'), null);
      const anonymousUnknown = await api.request('DELETE', '/api/v1/no-such-thing', undefined, {
        token: null,
      });
      const anonymousWrong = await api.request('DELETE', '/api/v1/environments', undefined, {
        token: null,
      });
      assert.equal(anonymousWrong.status, anonymousUnknown.status);
      assert.equal(anonymousWrong.body.error.code, anonymousUnknown.body.error.code);
      assert.equal(anonymousWrong.headers.get('allow'), null);
    });

    test("the console's deep links still load its page; other methods there stay 404", async () => {
      const page = await api.request('GET', '/connections/42/edit', undefined, { token: null });
      assert.equal(page.status, 200);
      assert.match(page.text, /<title>Hookline<\/title>/);
      const post = await api.request('POST', '/connections/42/edit', {}, { token: null });
      assert.equal(post.status, 404, post.text);
    });

    test('every create answers 201 with a Location where the new resource is read', async () => {
      const creates: [string, Record<string, unknown>][] = [
        ['/api/v1/environments', { id: 'contract-env', name: 'Contract', kind: 'test' }],
        ['/api/v1/projects', { id: 'contract-project', name: 'Contract' }],
        ['/api/v1/connections', validConnection()],
        [
          '/api/v1/users',
          { username: 'contract-user', password: 'a long enough password 1', role: 'viewer' },
        ],
        ['/api/v1/tokens', { name: 'contract-token' }],
        ['/api/v1/variables', { name: 'CONTRACT_VAR', values: { production: 'x' } }],
      ];
      for (const [path, body] of creates) {
        const created = await api.request('POST', path, body);
        assert.equal(created.status, 201, `${path}: ${created.text}`);
        const location = created.headers.get('location') ?? '';
        assert.ok(location.startsWith(`${path}/`), `${path}: Location '${location}'`);
        const read = await api.request('GET', location);
        assert.equal(read.status, 200, `GET ${location}: ${read.text}`);
        assert.equal(read.body.id, created.body.id, location);
      }
    });

    test('boolean query parameters take true/false and 1/0, and refuse anything else', async () => {
      const off = await api.request('POST', '/api/v1/connections', validConnection());
      await api.request('POST', `/api/v1/connections/${off.body.id}/disable`);
      const idsOf = async (query: string) => {
        const answer = await api.request('GET', `/api/v1/connections?limit=500&${query}`);
        assert.equal(answer.status, 200, `${query}: ${answer.text}`);
        return (answer.body.items as { id: string; enabled: boolean }[]).map((item) => item.id);
      };
      assert.ok(!(await idsOf('enabled=true')).includes(off.body.id));
      assert.ok(!(await idsOf('enabled=1')).includes(off.body.id));
      assert.ok((await idsOf('enabled=false')).includes(off.body.id));
      assert.ok((await idsOf('enabled=0')).includes(off.body.id));
      const wrong = await api.request('GET', '/api/v1/connections?enabled=yes');
      assert.equal(wrong.status, 400, wrong.text);
      assert.equal(wrong.body.error.code, 'VALIDATION_FAILED');
      assert.equal(wrong.body.error.details.problems[0].path, 'query.enabled');
    });
  });
}
