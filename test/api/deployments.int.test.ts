// Deployments over the real API on both stores: deploy, undeploy, Save and Deploy, the
// history, what the runtime resolves (getDeployed) and the change signal it listens to.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '../../src/core/errors.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/connections';

function body(name: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    environments: {
      production: { method: 'POST', url: 'https://crm.example.com/hooks' },
      test: { method: 'POST', url: 'https://crm-test.example.com/hooks' },
    },
    ...extra,
  };
}

/** The code an async call was refused with, or 'ok'. */
async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'ok';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

for (const kind of testStores()) {
  describe(`deployments on ${kind.name}`, () => {
    let api: TestApi;

    const ok = async (method: string, path: string, payload?: unknown, ifMatch?: string) => {
      const response = await api.request(method, path, payload, {
        headers: ifMatch === undefined ? {} : { 'if-match': ifMatch },
      });
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    };
    const create = (extra: Record<string, unknown> = {}) =>
      ok('POST', base, body(uniqueName('Deploy'), extra));
    /** Saves a new revision by changing the description; answers its number. */
    const saveRevision = async (id: string, description: string) =>
      (await ok('PATCH', `${base}/${id}`, { description })).revision as number;
    const history = async (id: string, query = '') =>
      (await ok('GET', `${base}/${id}/deployments${query}`)).items as any[];
    const problemsOf = (response: { body: any }) => response.body.error.details.problems;

    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('deploy pins the latest revision; the connection and the runtime see it', async () => {
      const created = await create();
      await saveRevision(created.id, 'second');
      const result = await ok('POST', `${base}/${created.name}/deploy`, {
        environment: 'production',
      });
      assert.equal(result.outcome, 'deployed');
      assert.deepEqual(
        [result.connectionId, result.environment, result.action, result.revision],
        [created.id, 'production', 'deploy', 2],
      );
      assert.equal(result.previousRevision, null);
      assert.equal(result.createdBy, created.createdBy);
      assert.match(result.message, /deployed revision 2 to production/);

      const connection = await ok('GET', `${base}/${created.id}`);
      assert.deepEqual(Object.keys(connection.deployments), ['production']);
      assert.equal(connection.deployments.production.revision, 2);
      assert.equal(connection.deployments.production.deployedBy, created.createdBy);

      const deployed = await api.services.deployments.getDeployed(created.name, 'Production');
      assert.deepEqual(
        [
          deployed.connectionId,
          deployed.environmentId,
          deployed.environmentKind,
          deployed.revision,
        ],
        [created.id, 'production', 'production', 2],
      );
      assert.equal(deployed.params.url, 'https://crm.example.com/hooks');
      assert.equal(deployed.enabled, true);
    });

    test('a given revision is deployed; the same one again is `unchanged`, recorded, not audited', async () => {
      const created = await create();
      const second = await saveRevision(created.id, 'second');
      await saveRevision(created.id, 'third');
      const first = await ok('POST', `${base}/${created.id}/deploy`, {
        environment: 'test',
        revision: second,
      });
      assert.deepEqual([first.outcome, first.revision], ['deployed', 2]);
      const again = await ok('POST', `${base}/${created.id}/deploy`, {
        environment: 'test',
        revision: second,
      });
      assert.deepEqual(
        [again.outcome, again.revision, again.previousRevision],
        ['unchanged', 2, 2],
      );
      const latest = await ok('POST', `${base}/${created.id}/deploy`, { environment: 'test' });
      assert.deepEqual(
        [latest.outcome, latest.revision, latest.previousRevision],
        ['deployed', 3, 2],
      );

      assert.deepEqual(
        (await history(created.id)).map((r) => [r.outcome, r.revision]),
        [
          ['deployed', 3],
          ['unchanged', 2],
          ['deployed', 2],
        ],
      );
      const audit = await api.services.audit.list({ limit: 50, targetId: created.id });
      const deploys = audit.items.filter((record) => record.action === 'connection.deploy');
      assert.equal(deploys.length, 2);
      assert.deepEqual(deploys[0]?.before, { environment: 'test', revision: 2 });
      assert.deepEqual(deploys[0]?.after, { environment: 'test', revision: 3 });
    });

    test('deploy rules answer at their field path, and each refusal is kept as `failed`', async () => {
      const created = await create({
        environments: { production: { method: 'POST', url: 'https://crm.example.com/hooks' } },
      });
      const unknown = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'prodution',
      });
      assert.equal(unknown.status, 400);
      assert.deepEqual(problemsOf(unknown), [
        { path: 'environment', message: "unknown environment 'prodution'" },
      ]);

      const noParams = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'test',
      });
      assert.equal(noParams.status, 400);
      assert.equal(problemsOf(noParams)[0].path, 'environment');
      assert.match(
        problemsOf(noParams)[0].message,
        /revision 1 .* has no parameters for environment 'test'/,
      );

      const noRevision = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'production',
        revision: 7,
      });
      assert.equal(noRevision.status, 404);
      assert.equal(noRevision.body.error.code, 'NOT_FOUND');
      assert.match(noRevision.body.error.message, /revision '.*@7'/);

      const schema = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'production',
        revision: 0,
      });
      assert.equal(schema.status, 400);
      assert.equal(problemsOf(schema)[0].path, 'revision');

      const results = await history(created.id);
      assert.deepEqual(
        results.map((r) => [r.outcome, r.environment, r.revision]),
        [
          ['failed', 'production', 7],
          ['failed', 'test', 1],
        ],
        'refusals by a deploy rule are history; a request the schema refused, or one naming an environment that does not exist, is not',
      );
      assert.equal(results[1].message, noParams.body.error.message);
      // each refusal is a notification too, by its code (one line per code and minute)
      const notified = await ok('GET', `/api/v1/notifications?connection=${created.id}`);
      assert.deepEqual(
        notified.items
          .map((n: any) => [n.kind, n.code, n.environment, n.connection, n.count])
          .sort((a: string[], b: string[]) => `${a[1]}${a[2]}`.localeCompare(`${b[1]}${b[2]}`)),
        [
          ['deploy_failed', 'NOT_FOUND', 'production', created.name, 1],
          ['deploy_failed', 'VALIDATION_FAILED', 'test', created.name, 1],
        ],
      );
      assert.match(
        notified.items.find((n: any) => n.environment === 'test').message,
        /^deploy refused: environment: revision 1 .* has no parameters for environment 'test'/,
      );
      const connection = await ok('GET', `${base}/${created.id}`);
      assert.deepEqual(connection.deployments, {});
      const audit = await api.services.audit.list({ limit: 50, targetId: created.id });
      assert.deepEqual(
        audit.items.map((r) => r.action),
        ['connection.create'],
      );
    });

    test('a deploy or undeploy naming an environment that does not exist leaves the history as it was', async () => {
      const created = await create();
      assert.equal(
        (await api.request('POST', `${base}/${created.id}/deploy`, { environment: 'test' })).status,
        200,
      );
      const before = await history(created.id);
      const deploy = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'no-such-env',
      });
      assert.equal(deploy.status, 400, deploy.text);
      assert.deepEqual(problemsOf(deploy), [
        { path: 'environment', message: "unknown environment 'no-such-env'" },
      ]);
      const undeploy = await api.request('POST', `${base}/${created.id}/undeploy`, {
        environment: 'no-such-env',
      });
      assert.equal(undeploy.status, 400, undeploy.text);
      assert.equal(problemsOf(undeploy)[0].path, 'environment');
      assert.deepEqual(await history(created.id), before);
      const filtered = await ok('GET', `${base}/${created.id}/deployments?environment=no-such-env`);
      assert.deepEqual(filtered.items, []);
    });

    test('TLS verification off cannot be deployed to an environment that became production-kind', async () => {
      await ok('POST', '/api/v1/environments', { id: 'stage-tls', name: 'Stage', kind: 'test' });
      const created = await create({
        environments: {
          'stage-tls': {
            method: 'POST',
            url: 'https://stage.example.com/hooks',
            tls: { verify: false },
          },
        },
      });
      await ok('PATCH', '/api/v1/environments/stage-tls', { kind: 'production' });
      const refused = await api.request('POST', `${base}/${created.id}/deploy`, {
        environment: 'stage-tls',
      });
      assert.equal(refused.status, 400);
      assert.equal(problemsOf(refused)[0].path, 'environment');
      assert.match(problemsOf(refused)[0].message, /TLS verification off/);
    });

    test('If-Match: a deploy based on a stale read is refused and not recorded', async () => {
      const created = await create();
      await saveRevision(created.id, 'second');
      const stale = await api.request(
        'POST',
        `${base}/${created.id}/deploy`,
        { environment: 'production' },
        { headers: { 'if-match': '"1"' } },
      );
      assert.equal(stale.status, 409);
      assert.equal(stale.body.error.code, 'REVISION_CONFLICT');
      assert.deepEqual(await history(created.id), []);
      const fresh = await ok(
        'POST',
        `${base}/${created.id}/deploy`,
        { environment: 'production' },
        '"2"',
      );
      assert.equal(fresh.revision, 2);
    });

    test('a disabled connection deploys, but the runtime refuses it; undeployed is not deployed', async () => {
      const created = await create({ enabled: false });
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'production')),
        'CONNECTION_NOT_DEPLOYED',
        'not deployed is said before disabled',
      );
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'production')),
        'CONNECTION_DISABLED',
      );
      await ok('POST', `${base}/${created.id}/enable`);
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'production')),
        'ok',
      );
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'test')),
        'CONNECTION_NOT_DEPLOYED',
      );
      assert.equal(
        await codeOf(api.services.deployments.getDeployed('No_Such_Connection', 'production')),
        'NOT_FOUND',
      );
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'nowhere')),
        'NOT_FOUND',
      );

      const undeployed = await ok('POST', `${base}/${created.id}/undeploy`, {
        environment: 'production',
      });
      assert.deepEqual(
        [undeployed.action, undeployed.outcome, undeployed.revision],
        ['undeploy', 'undeployed', 1],
      );
      assert.equal(
        await codeOf(api.services.deployments.getDeployed(created.id, 'production')),
        'CONNECTION_NOT_DEPLOYED',
      );
      assert.deepEqual((await ok('GET', `${base}/${created.id}`)).deployments, {});
      const again = await ok('POST', `${base}/${created.id}/undeploy`, {
        environment: 'production',
      });
      assert.deepEqual([again.outcome, again.revision], ['unchanged', null]);
      const typo = await api.request('POST', `${base}/${created.id}/undeploy`, {
        environment: 'prod',
      });
      assert.equal(typo.status, 400);
      assert.equal(problemsOf(typo)[0].path, 'environment');
      const actions = (await api.services.audit.list({ limit: 50, targetId: created.id })).items
        .map((r) => r.action)
        .filter((action) => action.endsWith('deploy'));
      assert.deepEqual(actions, ['connection.undeploy', 'connection.deploy']);
    });

    test('the history pages newest first with a cursor and filters by environment', async () => {
      const created = await create();
      for (const environment of ['production', 'test', 'Production']) {
        await saveRevision(created.id, `for ${environment}`);
        await ok('POST', `${base}/${created.id}/deploy`, { environment });
      }
      const first = await ok('GET', `${base}/${created.id}/deployments?limit=2`);
      assert.deepEqual(
        first.items.map((r: any) => [r.environment, r.revision]),
        [
          ['production', 4],
          ['test', 3],
        ],
      );
      assert.ok(first.next);
      const second = await ok(
        'GET',
        `${base}/${created.id}/deployments?limit=2&cursor=${encodeURIComponent(first.next)}`,
      );
      assert.deepEqual(
        second.items.map((r: any) => [r.environment, r.revision]),
        [['production', 2]],
      );
      assert.equal(second.next, null);
      assert.deepEqual(
        (await history(created.id, '?environment=PRODUCTION')).map((r) => r.revision),
        [4, 2],
      );
      const bad = await api.request('GET', `${base}/${created.id}/deployments?cursor=nope`);
      assert.equal(bad.status, 400);
      assert.equal(problemsOf(bad)[0].path, 'query.cursor');
      const missing = await api.request('GET', `${base}/No_Such_Thing/deployments`);
      assert.equal(missing.status, 404);
    });

    test('the connection list shows what each environment runs, per row', async () => {
      const tag = uniqueName('Listed').toLowerCase();
      const deployedOne = await ok('POST', base, body(`${tag}_a`));
      await ok('POST', base, body(`${tag}_b`));
      await ok('POST', `${base}/${deployedOne.id}/deploy`, { environment: 'test' });
      const page = await ok('GET', `${base}?q=${tag}`);
      assert.deepEqual(
        page.items.map((c: any) => [c.name, Object.keys(c.deployments)]),
        [
          [`${tag}_a`, ['test']],
          [`${tag}_b`, []],
        ],
      );
    });

    test('deleting a connection removes its deployments and their history', async () => {
      const created = await create();
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
      await ok('DELETE', `${base}/${created.id}`);
      const { db } = api.services.store;
      const left = [
        ...(await db
          .selectFrom('deployments')
          .select('connection_id')
          .where('connection_id', '=', created.id)
          .execute()),
        ...(await db
          .selectFrom('deployment_results')
          .select('connection_id')
          .where('connection_id', '=', created.id)
          .execute()),
      ];
      assert.deepEqual(left, []);
    });

    test('an environment still running a deployed revision cannot be deleted', async () => {
      await ok('POST', '/api/v1/environments', { id: 'staging', name: 'Staging', kind: 'test' });
      const created = await create({
        environments: { staging: { method: 'POST', url: 'https://staging.example.com/hooks' } },
      });
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'staging' });
      // the new revision no longer has staging parameters; the deployed one still runs there
      await ok('PUT', `${base}/${created.id}`, body(created.name));
      const refused = await api.request('DELETE', '/api/v1/environments/staging');
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'ENVIRONMENT_IN_USE');
      await ok('POST', `${base}/${created.id}/undeploy`, { environment: 'staging' });
      const deleted = await api.request('DELETE', '/api/v1/environments/staging');
      assert.equal(deleted.status, 204, deleted.text);
      assert.deepEqual(
        (await history(created.id, '?environment=staging')).map((r) => r.outcome),
        ['undeployed', 'deployed'],
        'the history outlives the environment',
      );
    });

    test('Save and Deploy: PUT ?deploy= saves a revision and deploys it in one answer', async () => {
      const created = await create();
      const saved = await ok(
        'PUT',
        `${base}/${created.id}?deploy=production`,
        body(created.name, { description: 'save and deploy' }),
        '"1"',
      );
      assert.equal(saved.revision, 2);
      assert.equal(saved.deployments.production.revision, 2);
      const [result] = await history(created.id);
      assert.deepEqual([result.outcome, result.revision], ['deployed', 2]);
      const deployed = await api.services.deployments.getDeployed(created.id, 'production');
      assert.equal(deployed.revision, 2);
    });

    test('Save and Deploy: a refused deploy writes neither the revision nor the deployment', async () => {
      await ok('POST', '/api/v1/environments', { id: 'qa', name: 'QA', kind: 'test' });
      const created = await create();
      await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
      const before = await ok('GET', `${base}/${created.id}`);
      const resultsBefore = await history(created.id);

      const changed = body(created.name, { description: 'never saved' });
      for (const [environment, status] of [
        ['qa', 400],
        ['nowhere', 400],
      ] as const) {
        const refused = await api.request(
          'PUT',
          `${base}/${created.id}?deploy=${environment}`,
          changed,
        );
        assert.equal(refused.status, status, refused.text);
        assert.equal(problemsOf(refused)[0].path, 'query.deploy');
      }
      const stale = await api.request('PUT', `${base}/${created.id}?deploy=production`, changed, {
        headers: { 'if-match': '"9"' },
      });
      assert.equal(stale.status, 409);

      assert.deepEqual(await ok('GET', `${base}/${created.id}`), before);
      const revisions = await ok('GET', `${base}/${created.id}/revisions`);
      assert.deepEqual(
        revisions.items.map((r: any) => r.revision),
        [1],
      );
      assert.deepEqual(await history(created.id), resultsBefore);
    });

    test('10 parallel deploys of different revisions leave one consistent deployment and 10 results', async () => {
      const created = await create();
      for (let i = 2; i <= 10; i++) await saveRevision(created.id, `revision ${i}`);
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api.request('POST', `${base}/${created.id}/deploy`, {
            environment: 'production',
            revision: i + 1,
          }),
        ),
      );
      assert.deepEqual(
        responses.map((r) => r.status),
        Array(10).fill(200),
      );
      const results = await history(created.id);
      assert.equal(results.length, 10);
      assert.ok(results.every((r) => r.outcome === 'deployed'));
      assert.deepEqual(
        results.map((r) => r.revision).sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      // oldest first, each deploy replaced exactly what the one before it deployed
      const oldestFirst = [...results].reverse();
      oldestFirst.forEach((result, i) => {
        assert.equal(result.previousRevision, i === 0 ? null : oldestFirst[i - 1].revision);
      });
      const connection = await ok('GET', `${base}/${created.id}`);
      assert.equal(connection.deployments.production.revision, results[0].revision);
      const rows = await api.services.store.db
        .selectFrom('deployments')
        .selectAll()
        .where('connection_id', '=', created.id)
        .execute();
      assert.equal(rows.length, 1);
    });

    test('the change signal fires after the commit, for what changes what the runtime resolves', async () => {
      const created = await create();
      const heard: string[] = [];
      const seen: Array<Promise<number | null>> = [];
      const stop = api.services.deployments.onChange((connectionId) => {
        heard.push(connectionId);
        // read from another connection right away: the change must already be committed
        seen.push(
          api.services.store.db
            .selectFrom('deployments')
            .select('revision')
            .where('connection_id', '=', connectionId)
            .where('environment_id', '=', 'production')
            .executeTakeFirst()
            .then((row) => (row ? Number(row.revision) : null)),
        );
      });
      try {
        await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
        assert.equal(await seen[0], 1);
        await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
        await ok('PATCH', `${base}/${created.id}`, { description: 'configuration only' });
        assert.equal(heard.length, 1, 'unchanged deploys and configuration-only saves are silent');
        await ok('POST', `${base}/${created.id}/deploy`, { environment: 'production' });
        assert.equal(await seen[1], 2, 'the redeploy of revision 2 is visible');
        await ok('POST', `${base}/${created.id}/disable`);
        await ok('POST', `${base}/${created.id}/enable`);
        await ok('POST', `${base}/${created.id}/undeploy`, { environment: 'production' });
        await ok('DELETE', `${base}/${created.id}`);
        assert.deepEqual(heard, Array(6).fill(created.id));
        assert.equal(await seen[4], null, 'the undeploy is visible');
      } finally {
        stop();
      }
    });
  });
}
