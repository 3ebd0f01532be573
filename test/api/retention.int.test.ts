// Retention (issue 13 §6): a loop of saves cannot grow the store without bound. The sweep keeps
// each connection's newest HOOKLINE_REVISION_RETENTION revisions plus every revision something
// still points to, and prunes audit records older than HOOKLINE_AUDIT_RETENTION_DAYS, while the
// audit log stays append-only for everything newer. A change that changes nothing writes
// nothing.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser, type TestUser } from '../helpers/test-users.ts';

const base = '/api/v1/connections';
const dayMs = 86_400_000;
const keep = 3;

for (const kind of testStores()) {
  describe(`retention on ${kind.name}`, () => {
    let api: TestApi;
    let alice: TestUser;
    let offsetMs = 0;
    before(async () => {
      api = await startTestApi(kind, {
        clock: { now: () => new Date(Date.now() + offsetMs) },
        retention: { revisionRetention: keep, auditRetentionMs: 365 * dayMs },
      });
      alice = await addUser(api.services, 'admin', 'alice');
    });
    after(() => api.close());

    const ok = async (method: string, path: string, body?: unknown) => {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    };
    const revisionNumbers = async (id: string) =>
      (await ok('GET', `${base}/${id}/revisions?limit=100`)).items.map(
        (item: { revision: number }) => item.revision,
      );
    const auditOf = async (targetId: string) =>
      (await ok('GET', `/api/v1/audit?targetId=${targetId}&limit=100`)).items as Array<{
        action: string;
      }>;

    test(`${keep + 5} saves with retention ${keep}: the newest ${keep} remain, with the deployed revision and the one an approval waits for`, async () => {
      const created = await ok('POST', base, {
        name: uniqueName('Kept'),
        critical: true,
        environments: {
          development: { method: 'POST', url: 'https://hooks.example.com/dev' },
          production: { method: 'POST', url: 'https://hooks.example.com/prod' },
        },
      });
      const id = created.id as string;
      await ok('POST', `${base}/${id}/deploy`, { environment: 'development' });
      await ok('PATCH', `${base}/${id}`, { description: 'revision 2' });
      const asked = await api.request('POST', `${base}/${id}/deploy`, {
        environment: 'production',
      });
      assert.equal(asked.status, 409, asked.text);
      const approvalId = asked.body.error.details.approvalId as string;
      for (let revision = 3; revision <= keep + 6; revision++) {
        await ok('PATCH', `${base}/${id}`, { description: `revision ${revision}` });
      }
      assert.deepEqual(await revisionNumbers(id), [9, 8, 7, 6, 5, 4, 3, 2, 1]);

      const swept = await api.services.retention.sweep();
      assert.equal(swept.revisions, 4);
      assert.deepEqual(await revisionNumbers(id), [9, 8, 7, 2, 1]);
      assert.equal((await api.request('GET', `${base}/${id}/revisions/5`)).status, 404);
      // what runs still runs, and the approval still deploys what it was asked for
      assert.equal((await ok('GET', `${base}/${id}`)).deployments.development.revision, 1);
      const approved = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        {},
        { token: alice.token },
      );
      assert.equal(approved.status, 200, approved.text);
      assert.equal((await ok('GET', `${base}/${id}`)).deployments.production.revision, 2);
      // a second sweep finds nothing more to remove
      assert.equal((await api.services.retention.sweep()).revisions, 0);
      assert.deepEqual(await revisionNumbers(id), [9, 8, 7, 2, 1]);
    });

    test('audit records older than the retention are pruned, newer ones kept; nothing newer can be deleted', async () => {
      offsetMs = -400 * dayMs;
      await ok('POST', '/api/v1/projects', { id: 'old-team', name: 'Old team' });
      offsetMs = -300 * dayMs;
      await ok('POST', '/api/v1/projects', { id: 'recent-team', name: 'Recent team' });
      offsetMs = 0;
      assert.equal((await auditOf('old-team')).length, 1);

      // append-only: a plain delete is refused, and so is one under a cutoff that is too new
      const db = api.services.store.db;
      await assert.rejects(
        db.deleteFrom('audit_records').where('target_id', '=', 'old-team').execute(),
        /append-only/,
      );
      await assert.rejects(
        api.services.store.transaction(async (tx) => {
          await tx.insertInto('audit_prune').values({ cutoff: new Date().toISOString() }).execute();
          await tx.deleteFrom('audit_records').where('target_id', '=', 'recent-team').execute();
        }),
        /append-only/,
      );
      assert.equal((await auditOf('recent-team')).length, 1);

      const swept = await api.services.retention.sweep();
      assert.equal(swept.auditRecords, 1);
      assert.deepEqual(await auditOf('old-team'), []);
      assert.deepEqual(
        (await auditOf('recent-team')).map((record) => record.action),
        ['project.create'],
      );
      const prunes = await ok('GET', '/api/v1/audit?action=audit.prune');
      assert.equal(prunes.items.length, 1);
      assert.equal(prunes.items[0].actor, 'system');
      assert.equal(prunes.items[0].after.removed, 1);
      assert.equal((await db.selectFrom('audit_prune').selectAll().execute()).length, 0);
      // the projects themselves are untouched
      assert.equal((await ok('GET', '/api/v1/projects/old-team')).name, 'Old team');
    });

    test('a PATCH that changes nothing writes no revision and no audit record', async () => {
      const created = await ok('POST', base, {
        name: uniqueName('Still'),
        description: 'as it is',
        environments: { development: { method: 'POST', url: 'https://hooks.example.com/x' } },
      });
      await ok('POST', '/api/v1/projects', { id: 'steady', name: 'Steady', description: 'd' });
      const users = await ok('GET', '/api/v1/users?limit=500');
      const bob = users.items.find((user: { username: string }) => user.username === 'alice');
      const targets = {
        connection: created.id as string,
        project: 'steady',
        environment: 'development',
        user: bob.id as string,
      };
      const auditBefore = await Promise.all(Object.values(targets).map(auditOf));
      const revisionsBefore = await revisionNumbers(created.id);
      const environment = await ok('GET', '/api/v1/environments/development');
      for (let i = 0; i < 3; i++) {
        await ok('PATCH', `${base}/${created.id}`, { description: 'as it is' });
        await ok('PATCH', `${base}/${created.id}`, {});
        await ok('PATCH', '/api/v1/projects/steady', { name: 'Steady', description: 'd' });
        await ok('PATCH', '/api/v1/environments/development', {
          name: environment.name,
          kind: environment.kind,
          description: environment.description,
        });
        await ok('PATCH', `/api/v1/users/${bob.id}`, { role: 'admin', disabled: false });
      }
      assert.deepEqual(await revisionNumbers(created.id), revisionsBefore);
      assert.deepEqual(await Promise.all(Object.values(targets).map(auditOf)), auditBefore);
      const after = await ok('GET', '/api/v1/environments/development');
      assert.equal(after.updatedAt, environment.updatedAt);
      // a real change still counts
      await ok('PATCH', '/api/v1/projects/steady', { description: 'changed' });
      assert.equal((await auditOf('steady')).length, 2);
    });
  });
}
