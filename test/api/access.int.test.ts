import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestApi, testAdminPassword, testToken, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { addUser } from '../helpers/test-users.ts';

const goodPassword = 'a long enough passphrase 42';

/** The `name=value` of the session cookie a login answer sets, and its attributes. */
function cookieOf(
  response: { headers: Headers },
  name = 'hookline_session',
): { pair: string; attributes: string[] } {
  const header = response.headers.getSetCookie().find((c) => c.startsWith(`${name}=`)) ?? '';
  const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
  return { pair, attributes: attributes.map((a) => a.toLowerCase()) };
}

for (const kind of testStores()) {
  describe(`users, tokens and sessions on ${kind.name}`, () => {
    let api: TestApi;
    let offsetMs = 0;
    before(async () => {
      api = await startTestApi(kind, {
        clock: { now: () => new Date(Date.now() + offsetMs) },
        sessions: { idleMs: 10 * 60_000, maxAgeMs: 60 * 60_000 },
      });
    });
    after(() => api.close());

    const login = (username: string, password: string, headers: Record<string, string> = {}) =>
      api.request('POST', '/api/v1/session', { username, password }, { token: null, headers });

    /**
     * A user made by the admin, logged in, who has set their own password (goodPassword) in
     * that session — unless `ownPassword` is false: then they still use the admin's.
     */
    async function userWithSession(
      role: 'viewer' | 'editor' | 'admin',
      { ownPassword = true } = {},
    ) {
      const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
      const created = await api.request('POST', '/api/v1/users', {
        username,
        password: 'temporary password 123',
        role,
      });
      assert.equal(created.status, 201, created.text);
      const first = await login(username, 'temporary password 123');
      assert.equal(first.status, 200, first.text);
      if (ownPassword) {
        const changed = await api.request(
          'POST',
          '/api/v1/users/me/password',
          { currentPassword: 'temporary password 123', newPassword: goodPassword },
          {
            token: null,
            headers: { cookie: cookieOf(first).pair, 'x-csrf-token': first.body.csrfToken },
          },
        );
        assert.equal(changed.status, 204, changed.text);
      }
      const password = ownPassword ? goodPassword : 'temporary password 123';
      return { id: created.body.id as string, username, password, session: first };
    }

    test('creates a user: 201 without any password in the answer; it must change it first', async () => {
      const created = await api.request('POST', '/api/v1/users', {
        username: 'ana',
        password: goodPassword,
        role: 'editor',
        displayName: 'Ana Lima',
      });
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(
        {
          username: created.body.username,
          role: created.body.role,
          displayName: created.body.displayName,
          mustChangePassword: created.body.mustChangePassword,
          disabled: created.body.disabled,
        },
        {
          username: 'ana',
          role: 'editor',
          displayName: 'Ana Lima',
          mustChangePassword: true,
          disabled: false,
        },
      );
      assert.doesNotMatch(created.text, /passphrase|scrypt|password"/);
      const again = await api.request('POST', '/api/v1/users', {
        username: 'ANA',
        password: goodPassword,
        role: 'viewer',
      });
      assert.equal(again.status, 409);
      assert.equal(again.body.error.code, 'USER_EXISTS');
    });

    test('refuses weak passwords at the password field, creating nothing', async () => {
      for (const [password, pattern] of [
        ['short1', /at least 12/],
        ['password1234', /most common/],
        ['bruno-is-my-password', /user name/],
      ] as const) {
        const answer = await api.request('POST', '/api/v1/users', {
          username: 'bruno',
          password,
          role: 'viewer',
        });
        assert.equal(answer.status, 400, password);
        assert.equal(answer.body.error.details.problems[0].path, 'password');
        assert.match(answer.body.error.details.problems[0].message, pattern);
        assert.doesNotMatch(answer.text, new RegExp(password));
      }
      assert.equal((await api.request('GET', '/api/v1/users/bruno')).status, 404);
    });

    test('a login sets an HttpOnly SameSite=Strict cookie and answers the CSRF token', async () => {
      const answer = await login('admin', testAdminPassword);
      assert.equal(answer.status, 200, answer.text);
      const { pair, attributes } = cookieOf(answer);
      assert.match(pair, /^hookline_session=[A-Za-z0-9_-]{43}$/);
      assert.ok(attributes.includes('httponly'));
      assert.ok(attributes.includes('samesite=strict'));
      assert.ok(attributes.includes('path=/'));
      assert.ok(!attributes.includes('secure'), 'plain http: not Secure');
      // beside it, a marker the console's script reads to know a session may exist: just "1"
      const marker = cookieOf(answer, 'hookline_signed_in');
      assert.equal(marker.pair, 'hookline_signed_in=1');
      assert.ok(!marker.attributes.includes('httponly'));
      assert.ok(marker.attributes.includes('samesite=strict'));
      assert.equal(answer.body.user.username, 'admin');
      assert.equal(answer.body.via, 'session');
      assert.equal(typeof answer.body.csrfToken, 'string');

      const me = await api.request('GET', '/api/v1/session', undefined, {
        token: null,
        headers: { cookie: pair },
      });
      assert.equal(me.status, 200);
      assert.equal(me.body.csrfToken, answer.body.csrfToken, 'a reloaded page gets it again');

      const body = { id: `by-cookie-${kind.name}`, name: 'Made in the console' };
      const refused = await api.request('POST', '/api/v1/projects', body, {
        token: null,
        headers: { cookie: pair },
      });
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.details.reason, 'csrf');
      const forged = await api.request('POST', '/api/v1/projects', body, {
        token: null,
        headers: { cookie: pair, 'x-csrf-token': `${answer.body.csrfToken}x` },
      });
      assert.equal(forged.status, 403);
      const made = await api.request('POST', '/api/v1/projects', body, {
        token: null,
        headers: { cookie: pair, 'x-csrf-token': answer.body.csrfToken },
      });
      assert.equal(made.status, 201, made.text);
      assert.equal(made.body.createdBy ?? 'admin', 'admin');

      const out = await api.request('DELETE', '/api/v1/session', undefined, {
        token: null,
        headers: { cookie: pair, 'x-csrf-token': answer.body.csrfToken },
      });
      assert.equal(out.status, 204);
      assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/i);
      const after = await api.request('GET', '/api/v1/session', undefined, {
        token: null,
        headers: { cookie: pair },
      });
      assert.equal(after.status, 401, 'the logged-out cookie is dead even if replayed');
    });

    test('a wrong password and an unknown user get the same 401', async () => {
      const wrong = await login('admin', 'not the password at all');
      const unknown = await login('nobody-here', 'not the password at all');
      assert.equal(wrong.status, 401);
      assert.equal(unknown.status, 401);
      assert.equal(wrong.body.error.message, unknown.body.error.message);
      assert.equal(wrong.headers.get('set-cookie'), null);
    });

    test('a session ends after the idle time and after the absolute time', async () => {
      const { session } = await userWithSession('viewer');
      const { pair } = cookieOf(session);
      const read = () =>
        api.request('GET', '/api/v1/connections', undefined, {
          token: null,
          headers: { cookie: pair },
        });
      const start = offsetMs;
      try {
        // busy: a request every 9 minutes keeps it alive past the idle time…
        for (let minute = 9; minute <= 54; minute += 9) {
          offsetMs = start + minute * 60_000;
          assert.equal((await read()).status, 200, `minute ${minute}`);
        }
        // …but not past the absolute hour
        offsetMs = start + 61 * 60_000;
        assert.equal((await read()).status, 401);

        const second = await userWithSession('viewer');
        const idle = cookieOf(second.session).pair;
        offsetMs += 11 * 60_000;
        const answer = await api.request('GET', '/api/v1/connections', undefined, {
          token: null,
          headers: { cookie: idle },
        });
        assert.equal(answer.status, 401);
        assert.match(answer.body.error.message, /log in again/);
      } finally {
        offsetMs = start;
      }
    });

    test('tokens: created once with their value, narrower role, listed without it, revoked at once', async () => {
      const { username, session } = await userWithSession('editor');
      const { pair } = cookieOf(session);
      const asUser = {
        token: null,
        headers: { cookie: pair, 'x-csrf-token': session.body.csrfToken },
      };
      const created = await api.request(
        'POST',
        '/api/v1/tokens',
        { name: 'ci', role: 'viewer' },
        asUser,
      );
      assert.equal(created.status, 201, created.text);
      assert.match(created.body.token, /^hl_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.body.role, 'viewer');
      assert.equal(created.body.username, username);
      const token = created.body.token as string;

      const me = await api.request('GET', '/api/v1/users/me', undefined, { token });
      assert.equal(me.body.role, 'viewer', 'the narrower role counts');
      assert.equal(me.body.user.role, 'editor');
      const write = await api.request(
        'POST',
        '/api/v1/projects',
        { id: 'nope', name: 'n' },
        { token },
      );
      assert.equal(write.status, 403);
      assert.equal(write.body.error.details.permission, 'config:write');

      const higher = await api.request(
        'POST',
        '/api/v1/tokens',
        { name: 'up', role: 'admin' },
        asUser,
      );
      assert.equal(higher.status, 400);
      assert.equal(higher.body.error.details.problems[0].path, 'role');
      const twice = await api.request('POST', '/api/v1/tokens', { name: 'ci' }, asUser);
      assert.equal(twice.status, 409);
      assert.equal(twice.body.error.code, 'TOKEN_EXISTS');

      const listed = await api.request('GET', '/api/v1/tokens', undefined, { token });
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.items.map((t: { name: string }) => t.name),
        ['ci'],
      );
      assert.ok(listed.body.items[0].lastUsedAt, 'last use is recorded');
      assert.doesNotMatch(listed.text, new RegExp(token.slice(3)));

      // another user's token is not theirs to see or revoke; an admin may
      const admins = await api.request('GET', `/api/v1/tokens?user=${username}`);
      assert.deepEqual(
        admins.body.items.map((t: { name: string }) => t.name),
        ['ci'],
      );
      const other = await userWithSession('editor');
      const stranger = await api.request('DELETE', `/api/v1/tokens/${created.body.id}`, undefined, {
        token: null,
        headers: {
          cookie: cookieOf(other.session).pair,
          'x-csrf-token': other.session.body.csrfToken,
        },
      });
      assert.equal(stranger.status, 404);

      const revoked = await api.request(
        'DELETE',
        `/api/v1/tokens/${created.body.id}`,
        undefined,
        asUser,
      );
      assert.equal(revoked.status, 200);
      assert.equal(revoked.body.state, 'revoked');
      const refused = await api.request('GET', '/api/v1/connections', undefined, { token });
      assert.equal(refused.status, 401, 'refused from the very next request');
    });

    test('a token past its expiry is refused and listed as expired', async () => {
      const made = await api.request('POST', '/api/v1/tokens', {
        name: `short-${kind.name}`,
        expiresAt: new Date(Date.now() + offsetMs + 5 * 60_000).toISOString(),
      });
      assert.equal(made.status, 201, made.text);
      const token = made.body.token as string;
      assert.equal(
        (await api.request('GET', '/api/v1/connections', undefined, { token })).status,
        200,
      );
      const start = offsetMs;
      try {
        offsetMs += 5 * 60_000 + 1000;
        assert.equal(
          (await api.request('GET', '/api/v1/connections', undefined, { token })).status,
          401,
        );
        const shown = await api.request('GET', `/api/v1/tokens/${made.body.id}`);
        assert.equal(shown.body.state, 'expired');
      } finally {
        offsetMs = start;
      }
      const past = await api.request('POST', '/api/v1/tokens', {
        name: 'already-over',
        expiresAt: '2020-01-01T00:00:00Z',
      });
      assert.equal(past.status, 400);
      assert.equal(past.body.error.details.problems[0].path, 'expiresAt');
    });

    test('disabling a user ends their sessions and stops their tokens; the last admin stays', async () => {
      const { username, password, session } = await userWithSession('editor');
      const { pair } = cookieOf(session);
      const made = await api.request(
        'POST',
        '/api/v1/tokens',
        { name: 'mine' },
        {
          token: null,
          headers: { cookie: pair, 'x-csrf-token': session.body.csrfToken },
        },
      );
      const token = made.body.token as string;
      const disabled = await api.request('PATCH', `/api/v1/users/${username}`, { disabled: true });
      assert.equal(disabled.status, 200);
      assert.equal(disabled.body.disabled, true);
      assert.equal(
        (await api.request('GET', '/api/v1/connections', undefined, { token })).status,
        401,
      );
      const bySession = await api.request('GET', '/api/v1/connections', undefined, {
        token: null,
        headers: { cookie: pair },
      });
      assert.equal(bySession.status, 401);
      assert.equal((await login(username, password)).status, 401);

      const lastAdmin = await api.request('PATCH', '/api/v1/users/admin', { role: 'editor' });
      assert.equal(lastAdmin.status, 409);
      assert.equal(lastAdmin.body.error.code, 'LAST_ADMIN');
      assert.equal((await api.request('GET', '/api/v1/users/admin')).body.role, 'admin');
    });

    test('changing your own password needs the current one and ends your other sessions', async () => {
      const { username, session } = await userWithSession('viewer', { ownPassword: false });
      const other = await login(username, 'temporary password 123');
      const headers = { cookie: cookieOf(session).pair, 'x-csrf-token': session.body.csrfToken };
      const wrong = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: 'not it at all 123', newPassword: goodPassword },
        { token: null, headers },
      );
      assert.equal(wrong.status, 400);
      assert.equal(wrong.body.error.details.problems[0].path, 'currentPassword');
      const changed = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: 'temporary password 123', newPassword: goodPassword },
        { token: null, headers },
      );
      assert.equal(changed.status, 204, changed.text);
      const me = await api.request('GET', '/api/v1/users/me', undefined, { token: null, headers });
      assert.equal(me.status, 200, 'the session that changed it goes on');
      assert.equal(me.body.user.mustChangePassword, false);
      const elsewhere = await api.request('GET', '/api/v1/users/me', undefined, {
        token: null,
        headers: { cookie: cookieOf(other).pair },
      });
      assert.equal(elsewhere.status, 401);
      assert.equal((await login(username, goodPassword)).status, 200);
    });

    test('a user whose password the admin set may only read who they are, change it and log out: then everything works', async () => {
      // alice had a token of her own; then the admin set a new password for her
      const alice = await addUser(api.services, 'admin');
      const reset = await api.request('PATCH', `/api/v1/users/${alice.username}`, {
        password: 'temporary password 123',
      });
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.body.mustChangePassword, true);
      const critical = await api.request('POST', '/api/v1/connections', {
        name: `Crit-${Math.random().toString(36).slice(2, 8)}`,
        critical: true,
        environments: { production: { method: 'POST', url: 'https://crm.example.com/hooks' } },
      });
      assert.equal(critical.status, 201, critical.text);
      const asked = await api.request('POST', `/api/v1/connections/${critical.body.id}/deploy`, {
        environment: 'production',
      });
      assert.equal(asked.status, 409, asked.text);
      const approvalId = asked.body.error.details.approvalId as string;

      const first = await login(alice.username, 'temporary password 123');
      assert.equal(first.status, 200, first.text);
      assert.equal(first.body.user.mustChangePassword, true);
      const spare = await login(alice.username, 'temporary password 123');
      const bySession = {
        token: null,
        headers: { cookie: cookieOf(first).pair, 'x-csrf-token': first.body.csrfToken },
      };
      const byToken = { token: alice.token };
      const refusedAs = async (
        options: typeof bySession | typeof byToken,
        method: string,
        path: string,
        body?: unknown,
      ) => {
        const answer = await api.request(method, path, body, options);
        assert.equal(answer.status, 403, `${method} ${path}: ${answer.text}`);
        assert.equal(answer.body.error.code, 'PASSWORD_CHANGE_REQUIRED', answer.text);
      };
      for (const as of [bySession, byToken]) {
        await refusedAs(as, 'GET', '/api/v1/connections');
        await refusedAs(as, 'POST', '/api/v1/tokens', { name: `t-${Math.random()}` });
        await refusedAs(as, 'POST', `/api/v1/approvals/${approvalId}/approve`, {});
        await refusedAs(as, 'GET', '/api/v1/users');
        const me = await api.request('GET', '/api/v1/users/me', undefined, as);
        assert.equal(me.status, 200, me.text);
        assert.equal(me.body.user.mustChangePassword, true);
      }
      assert.equal(
        (await api.request('GET', `/api/v1/approvals/${approvalId}`)).body.state,
        'pending',
        'approved nothing',
      );
      // logging out works
      const loggedOut = await api.request('DELETE', '/api/v1/session', undefined, {
        token: null,
        headers: { cookie: cookieOf(spare).pair, 'x-csrf-token': spare.body.csrfToken },
      });
      assert.equal(loggedOut.status, 204, loggedOut.text);

      // the password change lifts it, for the session and the token alike
      const changed = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: 'temporary password 123', newPassword: goodPassword },
        bySession,
      );
      assert.equal(changed.status, 204, changed.text);
      for (const as of [bySession, byToken]) {
        const list = await api.request('GET', '/api/v1/connections', undefined, as);
        assert.equal(list.status, 200, list.text);
      }
      const token = await api.request('POST', '/api/v1/tokens', { name: 'after' }, bySession);
      assert.equal(token.status, 201, token.text);
      const approved = await api.request(
        'POST',
        `/api/v1/approvals/${approvalId}/approve`,
        {},
        byToken,
      );
      assert.equal(approved.status, 200, approved.text);
    });

    test('every change to users and tokens is audited, without a password or token', async () => {
      const audit = await api.request('GET', '/api/v1/audit?targetType=user&limit=500');
      const actions = new Set(audit.body.items.map((r: { action: string }) => r.action));
      for (const action of [
        'user.create',
        'user.update',
        'user.password_change',
        'session.login',
      ]) {
        assert.ok(actions.has(action), action);
      }
      const tokens = await api.request('GET', '/api/v1/audit?targetType=token&limit=500');
      assert.ok(tokens.body.items.some((r: { action: string }) => r.action === 'token.revoke'));
      const all = await api.request('GET', '/api/v1/audit?limit=500');
      assert.doesNotMatch(all.text, /temporary password|passphrase|scrypt\$|hl_[A-Za-z0-9_-]{43}/);
      assert.doesNotMatch(all.text, new RegExp(testToken));
    });
  });

  describe(`the first start on ${kind.name}`, () => {
    let api: TestApi;
    let dataDir: string;
    before(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'hookline-first-start-'));
      api = await startTestApi(kind, { dataDir });
    });
    after(async () => {
      await api.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    test("the admin's one-time console password is restricted until changed; the bootstrap token keeps working", async () => {
      const oneTime = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
      const session = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: oneTime },
        { token: null },
      );
      assert.equal(session.status, 200, session.text);
      assert.equal(session.body.user.mustChangePassword, true);
      const bySession = {
        token: null,
        headers: { cookie: cookieOf(session).pair, 'x-csrf-token': session.body.csrfToken },
      };
      const refused = await api.request('GET', '/api/v1/connections', undefined, bySession);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'PASSWORD_CHANGE_REQUIRED');
      const mint = await api.request('POST', '/api/v1/tokens', { name: 'mine' }, bySession);
      assert.equal(mint.body.error.code, 'PASSWORD_CHANGE_REQUIRED');
      assert.equal(
        (await api.request('GET', '/api/v1/session', undefined, bySession)).status,
        200,
        'the console can still ask who it is',
      );

      // the bootstrap token is the same user's, and is not restricted: CLI and automation go on
      assert.equal((await api.request('GET', '/api/v1/connections')).status, 200);
      const made = await api.request('POST', '/api/v1/projects', { id: 'first-start', name: 'F' });
      assert.equal(made.status, 201, made.text);
      const who = await api.request('GET', '/api/v1/users/me');
      assert.deepEqual([who.body.user.username, who.body.user.mustChangePassword], ['admin', true]);

      const changed = await api.request(
        'POST',
        '/api/v1/users/me/password',
        { currentPassword: oneTime, newPassword: goodPassword },
        bySession,
      );
      assert.equal(changed.status, 204, changed.text);
      assert.equal(
        (await api.request('GET', '/api/v1/connections', undefined, bySession)).status,
        200,
      );
      assert.equal(existsSync(join(dataDir, 'admin-password')), false, 'the one-time file is gone');
    });
  });

  describe(`login throttling on ${kind.name}`, () => {
    let api: TestApi;
    let offsetMs = 0;
    before(async () => {
      api = await startTestApi(kind, {
        clock: { now: () => new Date(Date.now() + offsetMs) },
        sessions: {
          loginMaxFailures: 10,
          loginMaxFailuresPerAddress: 1000,
          loginWindowMs: 15 * 60_000,
        },
      });
    });
    after(() => api.close());

    test('100 wrong logins in a row are throttled; the right password works after the window', async () => {
      const statuses: number[] = [];
      let last: { status: number; headers: Headers; body: any } | undefined;
      for (let attempt = 0; attempt < 100; attempt += 1) {
        last = await api.request(
          'POST',
          '/api/v1/session',
          { username: 'admin', password: `guess number ${attempt}` },
          { token: null },
        );
        statuses.push(last.status);
      }
      assert.deepEqual(statuses.slice(0, 10), Array(10).fill(401));
      assert.deepEqual(statuses.slice(10), Array(90).fill(429));
      assert.equal(last?.body.error.code, 'RATE_LIMITED');
      const retryAfter = Number(last?.headers.get('retry-after'));
      assert.ok(retryAfter > 0 && retryAfter <= 900, `Retry-After ${retryAfter}`);

      const during = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: testAdminPassword },
        { token: null },
      );
      assert.equal(during.status, 429, 'not even the right password is checked while throttled');
      offsetMs = 15 * 60_000 + 1000;
      const afterWindow = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: testAdminPassword },
        { token: null },
      );
      assert.equal(afterWindow.status, 200, afterWindow.text);
    });
  });

  describe(`login throttling per user and address on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      // the test client's address is 127.0.0.1: the proxy header names the client
      api = await startTestApi(kind, {
        trustProxy: ['127.0.0.1'],
        sessions: {
          loginMaxFailures: 10,
          loginMaxFailuresPerUser: 100,
          loginMaxFailuresPerAddress: 1000,
          loginWindowMs: 15 * 60_000,
        },
      });
    });
    after(() => api.close());

    const loginFrom = (address: string, username: string, password: string) =>
      api.request(
        'POST',
        '/api/v1/session',
        { username, password },
        { token: null, headers: { 'x-forwarded-for': address } },
      );

    test('10 failures from one address, by id and by name in any case, lock that address out, not the user', async () => {
      const me = await api.request('GET', '/api/v1/users/me');
      assert.equal(me.status, 200, me.text);
      const id = me.body.user.id as string;
      const spellings = [id, 'admin', 'ADMIN', 'Admin', id];
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const wrong = await loginFrom('203.0.113.10', spellings[attempt % 5]!, `guess ${attempt}`);
        statuses.push(wrong.status);
      }
      assert.deepEqual(statuses, Array(10).fill(401));
      for (const username of [id, 'admin', 'aDmIn']) {
        const locked = await loginFrom('203.0.113.10', username, testAdminPassword);
        assert.equal(locked.status, 429, `${username} from the guessing address: ${locked.text}`);
        assert.equal(locked.body.error.code, 'RATE_LIMITED');
      }
      const elsewhere = await loginFrom('198.51.100.20', 'admin', testAdminPassword);
      assert.equal(
        elsewhere.status,
        200,
        `the right password from another address: ${elsewhere.text}`,
      );
      const byId = await loginFrom('198.51.100.21', id, testAdminPassword);
      assert.equal(byId.status, 200, byId.text);
    });
  });
}

describe('behind a trusted reverse proxy', () => {
  const [sqlite] = testStores();
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite!, {
      trustProxy: ['127.0.0.1'],
      sessions: { loginMaxFailures: 1000, loginMaxFailuresPerAddress: 2 },
    });
  });
  after(() => api.close());

  test('the cookie is Secure when the proxy says https, and limits count the forwarded address', async () => {
    const viaHttps = await api.request(
      'POST',
      '/api/v1/session',
      { username: 'admin', password: testAdminPassword },
      { token: null, headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' } },
    );
    assert.equal(viaHttps.status, 200);
    assert.ok(cookieOf(viaHttps).attributes.includes('secure'));

    const fail = (address: string) =>
      api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: 'a wrong guess 12345' },
        { token: null, headers: { 'x-forwarded-for': address } },
      );
    assert.deepEqual(
      [(await fail('198.51.100.1')).status, (await fail('198.51.100.1')).status],
      [401, 401],
    );
    assert.equal((await fail('198.51.100.1')).status, 429, 'that client is throttled');
    assert.equal(
      (await fail('198.51.100.2')).status,
      401,
      'another client behind the proxy is not',
    );
  });
});
