// Usages of secrets and variables (issue 14 §9): `GET /secrets/{id}/usages` and
// `GET /variables/{id}/usages` name the connections (and environments) whose current
// configuration or deployed revision references them, and DELETE is refused with
// SECRET_IN_USE / VARIABLE_IN_USE while any does. Both stores, through the HTTP API.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { createTestPki } from '../helpers/test-certificates.ts';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const connections = '/api/v1/connections';

for (const kind of testStores()) {
  describe(`secret and variable usages on ${kind.name}`, () => {
    let api: TestApi;

    async function ok(method: string, path: string, body?: unknown): Promise<any> {
      const response = await api.request(method, path, body);
      assert.ok(response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
      return response.body;
    }
    const createSecret = (name: string) =>
      ok('POST', '/api/v1/secrets', { name, value: `value-of-${name}-0123456789` });
    const params = (extra: Record<string, unknown> = {}) => ({
      method: 'POST',
      url: 'http://127.0.0.1:9/hook',
      ...extra,
    });
    async function refused(path: string, code: string): Promise<any[]> {
      const response = await api.request('DELETE', path);
      assert.equal(response.status, 409, response.text);
      assert.equal(response.body.error.code, code);
      return response.body.error.details.usages;
    }

    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('a secret lists the connections whose header or signing secret use it, per environment, and cannot be deleted', async () => {
      const secret = uniqueName('USED_SECRET');
      const similar = `${secret}_2`;
      await createSecret(secret);
      await createSecret(similar);
      const byHeader = await ok('POST', connections, {
        name: uniqueName('A_Header'),
        environments: {
          development: params({
            headers: [
              { name: 'Authorization', value: `Bearer {{ secret.${secret.toLowerCase()} }}` },
            ],
          }),
          test: params(),
        },
      });
      const bySigning = await ok('POST', connections, {
        name: uniqueName('B_Signing'),
        environments: {
          test: params({ signing: { scheme: 'hmac-sha256', secret: `{{secret.${secret}}}` } }),
        },
      });
      const expected = [
        {
          connectionId: byHeader.id,
          connectionName: byHeader.name,
          project: 'default',
          environments: ['development'],
        },
        {
          connectionId: bySigning.id,
          connectionName: bySigning.name,
          project: 'default',
          environments: ['test'],
        },
      ];

      const usages = await ok('GET', `/api/v1/secrets/${secret}/usages`);
      assert.deepEqual(usages, { items: expected, next: null });
      const { id } = await ok('GET', `/api/v1/secrets/${secret}`);
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${id}/usages`)).items, expected);
      assert.deepEqual(await refused(`/api/v1/secrets/${secret}`, 'SECRET_IN_USE'), expected);
      await ok('GET', `/api/v1/secrets/${secret}`);

      // a name that only starts the same is not a use
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${similar}/usages`)).items, []);
      assert.equal((await api.request('DELETE', `/api/v1/secrets/${similar}`)).status, 204);
      const missing = await api.request('GET', '/api/v1/secrets/NO_SUCH_SECRET/usages');
      assert.equal(missing.status, 404, missing.text);
    });

    test('a secret used only by an older revision still deployed is in use until the deploy moves on', async () => {
      const secret = uniqueName('DEPLOYED_SECRET');
      await createSecret(secret);
      const name = uniqueName('Deployed_Old');
      const withSecret = params({
        headers: [{ name: 'X-Token', value: `{{secret.${secret}}}` }],
      });
      const created = await ok('POST', connections, {
        name,
        environments: { development: withSecret, test: withSecret },
      });
      await ok('POST', `${connections}/${created.id}/deploy`, { environment: 'development' });
      // revision 2 uses it nowhere; development still runs revision 1
      const saved = await ok('PUT', `${connections}/${created.id}`, {
        name,
        environments: { development: params(), test: params() },
      });
      assert.equal(saved.revision, 2);

      const usage = {
        connectionId: created.id,
        connectionName: name,
        project: 'default',
        environments: ['development'],
      };
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${secret}/usages`)).items, [usage]);
      const [refusal] = await refused(`/api/v1/secrets/${secret}`, 'SECRET_IN_USE');
      assert.deepEqual(refusal, usage);

      await ok('POST', `${connections}/${created.id}/deploy`, { environment: 'development' });
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${secret}/usages`)).items, []);
      assert.equal((await api.request('DELETE', `/api/v1/secrets/${secret}`)).status, 204);
    });

    test('a secret that opens a key store is in use while a connection uses that key store', async () => {
      const pki = await createTestPki();
      const secret = uniqueName('P12_PASSPHRASE');
      await ok('POST', '/api/v1/secrets', { name: secret, value: pki.client.p12Passphrase });
      const keyStore = uniqueName('client-p12');
      await ok('POST', '/api/v1/keystores', {
        name: keyStore,
        format: 'pkcs12',
        pkcs12Base64: pki.client.p12.toString('base64'),
        passphrase: `{{secret.${secret}}}`,
      });
      // a key store nobody uses yet: the secret is free to go (the key store would say so)
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${secret}/usages`)).items, []);
      const mtls = await ok('POST', connections, {
        name: uniqueName('Mutual_TLS'),
        environments: {
          test: { method: 'POST', url: 'https://127.0.0.1:9/hook', tls: { keyStore } },
        },
      });
      const usage = {
        connectionId: mtls.id,
        connectionName: mtls.name,
        project: 'default',
        environments: ['test'],
      };
      assert.deepEqual((await ok('GET', `/api/v1/secrets/${secret}/usages`)).items, [usage]);
      assert.deepEqual(await refused(`/api/v1/secrets/${secret}`, 'SECRET_IN_USE'), [usage]);
      await ok('DELETE', `${connections}/${mtls.id}`);
      assert.equal((await api.request('DELETE', `/api/v1/secrets/${secret}`)).status, 204);
    });

    test('a variable lists the connections whose URL uses it; deleting is refused until the connection is gone', async () => {
      const variable = uniqueName('TARGET_HOST');
      await ok('POST', '/api/v1/variables', {
        name: variable,
        values: { development: '127.0.0.1:9', production: '127.0.0.1:9' },
      });
      const name = uniqueName('By_Variable');
      const created = await ok('POST', connections, {
        name,
        environments: { development: params({ url: `http://{{var.${variable}}}/hook` }) },
      });
      await ok('POST', `${connections}/${created.id}/deploy`, { environment: 'development' });

      const usage = {
        connectionId: created.id,
        connectionName: name,
        project: 'default',
        environments: ['development'],
      };
      const usages = await ok('GET', `/api/v1/variables/${variable.toLowerCase()}/usages`);
      assert.deepEqual(usages, { items: [usage], next: null });
      const refusal = await api.request('DELETE', `/api/v1/variables/${variable}`);
      assert.equal(refusal.status, 409, refusal.text);
      assert.equal(refusal.body.error.code, 'VARIABLE_IN_USE');
      assert.deepEqual(refusal.body.error.details.usages, [usage]);
      assert.match(refusal.body.error.message, new RegExp(`${name} \\(development\\)`));

      await ok('POST', `${connections}/${created.id}/undeploy`, { environment: 'development' });
      assert.equal((await api.request('DELETE', `${connections}/${created.id}`)).status, 204);
      assert.deepEqual((await ok('GET', `/api/v1/variables/${variable}/usages`)).items, []);
      assert.equal((await api.request('DELETE', `/api/v1/variables/${variable}`)).status, 204);
      const missing = await api.request('GET', `/api/v1/variables/${variable}/usages`);
      assert.equal(missing.status, 404, missing.text);
    });
  });
}
