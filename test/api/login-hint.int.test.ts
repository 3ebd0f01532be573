import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

function cookiePair(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
}

for (const kind of testStores()) {
  describe(`the login hint on ${kind.name}`, () => {
    let api: TestApi;
    let dataDir: string;
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'hookline-login-hint-'));
      api = await startTestApi(kind, { dataDir });
    });
    after(async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test('names the one-time password file without a login, and nothing once it is spent', async () => {
      const first = await api.request('GET', '/api/v1/session/hint', undefined, { token: null });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.headers.get('cache-control'), 'no-store');
      assert.deepEqual(first.body, {
        firstAdmin: { username: 'admin', passwordFile: join(dataDir, 'admin-password') },
      });

      const oneTime = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
      const login = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: oneTime },
        { token: null },
      );
      assert.equal(login.status, 200, login.text);
      const changed = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: oneTime, newPassword: 'a password of my own choosing' },
        {
          token: null,
          headers: { cookie: cookiePair(login.headers), 'x-csrf-token': login.body.csrfToken },
        },
      );
      assert.equal(changed.status, 204, changed.text);

      const later = await api.request('GET', '/api/v1/session/hint', undefined, { token: null });
      assert.equal(later.status, 200, later.text);
      assert.deepEqual(later.body, { firstAdmin: null });
      assert.doesNotMatch(later.text, /hookline-login-hint/, 'the data directory is not public');
    });
  });

  describe(`the login hint without a one-time password on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('says nothing when the first password came from the configuration', async () => {
      const hint = await api.request('GET', '/api/v1/session/hint', undefined, { token: null });
      assert.equal(hint.status, 200, hint.text);
      assert.deepEqual(hint.body, { firstAdmin: null });
    });
  });
}
