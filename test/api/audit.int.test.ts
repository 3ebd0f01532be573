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
      // the first admin user is created under system too (its id is random)
      assert.deepEqual(
        seeded.items
          .filter((r) => r.targetType === 'environment' || r.targetType === 'project')
          .map((r) => `${r.targetType} ${r.targetId}`)
          .sort(),
        [
          'environment development',
          'environment production',
          'environment test',
          'project default',
        ],
      );
      assert.ok(seeded.items.every((r) => r.action.endsWith('.create')));
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

for (const kind of testStores()) {
  describe(`audit export on ${kind.name}`, () => {
    let api: TestApi;
    /** 1,000: two full pages of the export's 500, then an empty read */
    const bulkCount = 1000;
    const literals = ['sk-live-export-0001', 'api-key-export-0002', 'sid-export-0003', 'pw-0004'];
    before(async () => {
      api = await startTestApi(kind);
      const steps: Array<[string, string, unknown]> = [
        ['POST', '/api/v1/environments', { id: 'export-env', name: 'Export', kind: 'test' }],
        ['PATCH', '/api/v1/environments/export-env', { name: 'Export 2' }],
        ['POST', '/api/v1/projects', { id: 'export-proj', name: 'Exported' }],
      ];
      for (const [method, path, body] of steps) {
        const response = await api.request(method, path, body);
        assert.ok(response.status < 300, `${method} ${path}: ${response.text}`);
      }
      const { services } = api;
      const actor = { id: 'usr_bulk', name: 'bulk', role: 'admin' } as const;
      const headers = (token: string) => ({
        environments: {
          production: {
            url: 'https://crm.example.com',
            headers: [
              { name: 'Authorization', value: `Bearer ${token}` },
              { name: 'X-Api-Key', value: literals[1] },
              { name: 'Cookie', value: `session=${literals[2]}` },
              { name: 'X-Password', value: literals[3] },
              { name: 'Accept', value: 'application/json' },
            ],
          },
        },
      });
      await services.store.transaction(async (tx) => {
        await services.audit.record(tx, {
          actor: { id: 'usr_admin', name: 'admin', role: 'admin' },
          action: 'connection.update',
          targetType: 'connection',
          targetId: 'con_export_masking',
          before: headers(literals[0]!),
          after: headers('{{secret.CRM_TOKEN}}'),
        });
        for (let i = 0; i < bulkCount; i++) {
          await services.audit.record(tx, {
            actor,
            action: 'bulk.touch',
            targetType: 'bulk-item',
            targetId: `item-${String(i).padStart(4, '0')}`,
            after: { i },
          });
        }
      });
    });
    after(() => api.close());

    const exportOf = async (query = '') => {
      const response = await api.request('GET', `/api/v1/audit/export${query}`);
      assert.equal(response.status, 200, response.text);
      assert.ok(response.text === '' || response.text.endsWith('\n'), 'ends each line');
      const lines = response.text === '' ? [] : response.text.slice(0, -1).split('\n');
      return {
        response,
        records: lines.map((line, i) => {
          assert.doesNotThrow(() => JSON.parse(line), `line ${i + 1} is not JSON: ${line}`);
          return JSON.parse(line) as AuditItem;
        }),
      };
    };

    /** the whole list, newest first, page by page */
    const listAll = async (query = '') => {
      const items: AuditItem[] = [];
      let cursor: string | null = null;
      do {
        const separator = query === '' ? '?' : '&';
        const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const response = await api.request(
          'GET',
          `/api/v1/audit${query}${separator}limit=500${after}`,
        );
        assert.equal(response.status, 200, response.text);
        items.push(...(response.body.items as AuditItem[]));
        cursor = response.body.next as string | null;
      } while (cursor !== null);
      return items;
    };

    test('answers JSON Lines as a dated download: every record, oldest first, as the list has them', async () => {
      const before = new Date().toISOString().slice(0, 10);
      const { response, records } = await exportOf();
      const afterDay = new Date().toISOString().slice(0, 10);
      assert.match(response.headers.get('content-type') ?? '', /^application\/x-ndjson\b/);
      const disposition = response.headers.get('content-disposition') ?? '';
      assert.match(disposition, /^attachment; filename="hookline-audit-\d{4}-\d{2}-\d{2}\.jsonl"$/);
      const day = /hookline-audit-(.+)\.jsonl/.exec(disposition)![1];
      assert.ok(day === before || day === afterDay, disposition);

      const listed = await listAll();
      assert.ok(records.length > bulkCount + 8, `only ${records.length} records`);
      assert.deepEqual(records, listed.reverse());
      assert.equal(new Set(records.map((r) => r.id)).size, records.length);
      for (let i = 1; i < records.length; i++) assert.ok(records[i - 1]!.at <= records[i]!.at);
      assert.deepEqual(Object.keys(records[0]!), [
        'id',
        'at',
        'actor',
        'action',
        'targetType',
        'targetId',
        'targetName',
        'before',
        'after',
      ]);
    });

    test(`pages past 500 records: a filter by actor holds exactly the ${bulkCount} bulk records, in order`, async () => {
      const { records } = await exportOf('?actor=bulk');
      assert.equal(records.length, bulkCount);
      assert.deepEqual(
        records.map((r) => r.targetId),
        Array.from({ length: bulkCount }, (_, i) => `item-${String(i).padStart(4, '0')}`),
      );
      assert.ok(records.every((r, i) => r.actor === 'bulk' && r.after.i === i));
    });

    test('filters by target type, action, target id and time as the list does', async () => {
      for (const query of [
        '?targetType=project',
        '?targetType=environment&actor=admin',
        '?action=environment.update',
        '?targetId=export-env&since=2000-01-01&until=2999-01-01T00:00:00Z',
        '?targetType=bulk-item&targetId=item-0500',
      ]) {
        const { records } = await exportOf(query);
        const listed = await listAll(query);
        assert.ok(records.length > 0, query);
        assert.deepEqual(records, listed.reverse(), query);
      }
      const projects = await exportOf('?targetType=project&actor=admin');
      assert.deepEqual(
        projects.records.map((r) => `${r.action} ${r.targetId}`),
        ['project.create export-proj'],
      );
      const env = await exportOf('?targetId=export-env');
      assert.deepEqual(
        env.records.map((r) => r.action),
        ['environment.create', 'environment.update'],
      );
      const none = await exportOf('?since=2999-01-01');
      assert.deepEqual(none.records, []);
      assert.equal(none.response.text, '');
    });

    test('never writes a literal credential; masked values and secret references stay', async () => {
      const { response, records } = await exportOf();
      for (const literal of literals) assert.ok(!response.text.includes(literal), literal);
      const record = records.find((r) => r.targetId === 'con_export_masking')!;
      assert.deepEqual(
        record.before.environments.production.headers.map((h: { value: string }) => h.value),
        ['****', '****', '****', '****', 'application/json'],
      );
      assert.equal(
        record.after.environments.production.headers[0].value,
        'Bearer {{secret.CRM_TOKEN}}',
      );
    });

    test('refuses a bad filter with VALIDATION_FAILED at its query path', async () => {
      for (const [query, path] of [
        ['?since=yesterday', 'query.since'],
        ['?since=2025-02-01&until=2025-01-01', 'query.until'],
        [`?actor=${'a'.repeat(201)}`, 'query.actor'],
      ] as const) {
        const response = await api.request('GET', `/api/v1/audit/export${query}`);
        assert.equal(response.status, 400, query);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(
          response.body.error.details.problems.map((p: { path: string }) => p.path),
          [path],
        );
      }
    });

    test('needs a bearer token', async () => {
      const response = await api.request('GET', '/api/v1/audit/export', undefined, {
        token: null,
      });
      assert.equal(response.status, 401);
      assert.equal(response.body.error.code, 'UNAUTHENTICATED');
    });

    test('refuses to update or delete an audit record in the store: the log is append-only', async () => {
      const { db } = api.services.store;
      const read = () =>
        db.selectFrom('audit_records').selectAll().where('target_id', '=', 'item-0007').execute();
      const [row] = await read();
      assert.ok(row);
      const countBefore = await db
        .selectFrom('audit_records')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      await assert.rejects(
        db
          .updateTable('audit_records')
          .set({ actor: 'mallory' })
          .where('id', '=', row.id)
          .execute(),
        /append-only/,
      );
      await assert.rejects(
        db.deleteFrom('audit_records').where('id', '=', row.id).execute(),
        /append-only/,
      );
      await assert.rejects(db.deleteFrom('audit_records').execute(), /append-only/);
      assert.deepEqual(await read(), [row]);
      const countAfter = await db
        .selectFrom('audit_records')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(countAfter.n), Number(countBefore.n));
      // a new record still lands
      await api.services.store.transaction((tx) =>
        api.services.audit.record(tx, {
          actor: { id: 'usr_admin', name: 'admin', role: 'admin' },
          action: 'bulk.touch',
          targetType: 'bulk-item',
          targetId: 'item-after',
        }),
      );
      assert.equal((await exportOf('?targetId=item-after')).records.length, 1);
    });
  });
}
