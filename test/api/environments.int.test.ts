import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

for (const kind of testStores()) {
  describe(`environments API on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('seeds development, test and production on first start', async () => {
      const response = await api.request('GET', '/api/v1/environments');
      assert.equal(response.status, 200);
      assert.deepEqual(
        response.body.items.map((e: { id: string; kind: string }) => [e.id, e.kind]),
        [
          ['development', 'development'],
          ['test', 'test'],
          ['production', 'production'],
        ],
      );
      assert.equal(response.body.next, null);
    });

    test('keeps that order when the clock does not move while seeding (a fast machine)', async () => {
      const stopped = new Date('2026-11-29T09:00:00.000Z');
      const frozen = await startTestApi(kind, { clock: { now: () => new Date(stopped) } });
      try {
        const response = await frozen.request('GET', '/api/v1/environments');
        assert.deepEqual(
          response.body.items.map((e: { id: string }) => e.id),
          ['development', 'test', 'production'],
        );
      } finally {
        await frozen.close();
      }
    });

    test('creates an environment and reads it back, finding it whatever the case', async () => {
      const created = await api.request('POST', '/api/v1/environments', {
        id: 'Prod-Blue',
        name: 'Production (blue)',
        kind: 'production',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.id, 'Prod-Blue');
      const read = await api.request('GET', '/api/v1/environments/prod-blue');
      assert.equal(read.status, 200);
      assert.equal(read.body.name, 'Production (blue)');
    });

    test('refuses an id that differs only in case with ENVIRONMENT_EXISTS', async () => {
      const response = await api.request('POST', '/api/v1/environments', {
        id: 'PRODUCTION',
        name: 'Again',
        kind: 'production',
      });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'ENVIRONMENT_EXISTS');
    });

    test('refuses a bad id and kind with VALIDATION_FAILED and both field paths', async () => {
      const response = await api.request('POST', '/api/v1/environments', {
        id: '-bad id',
        name: 'x',
        kind: 'staging',
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      const paths = response.body.error.details.problems
        .map((p: { path: string }) => p.path)
        .sort();
      assert.deepEqual(paths, ['id', 'kind']);
    });

    test('changes and deletes an environment, and says NOT_FOUND after', async () => {
      await api.request('POST', '/api/v1/environments', {
        id: 'scratch',
        name: 'Scratch',
        kind: 'test',
      });
      const patched = await api.request('PATCH', '/api/v1/environments/scratch', {
        name: 'Scratch 2',
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.name, 'Scratch 2');
      assert.equal((await api.request('DELETE', '/api/v1/environments/scratch')).status, 204);
      const gone = await api.request('GET', '/api/v1/environments/scratch');
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'NOT_FOUND');
    });

    test('needs a bearer token', async () => {
      const none = await api.request('GET', '/api/v1/environments', undefined, { token: null });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'UNAUTHENTICATED');
      const wrong = await api.request('GET', '/api/v1/environments', undefined, {
        token: 'hl_nope',
      });
      assert.equal(wrong.status, 401);
    });
  });
}
