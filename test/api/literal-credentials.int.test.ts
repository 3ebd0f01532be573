// Literal credential headers (issue 13 §2): `Authorization: Bearer abc…`, `X-Api-Key: …` — the
// values the LITERAL_CREDENTIAL warning names — are `****` to viewers in connection reads,
// revisions (from which the console draws its diffs); editors and admins, who must edit them,
// see them. An export replaces them with a placeholder for everyone and lists them in
// metadata.json's `valuesToSet`. `{{secret.NAME}}` references stay as they are. Both stores.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { exportCredentialPlaceholder, exportMetadata } from '../../src/contracts/exports.ts';
import { uniqueName } from '../helpers/connection-fixtures.ts';
import { readZip } from '../helpers/read-zip.ts';
import { startTestApi, testToken, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser, type TestUser } from '../helpers/test-users.ts';

const base = '/api/v1/connections';

for (const kind of testStores()) {
  describe(`literal credential headers on ${kind.name}`, () => {
    let api: TestApi;
    let viewer: TestUser;
    let editor: TestUser;
    let id: string;
    let name: string;
    const bearer = `Bearer lit-${randomBytes(12).toString('hex')}`;
    const apiKey = `key-${randomBytes(12).toString('hex')}`;
    const bearerBefore = `Bearer old-${randomBytes(12).toString('hex')}`;
    const literals = [bearer, apiKey, bearerBefore];

    const headersOf = (body: any, environment: string) =>
      Object.fromEntries(
        (body.environments[environment].headers as Array<{ name: string; value: string }>).map(
          (header) => [header.name, header.value],
        ),
      );

    async function read(path: string, token: string): Promise<any> {
      const response = await api.request('GET', path, undefined, { token });
      assert.equal(response.status, 200, `${path}: ${response.text}`);
      return response.body;
    }

    before(async () => {
      api = await startTestApi(kind);
      [viewer, editor] = await Promise.all([
        addUser(api.services, 'viewer'),
        addUser(api.services, 'editor'),
      ]);
      name = uniqueName('Literal');
      const created = await api.request('POST', base, {
        name,
        environments: {
          production: {
            method: 'POST',
            url: 'https://crm.example.com/orders',
            headers: [
              { name: 'Authorization', value: bearerBefore },
              { name: 'X-Source', value: 'hookline' },
            ],
          },
          test: {
            method: 'POST',
            url: 'https://crm-test.example.com/orders',
            headers: [
              { name: 'X-Api-Key', value: apiKey },
              { name: 'Authorization', value: 'Bearer {{secret.CRM_TOKEN}}' },
            ],
          },
        },
      });
      assert.equal(created.status, 201, created.text);
      id = created.body.id;
      // revision 2 changes the literal: the diff of revisions 1 and 2 is about a credential
      const patched = await api.request('PATCH', `${base}/${id}`, {
        environments: {
          production: {
            headers: [
              { name: 'Authorization', value: bearer },
              { name: 'X-Source', value: 'hookline' },
            ],
          },
        },
      });
      assert.equal(patched.status, 200, patched.text);
    });
    after(() => api.close());

    test('a viewer reads **** for literal credentials in get, list and revisions', async () => {
      const got = await read(`${base}/${id}`, viewer.token);
      const listed = (await read(`${base}?q=${name}`, viewer.token)).items.find(
        (item: any) => item.id === id,
      );
      const [revision1, revision2] = await Promise.all([
        read(`${base}/${id}/revisions/1`, viewer.token),
        read(`${base}/${id}/revisions/2`, viewer.token),
      ]);
      for (const connection of [got, listed, revision1.spec, revision2.spec]) {
        assert.deepEqual(headersOf(connection, 'production'), {
          Authorization: '****',
          'X-Source': 'hookline',
        });
        assert.deepEqual(headersOf(connection, 'test'), {
          'X-Api-Key': '****',
          Authorization: 'Bearer {{secret.CRM_TOKEN}}',
        });
      }
      const answers = JSON.stringify([got, listed, revision1, revision2]);
      for (const literal of literals) assert.ok(!answers.includes(literal.split(' ').at(-1)!));
    });

    test('editors and admins read the values they edit', async () => {
      for (const token of [editor.token, testToken]) {
        const got = await read(`${base}/${id}`, token);
        const listed = (await read(`${base}?q=${name}`, token)).items.find(
          (item: any) => item.id === id,
        );
        const revision1 = await read(`${base}/${id}/revisions/1`, token);
        assert.equal(headersOf(got, 'production').Authorization, bearer);
        assert.equal(headersOf(listed, 'production').Authorization, bearer);
        assert.equal(headersOf(got, 'test')['X-Api-Key'], apiKey);
        assert.equal(headersOf(revision1.spec, 'production').Authorization, bearerBefore);
      }
    });

    test('an export holds a placeholder and lists the values to set after import, for everyone', async () => {
      for (const token of [viewer.token, testToken]) {
        const response = await fetch(`${api.url}${base}/${id}/export`, {
          headers: { authorization: `Bearer ${token}` },
        });
        assert.equal(response.status, 200);
        const zip = Buffer.from(await response.arrayBuffer());
        const entries = await readZip(zip);
        const json = (path: string) =>
          JSON.parse(entries.find((entry) => entry.path === path)!.content.toString('utf8'));
        const connection = json('connection.json');
        assert.deepEqual(headersOf(connection, 'production'), {
          Authorization: exportCredentialPlaceholder,
          'X-Source': 'hookline',
        });
        assert.deepEqual(headersOf(connection, 'test'), {
          'X-Api-Key': exportCredentialPlaceholder,
          Authorization: 'Bearer {{secret.CRM_TOKEN}}',
        });
        const metadata = exportMetadata.parse(json('metadata.json'));
        assert.deepEqual(metadata.valuesToSet, [
          { environment: 'production', header: 'Authorization' },
          { environment: 'test', header: 'X-Api-Key' },
        ]);
        const everything = entries.map((entry) => entry.content.toString('utf8')).join('\n');
        for (const literal of literals) {
          assert.ok(!everything.includes(literal.split(' ').at(-1)!), 'no literal leaves');
        }
      }
    });
  });
}
