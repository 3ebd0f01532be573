// The first start of the real binary on SQLite: the `admin` user with a one-time password in
// <data>/admin-password (0600), the bootstrap token as that admin's token, the password
// changed at the first login; and, read off the disk and the log at trace level, no token,
// password or session cookie anywhere in clear (issue "access", Done means).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cleanEnv, startServe, type ServeProcess } from './helpers/hookline-process.ts';

const root = mkdtempSync(join(tmpdir(), 'hookline-first-admin-'));
const dataDir = join(root, 'data');
after(() => rmSync(root, { recursive: true, force: true }));

describe('first start: the admin user and credentials at rest', () => {
  let server: ServeProcess;
  /** every credential this test saw: none may be on disk or in the log */
  const credentials: string[] = [];

  before(async () => {
    server = await startServe(['--port', '0', '--data', dataDir, '--log-level', 'trace'], {
      env: cleanEnv(),
      cwd: root,
    });
  });
  after(async () => {
    await server.stop();
  });

  const call = async (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ) => {
    const response = await fetch(server.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      body: text ? JSON.parse(text) : undefined,
    };
  };

  test('user admin logs in with the one-time password, must change it, and the file goes', async () => {
    const passwordFile = join(dataDir, 'admin-password');
    assert.equal(statSync(passwordFile).mode & 0o777, 0o600);
    assert.ok(server.readyLine.includes(passwordFile), server.readyLine);
    const oneTime = readFileSync(passwordFile, 'utf8').trim();
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    credentials.push(oneTime, token);

    const me = await call('GET', '/api/v1/users/me', undefined, {
      authorization: `Bearer ${token}`,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.username, 'admin', 'the bootstrap token is the admin user’s');
    assert.equal(me.body.role, 'admin');

    const login = await call(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: oneTime },
      {},
    );
    assert.equal(login.status, 200, login.text);
    assert.equal(login.body.user.mustChangePassword, true, 'the console suggests a change');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    credentials.push(cookie.split('=')[1] as string, login.body.csrfToken);
    const session = { cookie, 'x-csrf-token': login.body.csrfToken };

    const chosen = 'my own chief passphrase 2026';
    credentials.push(chosen);
    const changed = await call(
      'POST',
      '/api/v1/users/me/password',
      { currentPassword: oneTime, newPassword: chosen },
      session,
    );
    assert.equal(changed.status, 204, changed.text);
    assert.equal(existsSync(passwordFile), false, 'the one-time password is spent');
    assert.equal(
      (await call('POST', '/api/v1/session', { username: 'admin', password: oneTime }, {})).status,
      401,
    );

    const userPassword = 'she uses this passphrase 9';
    credentials.push(userPassword);
    const user = await call(
      'POST',
      '/api/v1/users',
      { username: 'dana', password: userPassword, role: 'viewer' },
      session,
    );
    assert.equal(user.status, 201, user.text);
    const made = await call('POST', '/api/v1/tokens', { name: 'script' }, session);
    assert.equal(made.status, 201);
    credentials.push(made.body.token);
    const used = await call('GET', '/api/v1/connections', undefined, {
      authorization: `Bearer ${made.body.token}`,
    });
    assert.equal(used.status, 200);
    const wrong = await call(
      'POST',
      '/api/v1/session',
      { username: 'dana', password: `${userPassword}!` },
      {},
    );
    assert.equal(wrong.status, 401);
    credentials.push(`${userPassword}!`);
  });

  test('the SQLite files and the trace log hold none of those credentials', async () => {
    assert.ok(credentials.length >= 7, 'the first test ran');
    // the store's file and its write-ahead log, read while the server runs and after it stopped
    const readStore = () =>
      readdirSync(dataDir)
        .filter((name) => name.startsWith('hookline.sqlite'))
        .map((name) => readFileSync(join(dataDir, name)).toString('latin1'))
        .join('\n');
    const running = readStore();
    assert.match(running, /scrypt\$32768/, 'the users table is in what was read');
    await server.stop();
    const stopped = readStore();
    const log = server.output();
    assert.match(log, /"logLevel":"trace"/, 'the log is at trace level');
    for (const credential of credentials) {
      for (const [where, text] of [
        ['the store while running', running],
        ['the store after stopping', stopped],
        ['the log', log],
      ] as const) {
        assert.ok(
          !text.includes(credential),
          `${where} holds a credential (${credential.slice(0, 4)}…)`,
        );
      }
    }
  });
});
