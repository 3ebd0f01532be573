import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RuntimeValueChange } from '../../src/domains/secrets/index.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const base = '/api/v1/variables';

function problemsOf(response: { body: any }): Array<{ path: string; message: string }> {
  return response.body?.error?.details?.problems ?? [];
}

for (const kind of testStores()) {
  describe(`variables API on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    async function create(body: Record<string, unknown>) {
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 201, response.text);
      return response.body;
    }

    test('creates a variable with a value per environment, ids as stored', async () => {
      const response = await api.request('POST', base, {
        name: 'Api_Base',
        description: 'CRM base URL',
        values: { Production: 'https://crm.example.com', test: 'https://crm.test.example.com' },
      });
      assert.equal(response.status, 201, response.text);
      assert.equal(response.headers.get('location'), '/api/v1/variables/Api_Base');
      const variable = response.body;
      assert.match(variable.id, /^var_[0-9a-z]{26}$/);
      assert.deepEqual(variable.values, {
        production: 'https://crm.example.com',
        test: 'https://crm.test.example.com',
      });
      assert.equal(variable.description, 'CRM base URL');
      assert.equal(variable.createdBy, 'admin');
      assert.equal(variable.warnings, undefined);
      for (const ref of ['Api_Base', 'api_base', variable.id]) {
        const read = await api.request('GET', `${base}/${ref}`);
        assert.equal(read.status, 200, ref);
        assert.deepEqual(read.body, variable);
      }
    });

    test('refuses a name another variable has in any case with VARIABLE_EXISTS', async () => {
      await create({ name: 'Tenant_Id', values: { production: 't-1' } });
      const response = await api.request('POST', base, { name: 'TENANT_ID', values: {} });
      assert.equal(response.status, 409);
      assert.equal(response.body.error.code, 'VARIABLE_EXISTS');
      assert.match(response.body.error.message, /'Tenant_Id' already exists/);
    });

    test('reports unknown environments with the schema problems, each at its field path', async () => {
      const response = await api.request('POST', base, {
        name: '9-not-a-name',
        values: { staging: 'x', production: 42, 'bad id!': 'y' },
      });
      assert.equal(response.status, 400);
      assert.deepEqual(
        problemsOf(response)
          .map((p) => p.path)
          .sort(),
        ['name', 'values.bad id!', 'values.production', 'values.staging'],
      );
      const unknown = problemsOf(response).find((p) => p.path === 'values.staging');
      assert.equal(unknown?.message, "unknown environment 'staging'");
      const twice = await api.request('POST', base, {
        name: 'Twice',
        values: { production: 'a', PRODUCTION: 'b' },
      });
      assert.equal(twice.status, 400);
      assert.equal(problemsOf(twice).length, 1);
      assert.match(problemsOf(twice)[0]!.message, /are the same environment/);
    });

    test('takes a value of exactly 8 KiB (UTF-8 bytes) and refuses one byte more', async () => {
      const atLimit = 'é'.repeat(4096);
      const ok = await api.request('POST', base, { name: 'Big_Ok', values: { test: atLimit } });
      assert.equal(ok.status, 201, ok.text.slice(0, 200));
      const over = await api.request('POST', base, {
        name: 'Big_Over',
        values: { test: `${atLimit}x` },
      });
      assert.equal(over.status, 400);
      assert.deepEqual(
        problemsOf(over).map((p) => p.path),
        ['values.test'],
      );
      assert.match(problemsOf(over)[0]!.message, /8192 bytes/);
    });

    test('PUT replaces every value; an environment left out loses its value', async () => {
      const variable = await create({
        name: 'Replace_Me',
        description: 'first',
        values: { production: 'p1', test: 't1' },
      });
      const response = await api.request('PUT', `${base}/replace_me`, {
        values: { development: 'd2', production: 'p2' },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.values, { development: 'd2', production: 'p2' });
      assert.equal(response.body.description, '');
      assert.equal(response.body.id, variable.id);
      const unknown = await api.request('PUT', `${base}/Replace_Me`, { values: { qa: 'x' } });
      assert.equal(unknown.status, 400);
      assert.deepEqual(
        problemsOf(unknown).map((p) => p.path),
        ['values.qa'],
      );
      const missing = await api.request('PUT', `${base}/Nobody`, { values: {} });
      assert.equal(missing.status, 404);
    });

    test('PATCH sets the values given, removes those set to null and keeps the rest', async () => {
      await create({ name: 'Patch_Me', values: { production: 'p1', test: 't1' } });
      const response = await api.request('PATCH', `${base}/Patch_Me`, {
        description: 'patched',
        values: { test: null, Development: 'd1' },
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.body.values, { development: 'd1', production: 'p1' });
      assert.equal(response.body.description, 'patched');
      const unknown = await api.request('PATCH', `${base}/Patch_Me`, { values: { qa: null } });
      assert.equal(unknown.status, 400);
      assert.deepEqual(
        problemsOf(unknown).map((p) => p.path),
        ['values.qa'],
      );
    });

    test('sets and removes one environment value through /values/{environment}', async () => {
      await create({ name: 'One_Value', values: { production: 'p1' } });
      const set = await api.request('PUT', `${base}/One_Value/values/test`, { value: 't1' });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body.values, { production: 'p1', test: 't1' });
      const removed = await api.request('DELETE', `${base}/One_Value/values/Production`);
      assert.equal(removed.status, 200, removed.text);
      assert.deepEqual(removed.body.values, { test: 't1' });
      const unknown = await api.request('PUT', `${base}/One_Value/values/qa`, { value: 'x' });
      assert.equal(unknown.status, 400);
      assert.deepEqual(
        problemsOf(unknown).map((p) => p.path),
        ['values.qa'],
      );
    });

    test('deletes a variable: 204, then NOT_FOUND', async () => {
      await create({ name: 'Delete_Var', values: { test: 'x' } });
      assert.equal((await api.request('DELETE', `${base}/delete_var`)).status, 204);
      const gone = await api.request('GET', `${base}/Delete_Var`);
      assert.equal(gone.status, 404);
      assert.equal(gone.body.error.code, 'NOT_FOUND');
    });

    test('lists in name order page by page, filtered by name and by environment', async () => {
      await create({ name: 'List_B', values: { production: 'b' } });
      await create({ name: 'List_A', values: { test: 'a' } });
      await create({ name: 'List_C', values: { production: 'c', test: 'c' } });
      const names: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = `?q=list_&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const page = await api.request('GET', `${base}${query}`);
        assert.equal(page.status, 200, page.text);
        names.push(...page.body.items.map((v: { name: string }) => v.name));
        cursor = page.body.next;
        pages += 1;
      } while (cursor !== null && pages < 10);
      assert.deepEqual(names, ['List_A', 'List_B', 'List_C']);
      assert.equal(pages, 2);
      const production = await api.request('GET', `${base}?q=list_&environment=Production`);
      assert.deepEqual(
        production.body.items.map((v: { name: string; values: object }) => [v.name, v.values]),
        [
          ['List_B', { production: 'b' }],
          ['List_C', { production: 'c', test: 'c' }],
        ],
      );
      const unknown = await api.request('GET', `${base}?environment=qa`);
      assert.equal(unknown.status, 404);
      const secretCursor = Buffer.from('s:list_a').toString('base64url');
      const bad = await api.request('GET', `${base}?cursor=${secretCursor}`);
      assert.equal(bad.status, 400);
      assert.deepEqual(
        problemsOf(bad).map((p) => p.path),
        ['query.cursor'],
      );
    });

    test('warns when a variable is named like a credential', async () => {
      const variable = await create({ name: 'Crm_Api_Key', values: { production: 'k' } });
      assert.deepEqual(
        variable.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
        [['LIKELY_SECRET', 'name']],
      );
      assert.match(variable.warnings[0].message, /\{\{secret\.Crm_Api_Key\}\}/);
    });

    test('audits create, update and delete with before and after; an unchanged PUT writes nothing', async () => {
      const variable = await create({ name: 'Audited_Var', values: { production: 'p1' } });
      await api.request('PATCH', `${base}/Audited_Var`, { values: { production: 'p2' } });
      const same = await api.request('PUT', `${base}/Audited_Var`, {
        values: { production: 'p2' },
      });
      assert.equal(same.status, 200);
      await api.request('DELETE', `${base}/Audited_Var`);
      const audit = await api.request('GET', `/api/v1/audit?targetId=${variable.id}`);
      const items = audit.body.items as any[];
      assert.deepEqual(
        items.map((r) => r.action),
        ['variable.delete', 'variable.update', 'variable.create'],
      );
      const [remove, update, created] = items;
      assert.equal(created.targetType, 'variable');
      assert.equal(created.targetName, 'Audited_Var');
      assert.deepEqual(created.after.values, { production: 'p1' });
      assert.deepEqual(
        [update.before.values, update.after.values],
        [{ production: 'p1' }, { production: 'p2' }],
      );
      assert.deepEqual(remove.before.values, { production: 'p2' });
      assert.equal(remove.after, null);
    });

    test('deleting an environment removes its values from every variable', async () => {
      await api.request('POST', '/api/v1/environments', {
        id: 'scratch-env',
        name: 'Scratch',
        kind: 'test',
      });
      await create({ name: 'Scratch_Var', values: { 'scratch-env': 's', test: 't' } });
      assert.equal((await api.request('DELETE', '/api/v1/environments/scratch-env')).status, 204);
      const read = await api.request('GET', `${base}/Scratch_Var`);
      assert.deepEqual(read.body.values, { test: 't' });
    });

    test('variableValue answers per environment, ignoring case, from memory until a change', async () => {
      const { variables } = api.services;
      const variable = await create({
        name: 'Runtime_Url',
        values: { production: 'https://p.example.com', test: 'https://t.example.com' },
      });
      assert.equal(
        await variables.variableValue('Runtime_Url', 'production'),
        'https://p.example.com',
      );
      assert.equal(await variables.variableValue('runtime_url', 'TEST'), 'https://t.example.com');
      assert.equal(await variables.variableValue('Runtime_Url', 'development'), undefined);
      assert.equal(await variables.variableValue('No_Such_Var', 'production'), undefined);

      // behind the service's back: the cache keeps answering
      await api.services.store.db
        .updateTable('variable_values')
        .set({ value: 'https://changed-behind.example.com' })
        .where('variable_id', '=', variable.id)
        .where('environment_id', '=', 'production')
        .execute();
      assert.equal(
        await variables.variableValue('Runtime_Url', 'production'),
        'https://p.example.com',
      );

      // through the API: listeners hear of it and the next read sees the new value
      const heard: RuntimeValueChange[] = [];
      const stop = variables.onChange((change) => heard.push(change));
      const versionBefore = variables.changeVersion();
      const response = await api.request('PUT', `${base}/Runtime_Url/values/production`, {
        value: 'https://p2.example.com',
      });
      assert.equal(response.status, 200);
      assert.deepEqual(heard, [{ kind: 'variable', name: 'Runtime_Url', action: 'update' }]);
      assert.equal(variables.changeVersion(), versionBefore + 1);
      assert.equal(
        await variables.variableValue('Runtime_Url', 'production'),
        'https://p2.example.com',
      );

      // a name first looked up while missing is found once it is created
      await create({ name: 'No_Such_Var', values: { production: 'now' } });
      assert.equal(await variables.variableValue('No_Such_Var', 'production'), 'now');

      await api.services.store.db
        .updateTable('variable_values')
        .set({ value: 'https://from-another-process.example.com' })
        .where('variable_id', '=', variable.id)
        .where('environment_id', '=', 'production')
        .execute();
      variables.invalidate();
      stop();
      assert.deepEqual(heard.at(-1), { kind: 'variable', name: '*', action: 'invalidate' });
      assert.equal(
        await variables.variableValue('Runtime_Url', 'production'),
        'https://from-another-process.example.com',
      );
    });
  });
}
