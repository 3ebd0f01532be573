// Variables pinned at deploy (DESIGN §1 Templates, issue 13 §1): a deployed revision keeps the
// values of its {{var.*}} from the moment it was deployed. Changing a variable moves no traffic
// until the next deploy; the connection says "redeploy to apply" per environment; Test
// Connection shows what a deploy would do (today's values). Real targets on 127.0.0.1, both
// stores, through the HTTP API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import * as postgres0010 from '../../src/store/migrations/postgres/0010-pinned-variables.ts';
import * as sqlite0010 from '../../src/store/migrations/sqlite/0010-pinned-variables.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { closeAllTargets, startHttpTarget, type Target } from '../helpers/target-servers.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

after(() => closeAllTargets());

const base = '/api/v1/connections';
const hostOf = (target: Target) => `127.0.0.1:${target.port}`;

for (const kind of testStores()) {
  describe(`variables pinned at deploy on ${kind.name}`, () => {
    let api: TestApi;

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }
    const setValue = (name: string, environment: string, value: string) =>
      ok('PUT', `/api/v1/variables/${name}/values/${environment}`, { value });
    const deploy = (id: string, environment = 'development') =>
      ok('POST', `${base}/${id}/deploy`, { environment });
    async function invoked(id: string, environment = 'development'): Promise<any> {
      const response = await api.request('POST', `${base}/${id}/invoke`, { environment });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.outcome, 'OK', response.text);
      return response.body;
    }
    /** `deployments.<environment>.variablesChanged` in the connection's get and in the list. */
    async function variablesChanged(id: string, name: string, environment = 'development') {
      const read = await ok('GET', `${base}/${id}`);
      const listed = await ok('GET', `${base}?q=${encodeURIComponent(name)}`);
      const inList = listed.items.find((item: any) => item.id === id);
      assert.deepEqual(
        inList.deployments[environment].variablesChanged,
        read.deployments[environment].variablesChanged,
        'the list says what the connection says',
      );
      return read.deployments[environment].variablesChanged as string[];
    }

    /** A variable holding a target's host:port, and a connection whose URL is built on it. */
    async function pinnedSetup(first: Target) {
      const variable = uniqueName('TARGET_HOST');
      await ok('POST', '/api/v1/variables', {
        name: variable,
        values: { development: hostOf(first), test: hostOf(first) },
      });
      const name = uniqueName('Pinned');
      const params = { method: 'POST', url: `http://{{var.${variable}}}/hook` };
      const connection = await ok('POST', base, {
        name,
        environments: { development: params, test: params },
      });
      return { variable, name, id: connection.id as string };
    }

    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('a changed variable moves no traffic until a redeploy, which applies it', async () => {
      const [oldTarget, newTarget] = await Promise.all([startHttpTarget(), startHttpTarget()]);
      assert.ok(oldTarget && newTarget);
      const { variable, name, id } = await pinnedSetup(oldTarget);
      await deploy(id);
      await invoked(id);
      await oldTarget.waitForRequests(1);
      assert.deepEqual(await variablesChanged(id, name), []);

      await setValue(variable, 'development', hostOf(newTarget));
      const stillOld = await invoked(id);
      assert.equal(stillOld.url, `http://${hostOf(oldTarget)}/hook`);
      assert.equal(newTarget.requests.length, 0, 'production traffic did not move');
      assert.deepEqual(await variablesChanged(id, name), [variable]);

      // a value removed is a change too
      await ok('DELETE', `/api/v1/variables/${variable}/values/development`);
      assert.deepEqual(await variablesChanged(id, name), [variable]);
      assert.equal((await invoked(id)).url, `http://${hostOf(oldTarget)}/hook`);
      await setValue(variable, 'development', hostOf(newTarget));

      const redeployed = await deploy(id);
      assert.equal(redeployed.outcome, 'deployed', 'the same revision with new values');
      assert.match(redeployed.message, new RegExp(`new values of ${variable}`));
      const moved = await invoked(id);
      assert.equal(moved.url, `http://${hostOf(newTarget)}/hook`);
      await newTarget.waitForRequests(1);
      assert.equal(oldTarget.requests.length, 3);
      assert.deepEqual(await variablesChanged(id, name), []);
      assert.equal((await deploy(id)).outcome, 'unchanged', 'nothing left to apply');
    });

    test('each environment pins its own values and shows its own "redeploy to apply"', async () => {
      const [first, second] = await Promise.all([startHttpTarget(), startHttpTarget()]);
      assert.ok(first && second);
      const { variable, name, id } = await pinnedSetup(first);
      await deploy(id, 'development');
      await deploy(id, 'test');
      await setValue(variable, 'test', hostOf(second));
      assert.deepEqual(await variablesChanged(id, name, 'development'), []);
      assert.deepEqual(await variablesChanged(id, name, 'test'), [variable]);
      assert.equal((await invoked(id, 'test')).url, `http://${hostOf(first)}/hook`);
      await deploy(id, 'test');
      assert.equal((await invoked(id, 'test')).url, `http://${hostOf(second)}/hook`);
      assert.equal((await invoked(id, 'development')).url, `http://${hostOf(first)}/hook`);
    });

    test('a durable delivery goes where the deployed revision was pinned', async () => {
      const [oldTarget, newTarget] = await Promise.all([startHttpTarget(), startHttpTarget()]);
      assert.ok(oldTarget && newTarget);
      const { variable, id } = await pinnedSetup(oldTarget);
      await deploy(id);
      await setValue(variable, 'development', hostOf(newTarget));
      const accepted = await api.request('POST', `${base}/${id}/deliveries`, {
        environment: 'development',
        body: { event: 'pinned' },
      });
      assert.equal(accepted.status, 202, accepted.text);
      api.services.deliveryWorker.start();
      try {
        const [received] = await oldTarget.waitForRequests(1);
        assert.equal(received?.url, '/hook');
      } finally {
        await api.services.deliveryWorker.stop();
      }
      assert.equal(newTarget.requests.length, 0);
    });

    test('Test Connection of the saved configuration uses the current values (what a deploy would pin)', async () => {
      const [oldTarget, newTarget] = await Promise.all([startHttpTarget(), startHttpTarget()]);
      assert.ok(oldTarget && newTarget);
      const { variable, id } = await pinnedSetup(oldTarget);
      await deploy(id);
      await setValue(variable, 'development', hostOf(newTarget));
      const tested = await ok('POST', `${base}/${id}/test`, { environment: 'development' });
      assert.equal(tested.outcome, 'OK', JSON.stringify(tested));
      assert.equal(tested.url, `http://${hostOf(newTarget)}/hook`);
      await newTarget.waitForRequests(1);
      assert.equal((await invoked(id)).url, `http://${hostOf(oldTarget)}/hook`);
    });

    test('an upgrade pins what deployments run at that moment: nothing a user accepted changes', async () => {
      const [atUpgrade, later] = await Promise.all([startHttpTarget(), startHttpTarget()]);
      assert.ok(atUpgrade && later);
      const { variable, name, id } = await pinnedSetup(atUpgrade);
      await deploy(id);
      // the deployments table as it was before migration 0010, with the deployment running on the
      // variable's value of the moment
      const { db } = api.services.store;
      await sql`ALTER TABLE deployments DROP COLUMN pinned_variables`.execute(db);
      // later migrations have run since, so 0010 is run again by itself, as the upgrade ran it
      await (kind.name === 'postgres' ? postgres0010 : sqlite0010).up(
        db as unknown as Kysely<unknown>,
      );

      await setValue(variable, 'development', hostOf(later));
      assert.equal((await invoked(id)).url, `http://${hostOf(atUpgrade)}/hook`);
      assert.deepEqual(await variablesChanged(id, name), [variable]);
    });
  });
}
