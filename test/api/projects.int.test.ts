import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const problemPaths = (body: any): string[] =>
  body.error.details.problems.map((p: { path: string }) => p.path).sort();

for (const kind of testStores()) {
  describe(`projects API on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('seeds the default project on first start', async () => {
      const response = await api.request('GET', '/api/v1/projects');
      assert.equal(response.status, 200);
      assert.deepEqual(
        response.body.items.map((p: { id: string }) => p.id),
        ['default'],
      );
      assert.equal(response.body.next, null);
    });

    test('creates a project and reads it back, finding it whatever the case', async () => {
      const created = await api.request('POST', '/api/v1/projects', {
        id: 'Payments_EU',
        name: 'Payments (EU)',
        description: 'card and SEPA callbacks',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.id, 'Payments_EU');
      assert.equal(created.body.description, 'card and SEPA callbacks');
      assert.equal(created.body.createdAt, created.body.updatedAt);
      const read = await api.request('GET', '/api/v1/projects/payments_eu');
      assert.equal(read.status, 200);
      assert.deepEqual(read.body, created.body);
      const listed = await api.request('GET', '/api/v1/projects');
      assert.ok(listed.body.items.some((p: { id: string }) => p.id === 'Payments_EU'));
    });

    test('defaults the description to empty and trims the name', async () => {
      const created = await api.request('POST', '/api/v1/projects', {
        id: 'crm',
        name: '  CRM  ',
      });
      assert.equal(created.status, 201);
      assert.equal(created.body.name, 'CRM');
      assert.equal(created.body.description, '');
    });

    test('refuses an id that differs only in case with PROJECT_EXISTS', async () => {
      const response = await api.request('POST', '/api/v1/projects', {
        id: 'DEFAULT',
        name: 'Again',
      });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'PROJECT_EXISTS');
      assert.equal(response.body.error.details.id, 'default');
    });

    test('refuses a bad id and an empty name with both field paths', async () => {
      const response = await api.request('POST', '/api/v1/projects', {
        id: '-bad id',
        name: '   ',
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(problemPaths(response.body), ['id', 'name']);
    });

    test('names an unknown field at its own path', async () => {
      const response = await api.request('POST', '/api/v1/projects', {
        id: 'typo',
        name: 'Typo',
        descripton: 'misspelt',
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(problemPaths(response.body), ['descripton']);
    });

    test('refuses a too long description at its path when changing a project', async () => {
      const response = await api.request('PATCH', '/api/v1/projects/crm', {
        description: 'x'.repeat(1001),
      });
      assert.equal(response.status, 400);
      assert.deepEqual(problemPaths(response.body), ['description']);
    });

    test('changes a project, keeping what the patch does not name', async () => {
      const before = await api.request('GET', '/api/v1/projects/crm');
      const patched = await api.request('PATCH', '/api/v1/projects/CRM', {
        description: 'Salesforce callbacks',
      });
      assert.equal(patched.status, 200);
      assert.equal(patched.body.id, 'crm');
      assert.equal(patched.body.name, 'CRM');
      assert.equal(patched.body.description, 'Salesforce callbacks');
      assert.equal(patched.body.createdAt, before.body.createdAt);
      assert.ok(patched.body.updatedAt >= before.body.updatedAt);
      const read = await api.request('GET', '/api/v1/projects/crm');
      assert.equal(read.body.description, 'Salesforce callbacks');
    });

    test('deletes a project, and says NOT_FOUND after', async () => {
      assert.equal(
        (await api.request('POST', '/api/v1/projects', { id: 'scratch', name: 'S' })).status,
        201,
      );
      const deleted = await api.request('DELETE', '/api/v1/projects/Scratch');
      assert.equal(deleted.status, 204);
      assert.equal(deleted.text, '');
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { name: 'again' }],
        ['DELETE', undefined],
      ] as const) {
        const gone = await api.request(method, '/api/v1/projects/scratch', body);
        assert.equal(gone.status, 404, method);
        assert.equal(gone.body.error.code, 'NOT_FOUND');
        assert.match(gone.body.error.message, /scratch/);
      }
    });

    test('refuses to delete the default project with PROJECT_IN_USE', async () => {
      const response = await api.request('DELETE', '/api/v1/projects/default');
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'PROJECT_IN_USE');
      assert.equal((await api.request('GET', '/api/v1/projects/default')).status, 200);
    });

    test('needs a bearer token', async () => {
      const response = await api.request('GET', '/api/v1/projects', undefined, { token: null });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    });
  });
}
