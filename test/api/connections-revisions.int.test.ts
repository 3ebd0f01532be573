import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/connections';

function connection(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    environments: {
      production: { method: 'POST', url: 'https://crm.example.com/hooks' },
      test: { method: 'POST', url: 'https://crm-test.example.com/hooks' },
    },
    ...extra,
  };
}

async function revisionCount(api: TestApi, connectionId: string): Promise<number> {
  const rows = await api.services.store.db
    .selectFrom('connection_revisions')
    .select('revision')
    .where('connection_id', '=', connectionId)
    .execute();
  return rows.length;
}

async function auditActions(api: TestApi, targetId: string): Promise<string[]> {
  const { items } = await api.services.audit.list({ limit: 50, targetId });
  return items.map((record) => record.action);
}

for (const kind of testStores()) {
  describe(`connection revisions on ${kind.name}`, () => {
    let api: TestApi;
    const create = async (body: unknown) => {
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 201, response.text);
      return response.body;
    };
    const ok = async (method: string, path: string, body?: unknown, ifMatch?: string) => {
      const response = await api.request(method, path, body, {
        headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      });
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    };

    before(async () => {
      api = await startTestApi(kind);
      await ok('POST', '/api/v1/projects', { id: 'team-a', name: 'Team A' });
    });
    after(() => api.close());

    test('a PUT that changes the configuration makes a new revision; the same PUT again does not', async () => {
      const created = await create(connection('Put_Target'));
      const changed = connection('Put_Target', { description: 'now described', critical: true });
      const put = await api.request('PUT', `${base}/${created.id}`, changed);
      assert.equal(put.status, 200, put.text);
      assert.equal(put.body.revision, 2);
      assert.equal(put.headers.get('etag'), '"2"');
      assert.deepEqual([put.body.description, put.body.critical], ['now described', true]);
      assert.equal(put.body.createdAt, created.createdAt);

      const again = await api.request('PUT', `${base}/put_target`, changed);
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, put.body, 'nothing changed, not even updatedAt');
      assert.equal(await revisionCount(api, created.id), 2);
      assert.deepEqual(await auditActions(api, created.id), [
        'connection.update',
        'connection.create',
      ]);
    });

    test('a PUT that only disables or moves the connection is audited without a revision', async () => {
      const created = await create(connection('Put_Move'));
      const moved = await ok(
        'PUT',
        `${base}/${created.id}`,
        connection('Put_Move', { project: 'team-a', enabled: false }),
      );
      assert.deepEqual([moved.project, moved.enabled, moved.revision], ['team-a', false, 1]);
      const global = await ok(
        'PUT',
        `${base}/${created.id}`,
        connection('Put_Move', { global: true }),
      );
      assert.deepEqual(
        [global.project, global.global, global.enabled, global.revision],
        [null, true, true, 1],
      );
      assert.equal(await revisionCount(api, created.id), 1);
      assert.deepEqual(await auditActions(api, created.id), [
        'connection.update',
        'connection.update',
        'connection.create',
      ]);
    });

    test('a PUT can rename; the new name is checked like a new one', async () => {
      const created = await create(connection('Old_Name'));
      await create(connection('Someone_Else'));
      const clash = await api.request('PUT', `${base}/${created.id}`, connection('SOMEONE_ELSE'));
      assert.equal(clash.status, 409);
      assert.equal(clash.body.error.code, 'CONNECTION_NAME_TAKEN');
      const renamed = await ok('PUT', `${base}/old_name`, connection('New_Name'));
      assert.deepEqual([renamed.name, renamed.revision], ['New_Name', 2]);
      assert.equal((await api.request('GET', `${base}/old_name`)).status, 404);
      assert.equal((await api.request('GET', `${base}/new_name`)).body.id, created.id);
      const recased = await ok('PUT', `${base}/new_name`, connection('NEW_NAME'));
      assert.deepEqual([recased.name, recased.revision], ['NEW_NAME', 3]);
    });

    test('PATCH merges onto the current connection: null removes an environment', async () => {
      const created = await create(connection('Patch_Target'));
      const described = await ok('PATCH', `${base}/${created.id}`, { description: 'x' });
      assert.deepEqual([described.description, described.revision], ['x', 2]);
      assert.deepEqual(described.environments, created.environments);

      const nested = await api.request(
        'PATCH',
        `${base}/${created.id}`,
        { environments: { production: { method: 'PUT', requestTimeoutMs: 10000 } } },
        { headers: { 'content-type': 'application/merge-patch+json' } },
      );
      assert.equal(nested.status, 200, nested.text);
      assert.deepEqual(nested.body.environments.production, {
        ...created.environments.production,
        method: 'PUT',
        requestTimeoutMs: 10000,
      });
      assert.equal(nested.body.revision, 3);

      // the test environment is in use until the connection drops it
      const inUse = await api.request('GET', `${base}?environment=test&q=patch_target`);
      assert.equal(inUse.body.items.length, 1);
      const removed = await ok('PATCH', `${base}/${created.id}`, { environments: { test: null } });
      assert.deepEqual(Object.keys(removed.environments), ['production']);
      assert.equal(removed.revision, 4);
      const after = await api.request('GET', `${base}?environment=test&q=patch_target`);
      assert.equal(after.body.items.length, 0);
      assert.deepEqual(await auditActions(api, created.id), [
        'connection.update',
        'connection.update',
        'connection.update',
        'connection.create',
      ]);
    });

    test('PATCH validates the merged result with field paths and writes nothing when it fails', async () => {
      const created = await create(connection('Patch_Invalid'));
      const response = await api.request('PATCH', `${base}/${created.id}`, {
        environments: { production: { url: 'ftp://x', headers: [{ name: 'Host', value: 'x' }] } },
        colour: 'blue',
      });
      assert.equal(response.status, 400);
      assert.deepEqual(
        response.body.error.details.problems.map((p: { path: string }) => p.path).sort(),
        ['colour', 'environments.production.headers[0].name', 'environments.production.url'],
      );
      assert.equal(await revisionCount(api, created.id), 1);
      assert.deepEqual((await api.request('GET', `${base}/${created.id}`)).body, created);
    });

    test('If-Match with a stale revision answers REVISION_CONFLICT; the current one goes through', async () => {
      const created = await create(connection('Guarded'));
      await ok('PATCH', `${base}/${created.id}`, { description: 'first' }, '"1"');
      for (const stale of ['"1"', '1', 'W/"1"']) {
        const response = await api.request(
          'PATCH',
          `${base}/${created.id}`,
          { description: 'second' },
          { headers: { 'if-match': stale } },
        );
        assert.equal(response.status, 409, stale);
        assert.equal(response.body.error.code, 'REVISION_CONFLICT');
        assert.equal(response.body.error.details.revision, 2);
      }
      const put = await api.request('PUT', `${base}/${created.id}`, connection('Guarded'), {
        headers: { 'if-match': '"1"' },
      });
      assert.equal(put.body.error.code, 'REVISION_CONFLICT');
      const current = await ok('PUT', `${base}/${created.id}`, connection('Guarded'), '2');
      assert.equal(current.revision, 3);
      assert.equal((await ok('PATCH', `${base}/guarded`, { description: 'y' }, '*')).revision, 4);
      const bad = await api.request(
        'PATCH',
        `${base}/guarded`,
        { description: 'z' },
        {
          headers: { 'if-match': 'yesterday' },
        },
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.details.problems[0].path, 'headers.if-match');
    });

    test('lists revisions newest first, page by page, and reads one with its configuration', async () => {
      const created = await create(connection('History'));
      for (let i = 1; i <= 4; i++)
        await ok('PATCH', `${base}/${created.id}`, { description: `v${i}` });
      const seen: number[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await ok(
          'GET',
          `${base}/history/revisions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((r: { revision: number }) => r.revision));
        cursor = page.next;
      } while (cursor);
      assert.deepEqual(seen, [5, 4, 3, 2, 1]);

      const first = await ok('GET', `${base}/${created.id}/revisions?limit=1`);
      assert.deepEqual(Object.keys(first.items[0]).sort(), [
        'action',
        'createdAt',
        'createdBy',
        'revision',
      ]);
      assert.deepEqual([first.items[0].action, first.items[0].createdBy], ['update', 'admin']);

      const revision = await ok('GET', `${base}/${created.id}/revisions/1`);
      assert.deepEqual(revision, {
        connectionId: created.id,
        revision: 1,
        action: 'create',
        createdAt: created.createdAt,
        createdBy: 'admin',
        spec: {
          name: 'History',
          description: '',
          critical: false,
          environments: created.environments,
        },
      });
      const three = await ok('GET', `${base}/history/revisions/3`);
      assert.equal(three.spec.description, 'v2');

      for (const missing of ['6', '0']) {
        const response = await api.request('GET', `${base}/${created.id}/revisions/${missing}`);
        assert.equal(response.status, missing === '0' ? 400 : 404, missing);
      }
      const unknown = await api.request('GET', `${base}/${created.id}/revisions/99`);
      assert.equal(unknown.body.error.code, 'NOT_FOUND');
    });

    test('rollback saves an old configuration as a new revision', async () => {
      const created = await create(connection('Rollback_Target', { description: 'original' }));
      await ok('PUT', `${base}/${created.id}`, {
        ...connection('Rollback_Renamed', { description: 'changed', critical: true }),
        environments: { production: { method: 'GET', url: 'https://new.example.com' } },
      });
      await ok('POST', `${base}/${created.id}/disable`);
      const rolled = await ok('POST', `${base}/rollback_renamed/rollback`, { revision: 1 });
      assert.equal(rolled.revision, 3);
      assert.deepEqual(
        [rolled.name, rolled.description, rolled.critical, rolled.environments],
        ['Rollback_Target', 'original', false, created.environments],
      );
      assert.equal(rolled.enabled, false, 'rollback restores configuration, not the state');
      const revisions = await ok('GET', `${base}/${created.id}/revisions`);
      assert.deepEqual(
        revisions.items.map(
          (r: { revision: number; action: string }) => `${r.revision} ${r.action}`,
        ),
        ['3 rollback', '2 update', '1 create'],
      );
      assert.deepEqual(await auditActions(api, created.id), [
        'connection.rollback',
        'connection.disable',
        'connection.update',
        'connection.create',
      ]);
      const unknown = await api.request('POST', `${base}/${created.id}/rollback`, { revision: 7 });
      assert.equal(unknown.status, 404);
    });

    test('rollback checks the old configuration against today: a deleted environment, a taken name', async () => {
      await ok('POST', '/api/v1/environments', { id: 'staging', name: 'Staging', kind: 'test' });
      const created = await create({
        name: 'Revalidated',
        environments: {
          production: { method: 'POST', url: 'https://a.example.com' },
          staging: { method: 'POST', url: 'https://s.example.com' },
        },
      });
      await ok('PATCH', `${base}/${created.id}`, { environments: { staging: null } });
      await ok('DELETE', '/api/v1/environments/staging');
      const gone = await api.request('POST', `${base}/${created.id}/rollback`, { revision: 1 });
      assert.equal(gone.status, 400);
      assert.equal(gone.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(gone.body.error.details.problems, [
        { path: 'environments.staging', message: "unknown environment 'staging'" },
      ]);

      await ok('PATCH', `${base}/${created.id}`, { name: 'Revalidated_2' });
      await create(connection('REVALIDATED'));
      const auditBefore = await auditActions(api, created.id);
      const taken = await api.request('POST', `${base}/${created.id}/rollback`, { revision: 2 });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, 'CONNECTION_NAME_TAKEN');
      assert.equal(await revisionCount(api, created.id), 3);
      assert.deepEqual(await auditActions(api, created.id), auditBefore);
      assert.equal((await api.request('GET', `${base}/${created.id}`)).body.name, 'Revalidated_2');
    });

    test('duplicate copies the configuration and the enabled flag into a new connection', async () => {
      const source = await create(
        connection('Dup_Source', { project: 'team-a', description: 'copied', critical: true }),
      );
      await ok('PATCH', `${base}/${source.id}`, { description: 'copied twice' });
      await ok('POST', `${base}/${source.id}/disable`);
      const response = await api.request('POST', `${base}/dup_source/duplicate?project=team-a`, {
        name: 'Dup_Copy',
      });
      assert.equal(response.status, 201, response.text);
      const copy = response.body;
      assert.equal(response.headers.get('location'), `${base}/${copy.id}`);
      assert.notEqual(copy.id, source.id);
      assert.deepEqual(
        [copy.name, copy.project, copy.revision, copy.enabled, copy.critical, copy.description],
        ['Dup_Copy', 'team-a', 1, false, true, 'copied twice'],
      );
      assert.deepEqual(copy.environments, source.environments);
      const revisions = await ok('GET', `${base}/${copy.id}/revisions`);
      assert.deepEqual(
        revisions.items.map((r: { action: string }) => r.action),
        ['duplicate'],
      );
      assert.deepEqual(await auditActions(api, copy.id), ['connection.duplicate']);

      const elsewhere = await ok('POST', `${base}/${source.id}/duplicate`, {
        name: 'Dup_Source',
        project: 'default',
      });
      assert.deepEqual([elsewhere.project, elsewhere.global], ['default', false]);
      const global = await ok('POST', `${base}/${source.id}/duplicate`, {
        name: 'Dup_Global',
        global: true,
      });
      assert.deepEqual([global.project, global.global], [null, true]);

      const taken = await api.request('POST', `${base}/${source.id}/duplicate`, {
        name: 'DUP_COPY',
      });
      assert.equal(taken.status, 409);
      assert.equal(taken.body.error.code, 'CONNECTION_NAME_TAKEN');
      const noProject = await api.request('POST', `${base}/${source.id}/duplicate`, {
        name: 'Dup_Nowhere',
        project: 'nowhere',
      });
      assert.equal(noProject.status, 400);
      assert.equal(noProject.body.error.details.problems[0].path, 'project');
    });
  });
}
