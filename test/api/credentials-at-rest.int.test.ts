// Issue "access", Done means: neither tokens nor passwords are in the store in clear. Every row
// of every table is read back (the PostgreSQL rows; the SQLite file's bytes are read by
// test/e2e/credentials-at-rest.e2e.test.ts) after users, tokens and sessions were made and used.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { after, before, describe, test } from 'node:test';
import { startTestApi, testAdminPassword, testToken, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

async function everyRowAsText(api: TestApi): Promise<string> {
  const { store } = api.services;
  const tables =
    store.dialect === 'postgres'
      ? await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema()`.execute(store.db)
      : await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table'`.execute(
          store.db,
        );
  const parts: string[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql`SELECT * FROM ${sql.table(name)}`.execute(store.db);
    parts.push(`${name}: ${JSON.stringify(rows.rows)}`);
  }
  return parts.join('\n');
}

for (const kind of testStores()) {
  describe(`credentials at rest on ${kind.name}`, () => {
    let api: TestApi;
    const secrets: string[] = [testToken, testAdminPassword];
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('no token, password or session cookie is in any row', async () => {
      const password = 'a password nobody may store 77';
      secrets.push(password);
      const user = await api.request('POST', '/api/v1/users', {
        username: 'carla',
        password,
        role: 'editor',
      });
      assert.equal(user.status, 201);
      const login = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'carla', password },
        { token: null },
      );
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      secrets.push(cookie.split('=')[1] as string, login.body.csrfToken);
      // a password the admin set is changed before anything else (a token included)
      const changed = 'the second password of C 4';
      secrets.push(changed);
      const change = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: password, newPassword: changed },
        { token: null, headers: { cookie, 'x-csrf-token': login.body.csrfToken } },
      );
      assert.equal(change.status, 204);
      const made = await api.request(
        'POST',
        '/api/v1/tokens',
        { name: 'deploy-bot' },
        { token: null, headers: { cookie, 'x-csrf-token': login.body.csrfToken } },
      );
      assert.equal(made.status, 201, made.text);
      secrets.push(made.body.token);
      assert.equal(
        (await api.request('GET', '/api/v1/connections', undefined, { token: made.body.token }))
          .status,
        200,
      );

      const text = await everyRowAsText(api);
      assert.match(text, /users: \[\{/, 'the users table was read');
      assert.match(text, /scrypt\$32768\$8\$1\$/, 'passwords are stored as scrypt hashes');
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `a credential is in the store: ${secret.slice(0, 6)}…`);
        assert.ok(!text.includes(Buffer.from(secret).toString('base64')));
      }
    });
  });
}
