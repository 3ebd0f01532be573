// The management API's per-token rate limits (config apiRateLimitPerMinute for changes,
// apiReadRateLimitPerMinute for reads, counted apart): the request past a limit is RATE_LIMITED
// in our error shape with Retry-After; the data plane (invoke, durable send) and the
// unversioned routes are never limited. The limits live in the API process, not in the store:
// one store is enough, but the test of the two buckets runs on both.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { addUser } from '../helpers/test-users.ts';
import { closeAllTargets, startHttpTarget } from '../helpers/target-servers.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const sqlite = testStores().find((kind) => kind.name === 'sqlite')!;
const limit = 20;

function assertRateLimited(
  response: ApiResponse,
  bucket: 'read' | 'write' = 'read',
  max = limit,
): number {
  assert.equal(response.status, 429, response.text);
  assert.equal(response.body.error.code, 'RATE_LIMITED');
  const what = bucket === 'read' ? 'reading' : 'changing';
  assert.match(response.body.error.message, new RegExp(`More than ${max} ${what} API requests`));
  assert.equal(response.body.error.details.bucket, bucket);
  const { retryAfterSeconds } = response.body.error.details;
  assert.ok(Number.isInteger(retryAfterSeconds), response.text);
  assert.ok(retryAfterSeconds >= 1 && retryAfterSeconds <= 60, response.text);
  assert.equal(response.headers.get('retry-after'), String(retryAfterSeconds));
  assert.equal(response.headers.get('x-ratelimit-limit'), String(max));
  assert.equal(response.headers.get('x-ratelimit-remaining'), '0');
  // an error answer like any other: the security headers are on it too
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  return retryAfterSeconds;
}

describe(`management API rate limit (${limit} a minute)`, () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite, {
      apiRateLimitPerMinute: limit,
      apiReadRateLimitPerMinute: limit,
    });
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
    // every route that reads shares the token's budget of reads
    assertRateLimited(await api.request('GET', '/api/v1/audit'));
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

for (const kind of testStores()) {
  describe(`reads and changes are counted apart on ${kind.name}`, () => {
    const reads = 6;
    const writes = 3;
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind, {
        apiRateLimitPerMinute: writes,
        apiReadRateLimitPerMinute: reads,
      });
    });
    after(() => api.close());

    test('a token past its reads still changes configuration, with the headers of that bucket', async () => {
      for (let i = 1; i <= reads; i++) {
        const response = await api.request('GET', '/api/v1/projects');
        assert.equal(response.status, 200, response.text);
        assert.equal(response.headers.get('x-ratelimit-limit'), String(reads));
        assert.equal(response.headers.get('x-ratelimit-remaining'), String(reads - i));
      }
      assertRateLimited(await api.request('GET', '/api/v1/connections'), 'read', reads);
      const created = await api.request('POST', '/api/v1/projects', { id: 'busy', name: 'Busy' });
      assert.equal(created.status, 201, created.text);
      assert.equal(created.headers.get('x-ratelimit-limit'), String(writes));
      assert.equal(created.headers.get('x-ratelimit-remaining'), String(writes - 1));
      for (let i = 2; i <= writes; i++) {
        const patched = await api.request('PATCH', '/api/v1/projects/busy', { name: `Busy ${i}` });
        assert.equal(patched.status, 200, patched.text);
      }
      const refused = await api.request('DELETE', '/api/v1/projects/busy');
      assertRateLimited(refused, 'write', writes);
      assert.equal((await api.services.projects.get('busy')).name, `Busy ${writes}`);
    });

    test('a token past its changes still reads', async () => {
      const other = await addUser(api.services, 'admin');
      for (let i = 1; i <= writes; i++) {
        const response = await api.request(
          'POST',
          '/api/v1/projects',
          { id: `other-${i}`, name: `Other ${i}` },
          { token: other.token },
        );
        assert.equal(response.status, 201, response.text);
      }
      const refused = await api.request(
        'POST',
        '/api/v1/projects',
        { id: 'late', name: 'Late' },
        { token: other.token },
      );
      assertRateLimited(refused, 'write', writes);
      assert.equal(await api.services.projects.get('late').catch(() => null), null);
      const read = await api.request('GET', '/api/v1/projects/other-1', undefined, {
        token: other.token,
      });
      assert.equal(read.status, 200, read.text);
      assert.equal(read.headers.get('x-ratelimit-limit'), String(reads));
    });
  });
}

describe('the data plane is not rate limited', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite, {
      apiRateLimitPerMinute: limit,
      apiReadRateLimitPerMinute: limit,
    });
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
    let reads = 0;
    while (reads < limit) {
      const response = await api.request('GET', `/api/v1/connections/${id}`);
      assert.equal(response.status, 200, response.text);
      reads++;
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
