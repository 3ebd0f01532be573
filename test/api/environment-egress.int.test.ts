import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const noEgress = { allowCidrs: [], denyCidrs: [], denyPrivate: false };

for (const kind of testStores()) {
  describe(`environment egress policy on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    const problemsOf = (body: any): Array<{ path: string; message: string }> =>
      body.error.details.problems;

    test('seeded environments have an empty policy', async () => {
      const response = await api.request('GET', '/api/v1/environments');
      assert.equal(response.status, 200);
      for (const environment of response.body.items) {
        assert.deepEqual(environment.egress, noEgress, environment.id);
      }
    });

    test('an environment created without egress gets the empty policy', async () => {
      const created = await api.request('POST', '/api/v1/environments', {
        id: 'plain',
        name: 'Plain',
        kind: 'test',
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.egress, noEgress);
    });

    test('creates with CIDRs and reads the same policy back', async () => {
      const egress = {
        allowCidrs: ['127.0.0.0/8', '10.20.0.0/16', 'fd00:1::/32'],
        denyCidrs: ['10.20.99.0/24', '::ffff:192.168.0.0/112'],
        denyPrivate: true,
      };
      const created = await api.request('POST', '/api/v1/environments', {
        id: 'Prod-Egress',
        name: 'Production (egress)',
        kind: 'production',
        egress,
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.egress, egress);
      const read = await api.request('GET', '/api/v1/environments/prod-egress');
      assert.deepEqual(read.body.egress, egress);
      const listed = await api.request('GET', '/api/v1/environments');
      const item = listed.body.items.find((e: { id: string }) => e.id === 'Prod-Egress');
      assert.deepEqual(item.egress, egress);
    });

    test('fills the fields a create leaves out', async () => {
      const created = await api.request('POST', '/api/v1/environments', {
        id: 'partial-egress',
        name: 'Partial',
        kind: 'development',
        egress: { denyPrivate: true },
      });
      assert.equal(created.status, 201);
      assert.deepEqual(created.body.egress, { ...noEgress, denyPrivate: true });
    });

    test('a patch changes the egress fields it names and keeps the others', async () => {
      await api.request('POST', '/api/v1/environments', {
        id: 'patched',
        name: 'Patched',
        kind: 'production',
        egress: { allowCidrs: ['10.0.0.0/8'], denyCidrs: ['10.9.0.0/16'] },
      });
      const patched = await api.request('PATCH', '/api/v1/environments/patched', {
        egress: { allowCidrs: ['127.0.0.0/8', '::1/128'] },
      });
      assert.equal(patched.status, 200);
      const expected = {
        allowCidrs: ['127.0.0.0/8', '::1/128'],
        denyCidrs: ['10.9.0.0/16'],
        denyPrivate: false,
      };
      assert.deepEqual(patched.body.egress, expected);
      // a patch of another field leaves the policy alone
      const renamed = await api.request('PATCH', '/api/v1/environments/patched', { name: 'P2' });
      assert.deepEqual(renamed.body.egress, expected);
      const read = await api.request('GET', '/api/v1/environments/patched');
      assert.deepEqual(read.body.egress, expected);
      // and lists are replaced whole: [] clears one
      const cleared = await api.request('PATCH', '/api/v1/environments/patched', {
        egress: { denyCidrs: [], denyPrivate: true },
      });
      assert.deepEqual(cleared.body.egress, {
        allowCidrs: ['127.0.0.0/8', '::1/128'],
        denyCidrs: [],
        denyPrivate: true,
      });
    });

    test('refuses a bad CIDR with VALIDATION_FAILED at its path, on create', async () => {
      const response = await api.request('POST', '/api/v1/environments', {
        id: 'bad-egress',
        name: 'Bad',
        kind: 'production',
        egress: {
          allowCidrs: ['10.0.0.0/8', 'intranet', '10.0/8'],
          denyCidrs: ['192.168.1.7/24', '10.0.0.0/33'],
        },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      const problems = problemsOf(response.body);
      assert.deepEqual(problems.map((p) => p.path).sort(), [
        'egress.allowCidrs[1]',
        'egress.allowCidrs[2]',
        'egress.denyCidrs[0]',
        'egress.denyCidrs[1]',
      ]);
      const at = (path: string) => problems.find((p) => p.path === path)?.message;
      assert.match(at('egress.allowCidrs[1]') ?? '', /'intranet' is not a CIDR.*10\.0\.0\.0\/8/);
      assert.match(
        at('egress.denyCidrs[0]') ?? '',
        /host bits set: did you mean 192\.168\.1\.0\/24/,
      );
      const missing = await api.request('GET', '/api/v1/environments/bad-egress');
      assert.equal(missing.status, 404);
    });

    test('refuses a bad CIDR, an unknown field and a non-boolean on patch, changing nothing', async () => {
      await api.request('POST', '/api/v1/environments', {
        id: 'kept',
        name: 'Kept',
        kind: 'test',
        egress: { allowCidrs: ['10.1.0.0/16'] },
      });
      const response = await api.request('PATCH', '/api/v1/environments/kept', {
        egress: { allowCidrs: ['fe80::/10', 'nope/8'], denyPrivate: 'yes', allowLoopback: true },
      });
      assert.equal(response.status, 400);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(
        problemsOf(response.body)
          .map((p) => p.path)
          .sort(),
        ['egress.allowCidrs[1]', 'egress.allowLoopback', 'egress.denyPrivate'],
      );
      const read = await api.request('GET', '/api/v1/environments/kept');
      assert.deepEqual(read.body.egress, { ...noEgress, allowCidrs: ['10.1.0.0/16'] });
    });

    test('takes at most 256 CIDRs per list', async () => {
      const cidrs = (count: number) =>
        Array.from({ length: count }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.0/24`);
      const full = await api.request('POST', '/api/v1/environments', {
        id: 'full-list',
        name: 'Full',
        kind: 'test',
        egress: { denyCidrs: cidrs(256) },
      });
      assert.equal(full.status, 201);
      assert.equal(full.body.egress.denyCidrs.length, 256);
      const over = await api.request('PATCH', '/api/v1/environments/full-list', {
        egress: { denyCidrs: cidrs(257) },
      });
      assert.equal(over.status, 400);
      assert.deepEqual(
        problemsOf(over.body).map((p) => p.path),
        ['egress.denyCidrs'],
      );
    });

    test('records the policy change in the audit log', async () => {
      await api.request('PATCH', '/api/v1/environments/production', {
        egress: { allowCidrs: ['127.0.0.0/8'] },
      });
      const audit = await api.request('GET', '/api/v1/audit?targetType=environment&limit=500');
      assert.equal(audit.status, 200);
      const record = audit.body.items.find(
        (r: any) => r.action === 'environment.update' && r.targetId === 'production',
      );
      assert.ok(record, 'an environment.update record for production');
      assert.deepEqual(record.before.egress, noEgress);
      assert.deepEqual(record.after.egress.allowCidrs, ['127.0.0.0/8']);
    });
  });
}
