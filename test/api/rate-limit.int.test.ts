// The management API's per-token rate limit (config apiRateLimitPerMinute): the request past
// the limit is RATE_LIMITED in our error shape with Retry-After; the data plane (invoke,
// durable send) and the unversioned routes are never limited. One store is enough: the limit
// lives in the API process, not in the store.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const sqlite = testStores().find((kind) => kind.name === 'sqlite')!;
const limit = 20;

function assertRateLimited(response: ApiResponse): number {
  assert.equal(response.status, 429, response.text);
  assert.equal(response.body.error.code, 'RATE_LIMITED');
  assert.match(response.body.error.message, /20 API requests a minute/);
  const { retryAfterSeconds } = response.body.error.details;
  assert.ok(Number.isInteger(retryAfterSeconds), response.text);
  assert.ok(retryAfterSeconds >= 1 && retryAfterSeconds <= 60, response.text);
  assert.equal(response.headers.get('retry-after'), String(retryAfterSeconds));
  assert.equal(response.headers.get('x-ratelimit-limit'), String(limit));
  assert.equal(response.headers.get('x-ratelimit-remaining'), '0');
  // an error answer like any other: the security headers are on it too
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return retryAfterSeconds;
}

describe(`management API rate limit (${limit} a minute)`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite, { apiRateLimitPerMinute: limit });
  });
  after(() => api.close());

  test(`answers the ${limit + 1}st request with one token RATE_LIMITED, with Retry-After`, async () => {
    for (let i = 1; i <= limit; i++) {
      const response = await api.request('GET', '/api/v1/projects');
      assert.equal(response.status, 200, `request ${i}: ${response.text}`);
      assert.equal(response.headers.get('x-ratelimit-limit'), String(limit));
      assert.equal(response.headers.get('x-ratelimit-remaining'), String(limit - i));
      assert.ok(Number(response.headers.get('x-ratelimit-reset')) >= 1);
    }
    assertRateLimited(await api.request('GET', '/api/v1/projects'));
    // every route and method shares the token's budget; a refused change is not made
    assertRateLimited(await api.request('GET', '/api/v1/audit'));
    assertRateLimited(await api.request('POST', '/api/v1/projects', { id: 'late', name: 'Late' }));
    assert.equal(await api.services.projects.get('late').catch(() => null), null);
  });

  test('still authenticates first: a request without a token is 401, not counted against it', async () => {
    const response = await api.request('GET', '/api/v1/projects', undefined, { token: null });
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, 'UNAUTHENTICATED');
  });

  test('leaves /healthz, /openapi.json and /docs alone', async () => {
    for (const path of ['/healthz', '/openapi.json', '/docs/']) {
      for (let i = 0; i < 3; i++) {
        const response = await fetch(api.url + path);
        assert.equal(response.status, 200, path);
        assert.equal(response.headers.get('x-ratelimit-limit'), null, path);
        await response.arrayBuffer();
      }
    }
  });
});

describe('the data plane is not rate limited', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite, { apiRateLimitPerMinute: limit });
  });
  after(() => api.close());

  test(`30 invokes and 12 durable sends go through while management is past its ${limit}`, async () => {
    const target = await startHttpTarget();
    // 2 management requests: create and deploy
    const created = await api.request('POST', '/api/v1/connections', {
      name: uniqueName('Limited'),
      environments: { development: { method: 'POST', url: `${target.origin}/events` } },
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id as string;
    const deployed = await api.request('POST', `/api/v1/connections/${id}/deploy`, {
      environment: 'development',
    });
    assert.ok(deployed.status < 300, deployed.text);
    let management = 2;
    while (management < limit) {
      const response = await api.request('GET', `/api/v1/connections/${id}`);
      assert.equal(response.status, 200, response.text);
      management++;
    }
    assertRateLimited(await api.request('GET', `/api/v1/connections/${id}`));

    for (let i = 0; i < 30; i++) {
      const response = await api.request('POST', `/api/v1/connections/${id}/invoke`, {
        environment: 'development',
        body: { i },
      });
      assert.equal(response.status, 200, `invoke ${i}: ${response.text}`);
      assert.equal(response.body.outcome, 'OK');
      assert.equal(response.headers.get('x-ratelimit-limit'), null, 'no limiter on invoke');
    }
    assert.equal(target.requests.length, 30);

    for (let i = 0; i < 10; i++) {
      const response = await api.request('POST', `/api/v1/connections/${id}/deliveries`, {
        environment: 'development',
        body: { i },
      });
      assert.equal(response.status, 202, `delivery ${i}: ${response.text}`);
    }
    const batch = await api.request('POST', `/api/v1/connections/${id}/deliveries/batch`, {
      environment: 'development',
      items: [{ body: { n: 1 } }, { body: { n: 2 } }],
    });
    assert.equal(batch.status, 202, batch.text);

    // and management is still refused
    assertRateLimited(await api.request('GET', '/api/v1/deliveries'));
  });
});

describe('without apiRateLimitPerMinute', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite);
  });
  after(() => api.close());

  test('nothing is limited and no rate limit headers are sent', async () => {
    for (let i = 0; i < limit + 5; i++) {
      const response = await api.request('GET', '/api/v1/projects');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-ratelimit-limit'), null);
    }
  });
});
