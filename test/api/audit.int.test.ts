import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

interface AuditItem {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  targetName: string | null;
  before: any;
  after: any;
}

for (const kind of testStores()) {
  describe(`audit API on ${kind.name}`, () => {
    let api: TestApi;
    let startedAt: string;
    before(async () => {
      api = await startTestApi(kind);
      startedAt = new Date(Date.now() - 1000).toISOString();
      const steps: Array<[string, string, unknown]> = [
        ['POST', '/api/v1/environments', { id: 'audit-env', name: 'Audit', kind: 'test' }],
        ['PATCH', '/api/v1/environments/audit-env', { name: 'Audit 2', kind: 'production' }],
        ['POST', '/api/v1/projects', { id: 'audit-proj', name: 'Audited' }],
        ['PATCH', '/api/v1/projects/audit-proj', { description: 'now described' }],
      ];
      for (const [method, path, body] of steps) {
        const response = await api.request(method, path, body);
        assert.ok(response.status < 300, `${method} ${path}: ${response.text}`);
      }
    });
    after(() => api.close());

    const list = async (query: string) => {
      const response = await api.request('GET', `/api/v1/audit${query}`);
      assert.equal(response.status, 200, response.text);
      return response.body as { items: AuditItem[]; next: string | null };
    };

    test('records who created and changed an environment, with before and after', async () => {
      const { items, next } = await list('?targetId=audit-env');
      assert.equal(next, null);
      assert.deepEqual(
        items.map((r) => r.action),
        ['environment.update', 'environment.create'],
      );
      const [update, create] = items as [AuditItem, AuditItem];
      assert.equal(create.actor, 'admin');
      assert.equal(create.targetType, 'environment');
      assert.equal(create.before, null);
      assert.equal(create.after.name, 'Audit');
      assert.equal(update.actor, 'admin');
      assert.equal(update.targetName, 'Audit 2');
      assert.deepEqual([update.before.name, update.before.kind], ['Audit', 'test']);
      assert.deepEqual([update.after.name, update.after.kind], ['Audit 2', 'production']);
      assert.ok(!Number.isNaN(Date.parse(update.at)));
      assert.ok(update.at >= create.at);
    });

    test('filters by action and by target type', async () => {
      const updates = await list('?action=project.update');
      assert.equal(updates.items.length, 1);
      const [update] = updates.items as [AuditItem];
      assert.equal(update.targetId, 'audit-proj');
      assert.equal(update.before.description, '');
      assert.equal(update.after.description, 'now described');
      const projects = await list('?targetType=project&actor=admin');
      assert.deepEqual(
        projects.items.map((r) => `${r.action} ${r.targetId}`),
        ['project.update audit-proj', 'project.create audit-proj'],
      );
    });

    test('shows the records Hookline wrote itself when seeding under the actor system', async () => {
      const seeded = await list('?actor=system');
      assert.deepEqual(seeded.items.map((r) => r.targetId).sort(), [
        'default',
        'development',
        'production',
        'test',
      ]);
    });

    test('pages newest first with limit 1 through every record, none twice', async () => {
      const everything = await list('?limit=500');
      assert.equal(everything.next, null);
      assert.ok(everything.items.length >= 8);
      const paged: AuditItem[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: AuditItem[]; next: string | null } = await list(
          `?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(page.items.length, 1);
        paged.push(...page.items);
        cursor = page.next;
      } while (cursor !== null && paged.length <= everything.items.length);
      assert.deepEqual(paged, everything.items);
      const ours = paged
        .filter((r) => ['audit-env', 'audit-proj'].includes(r.targetId))
        .map((r) => r.action);
      assert.deepEqual(ours, [
        'project.update',
        'project.create',
        'environment.update',
        'environment.create',
      ]);
      for (let i = 1; i < paged.length; i++) assert.ok(paged[i - 1]!.at >= paged[i]!.at);
    });

    test('filters by time: since is inclusive, until exclusive, dates mean midnight UTC', async () => {
      const recent = await list(`?targetId=audit-env&since=${encodeURIComponent(startedAt)}`);
      assert.equal(recent.items.length, 2);
      const future = await list('?since=2999-01-01');
      assert.deepEqual(future.items, []);
      const past = await list('?until=2000-01-01T00:00:00Z');
      assert.deepEqual(past.items, []);
      const window = await list(
        `?targetId=audit-env&since=2000-01-01&until=${encodeURIComponent('2999-01-01T01:00:00+01:00')}`,
      );
      assert.equal(window.items.length, 2);
      const first = recent.items.at(-1)!;
      const fromFirst = await list(`?targetId=audit-env&since=${encodeURIComponent(first.at)}`);
      assert.equal(fromFirst.items.length, 2);
      const beforeFirst = await list(`?targetId=audit-env&until=${encodeURIComponent(first.at)}`);
      assert.deepEqual(beforeFirst.items, []);
    });

    test('refuses a timestamp that is not ISO-8601 at query.since / query.until', async () => {
      for (const [query, path] of [
        ['?since=yesterday', 'query.since'],
        ['?since=2025-13-01', 'query.since'],
        ['?until=2025-01-01T10:00:00', 'query.until'],
        ['?since=2025-02-01&until=2025-01-01', 'query.until'],
      ] as const) {
        const response = await api.request('GET', `/api/v1/audit${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          response.body.error.details.problems.map((p: { path: string }) => p.path),
          [path],
          query,
        );
      }
    });

    test('refuses a cursor it did not hand out at query.cursor', async () => {
      const response = await api.request('GET', '/api/v1/audit?cursor=not-a-cursor');
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        response.body.error.details.problems.map((p: { path: string }) => p.path),
        ['query.cursor'],
      );
    });

    test('masks a literal Authorization value in before and after, keeping secret references', async () => {
      const { services } = api;
      const headers = (list: Array<[string, string]>) => ({
        environments: {
          production: { headers: list.map(([name, value]) => ({ name, value })) },
        },
      });
      await services.store.transaction((tx) =>
        services.audit.record(tx, {
          actor: { id: 'tok_test', name: 'admin', role: 'admin' },
          action: 'connection.update',
          targetType: 'connection',
          targetId: 'con_masking',
          before: headers([
            ['Authorization', 'Bearer sk-live-literal-0001'],
            ['Content-Type', 'application/json'],
          ]),
          after: headers([
            ['Authorization', 'Bearer {{secret.CRM_TOKEN}}'],
            ['X-Api-Key', 'literal-api-key-0002'],
          ]),
        }),
      );
      const response = await api.request('GET', '/api/v1/audit?targetId=con_masking');
      assert.equal(response.status, 200);
      assert.ok(!response.text.includes('sk-live-literal-0001'), 'literal token leaked');
      assert.ok(!response.text.includes('literal-api-key-0002'), 'literal API key leaked');
      const [record] = response.body.items as [AuditItem];
      assert.deepEqual(record.before.environments.production.headers, [
        { name: 'Authorization', value: '****' },
        { name: 'Content-Type', value: 'application/json' },
      ]);
      assert.deepEqual(record.after.environments.production.headers, [
        { name: 'Authorization', value: 'Bearer {{secret.CRM_TOKEN}}' },
        { name: 'X-Api-Key', value: '****' },
      ]);
    });

    test('needs a bearer token', async () => {
      const response = await api.request('GET', '/api/v1/audit', undefined, { token: null });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    });
  });
}
