import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { forbiddenHeaderNames } from '../../src/contracts/headers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

type NameItem = { name: string; description: string };
type ValueItem = { value: string; description: string };

for (const kind of testStores()) {
  describe(`http-headers API on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    const names = (response: { body: { items: NameItem[] } }) =>
      response.body.items.map((item) => item.name);

    test('suggests header names starting with a prefix, ignoring its case', async () => {
      const response = await api.request('GET', '/api/v1/http-headers?prefix=content-');
      assert.equal(response.status, 200);
      assert.deepEqual(names(response), ['Content-Encoding', 'Content-Type']);
      assert.equal(response.body.next, null);
      const upper = await api.request('GET', '/api/v1/http-headers?prefix=CONTENT-T');
      assert.deepEqual(names(upper), ['Content-Type']);
    });

    test('gives every suggested name a one-line description', async () => {
      const response = await api.request('GET', '/api/v1/http-headers?prefix=x-&limit=500');
      assert.ok(response.body.items.length > 5);
      for (const item of response.body.items as NameItem[]) {
        assert.ok(item.name.toLowerCase().startsWith('x-'), item.name);
        assert.ok(item.description.length > 0, `${item.name} has no description`);
        assert.ok(!item.description.includes('\n'), `${item.name}: more than one line`);
      }
    });

    test('lists 20 names by default, sorted ignoring case, and all names with a larger limit', async () => {
      const first = await api.request('GET', '/api/v1/http-headers');
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 20);
      const all = await api.request('GET', '/api/v1/http-headers?prefix=&limit=500');
      const allNames = names(all);
      assert.ok(allNames.length >= 50, `only ${allNames.length} names`);
      assert.deepEqual(names(first), allNames.slice(0, 20));
      const sorted = [...allNames].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : 1));
      assert.deepEqual(allNames, sorted);
      for (const expected of [
        'Accept',
        'Authorization',
        'Content-Type',
        'Idempotency-Key',
        'traceparent',
        'X-Request-Id',
        'DD-API-KEY',
        'X-Splunk-Request-Channel',
      ]) {
        assert.ok(allNames.includes(expected), `${expected} is missing`);
      }
    });

    test('never suggests a hop-by-hop or framing header, nor Expect', async () => {
      const all = await api.request('GET', '/api/v1/http-headers?limit=500');
      const lower = names(all).map((name) => name.toLowerCase());
      for (const forbidden of [...forbiddenHeaderNames, 'expect']) {
        assert.ok(!lower.includes(forbidden), `${forbidden} is suggested`);
      }
    });

    test('honours limit and answers an unknown prefix with an empty list', async () => {
      const two = await api.request('GET', '/api/v1/http-headers?prefix=x-b3&limit=2');
      assert.deepEqual(names(two), ['X-B3-Sampled', 'X-B3-SpanId']);
      const none = await api.request('GET', '/api/v1/http-headers?prefix=zz-nothing');
      assert.deepEqual(none.body, { items: [], next: null });
    });

    test('refuses a limit outside 1-500 at query.limit', async () => {
      for (const limit of ['0', '501', 'many']) {
        const response = await api.request('GET', `/api/v1/http-headers?limit=${limit}`);
        assert.equal(response.status, 400, limit);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          response.body.error.details.problems.map((p: { path: string }) => p.path),
          ['query.limit'],
        );
      }
    });

    test('suggests Content-Type values, finding the header whatever its case', async () => {
      const response = await api.request('GET', '/api/v1/http-headers/content-type/values');
      assert.equal(response.status, 200);
      const values = (response.body.items as ValueItem[]).map((item) => item.value);
      for (const expected of [
        'application/json',
        'application/x-www-form-urlencoded',
        'text/plain; charset=utf-8',
        'application/xml',
        'application/cloudevents+json',
      ]) {
        assert.ok(values.includes(expected), `${expected} is missing`);
      }
      assert.equal(response.body.next, null);
      const same = await api.request('GET', '/api/v1/http-headers/CONTENT-TYPE/values');
      assert.deepEqual(same.body, response.body);
    });

    test('suggests Authorization values that reference secrets, never a literal credential', async () => {
      const response = await api.request('GET', '/api/v1/http-headers/Authorization/values');
      const values = (response.body.items as ValueItem[]).map((item) => item.value);
      assert.ok(values.includes('Bearer {{secret.NAME}}'));
      assert.ok(values.includes('Basic {{secret.NAME}}'));
      for (const value of values) assert.match(value, /\{\{secret\.[A-Za-z_]+\}\}/);
    });

    test('answers a header without suggestions with an empty list, not NOT_FOUND', async () => {
      for (const name of ['X-Something-Custom', 'Origin', 'Connection']) {
        const response = await api.request('GET', `/api/v1/http-headers/${name}/values`);
        assert.equal(response.status, 200, name);
        assert.deepEqual(response.body, { items: [], next: null });
      }
    });

    test('refuses a name that is not an RFC 9110 token at params.name', async () => {
      for (const name of ['bad%20name', 'a%3Ab', '%22quoted%22']) {
        const response = await api.request('GET', `/api/v1/http-headers/${name}/values`);
        assert.equal(response.status, 400, name);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          response.body.error.details.problems.map((p: { path: string }) => p.path),
          ['params.name'],
        );
      }
    });

    test('needs a bearer token', async () => {
      const response = await api.request('GET', '/api/v1/http-headers', undefined, {
        token: null,
      });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    });
  });
}
