import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, testAdminPassword, testToken, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';
import { beforePasswordChangeNote } from '../../src/api/plugins/auth.ts';
import { addUser } from '../helpers/test-users.ts';

/**
 * Issue "access", Done means: every API operation × {no token, viewer, editor, admin, expired
 * token, revoked token, cookie without CSRF token} answers the right status. The operations
 * come from the OpenAPI document the app generates, so a new route is in the matrix the day
 * it is added; the permission an operation needs is read from the document too (the auth
 * plugin writes it there from the route's declaration) and mapped to roles by this file's own
 * table, the rule as the issue states it.
 */
const leastRole: Record<string, 'viewer' | 'editor' | 'admin'> = {
  'config:read': 'viewer',
  'audit:read': 'viewer',
  'metrics:read': 'viewer',
  'account:self': 'viewer',
  'config:write': 'editor',
  'runtime:use': 'editor',
  'deploy:non-production': 'editor',
  'deploy:production': 'admin',
  'environments:write': 'admin',
  'users:manage': 'admin',
  'approvals:decide': 'admin',
};
const rank = { viewer: 0, editor: 1, admin: 2 } as const;

/** A few operations pinned by hand: the document could not make these wrong unnoticed. */
const pinned: Record<string, 'viewer' | 'editor' | 'admin'> = {
  'GET /api/v1/connections': 'viewer',
  'POST /api/v1/connections': 'editor',
  'POST /api/v1/connections/{id}/deploy': 'editor',
  'POST /api/v1/connections/{id}/invoke': 'editor',
  'PATCH /api/v1/environments/{id}': 'admin',
  'POST /api/v1/environments': 'admin',
  'POST /api/v1/users': 'admin',
  'GET /api/v1/users': 'admin',
  'PATCH /api/v1/users/{id}': 'admin',
  'POST /api/v1/approvals/{id}/approve': 'admin',
  'GET /api/v1/audit': 'viewer',
  'POST /api/v1/tokens': 'viewer',
  'GET /metrics': 'viewer',
};

interface Operation {
  method: string;
  path: string;
  /** the permission the document names; 'public' for operations without security */
  permission: string;
  /** open to a user who must change a password someone else set (src/api/plugins/auth.ts) */
  beforePasswordChange: boolean;
}

function operationsOf(document: any): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries<any>(document.paths)) {
    for (const [method, operation] of Object.entries<any>(item)) {
      const declared = /Needs `([a-z:-]+)`/.exec(operation.description ?? '')?.[1];
      const isPublic = Array.isArray(operation.security) && operation.security.length === 0;
      operations.push({
        method: method.toUpperCase(),
        path,
        permission: isPublic ? 'public' : (declared ?? 'undeclared'),
        beforePasswordChange: (operation.description ?? '').includes(beforePasswordChangeNote),
      });
    }
  }
  return operations;
}

/** A concrete URL for a templated path: ids that exist nowhere, so nothing real is touched. */
function urlOf(path: string): string {
  return path
    .replace('{revision}', '1')
    .replace('{environment}', 'production')
    .replace('{name}', 'x-matrix')
    .replace(/\{[^}]+\}/g, 'matrix-nonexistent');
}

const readOnly = new Set(['GET', 'HEAD', 'OPTIONS']);

for (const kind of testStores()) {
  describe(`access matrix on ${kind.name}`, () => {
    let api: TestApi;
    let operations: Operation[];
    const tokens: Record<string, string | null> = {};
    let cookie = '';
    let offsetMs = 0;

    before(async () => {
      api = await startTestApi(kind, { clock: { now: () => new Date(Date.now() + offsetMs) } });
      operations = operationsOf(api.app.swagger());
      tokens.none = null;
      tokens.viewer = (await addUser(api.services, 'viewer')).token;
      tokens.editor = (await addUser(api.services, 'editor')).token;
      tokens.admin = testToken;
      // an admin's token from before another admin set a new password for them
      const reset = await addUser(api.services, 'admin');
      tokens.mustChangePassword = reset.token;
      const patched = await api.request('PATCH', `/api/v1/users/${reset.username}`, {
        password: 'temporary password 123',
      });
      assert.equal(patched.status, 200, patched.text);
      const expiring = await api.request('POST', '/api/v1/tokens', {
        name: 'soon-expired',
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      });
      assert.equal(expiring.status, 201, expiring.text);
      tokens.expired = expiring.body.token;
      const revoked = await api.request('POST', '/api/v1/tokens', { name: 'revoked' });
      tokens.revoked = revoked.body.token;
      assert.equal((await api.request('DELETE', `/api/v1/tokens/${revoked.body.id}`)).status, 200);
      // an hour later: the expiring token has expired; the others never expire
      offsetMs = 3_600_000;
      const login = await api.request(
        'POST',
        '/api/v1/session',
        { username: 'admin', password: testAdminPassword },
        { token: null },
      );
      assert.equal(login.status, 200, login.text);
      cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      assert.match(cookie, /^hookline_session=/);
    });
    after(() => api.close());

    test('the document lists every operation with a permission this table knows', () => {
      assert.ok(operations.length >= 80, `only ${operations.length} operations`);
      const unknown = operations.filter(
        (op) => op.permission !== 'public' && !(op.permission in leastRole),
      );
      assert.deepEqual(unknown, []);
      for (const [operation, role] of Object.entries(pinned)) {
        const [method, path] = operation.split(' ');
        const found = operations.find((op) => op.method === method && op.path === path);
        assert.ok(found, `${operation} is in the document`);
        assert.equal(leastRole[found.permission], role, operation);
      }
      // a change is never allowed to a role that may only look
      const writesForViewers = operations.filter(
        (op) =>
          !readOnly.has(op.method) &&
          op.permission !== 'public' &&
          op.permission !== 'account:self' &&
          leastRole[op.permission] === 'viewer',
      );
      assert.deepEqual(writesForViewers, []);
      // before changing a password someone else set: who am I, the change, logout
      assert.deepEqual(
        operations
          .filter((op) => op.beforePasswordChange)
          .map((op) => `${op.method} ${op.path}`)
          .sort(),
        [
          'DELETE /api/v1/session',
          'GET /api/v1/session',
          'GET /api/v1/users/me',
          'POST /api/v1/users/me/password',
        ],
      );
      const publicOnes = operations.filter((op) => op.permission === 'public');
      assert.deepEqual(publicOnes.map((op) => `${op.method} ${op.path}`).sort(), [
        'GET /api/v1/session/hint',
        'GET /healthz',
        'POST /api/v1/session',
      ]);
    });

    test('every operation answers each credential as its permission says', async () => {
      const wrong: string[] = [];
      for (const op of operations) {
        if (op.permission === 'public') continue;
        const needs = leastRole[op.permission] as keyof typeof rank;
        const body = readOnly.has(op.method) || op.method === 'DELETE' ? undefined : {};
        const label = `${op.method} ${op.path}`;
        for (const who of ['none', 'expired', 'revoked']) {
          const answer = await api.request(op.method, urlOf(op.path), body, {
            token: tokens[who] ?? null,
          });
          if (answer.status !== 401 || answer.body?.error?.code !== 'UNAUTHENTICATED') {
            wrong.push(`${label} as ${who}: ${answer.status} ${answer.text.slice(0, 120)}`);
          }
        }
        for (const role of ['viewer', 'editor', 'admin'] as const) {
          const answer = await api.request(op.method, urlOf(op.path), body, {
            token: tokens[role] ?? null,
          });
          if (rank[role] < rank[needs]) {
            if (
              answer.status !== 403 ||
              answer.body?.error?.details?.permission !== op.permission
            ) {
              wrong.push(`${label} as ${role}: ${answer.status} ${answer.text.slice(0, 120)}`);
            }
          } else if (answer.status === 401 || answer.status === 403) {
            wrong.push(`${label} as ${role}: ${answer.status} ${answer.text.slice(0, 120)}`);
          }
        }
        // a user who must change their password: only the operations open before that
        const restricted = await api.request(op.method, urlOf(op.path), body, {
          token: tokens.mustChangePassword ?? null,
        });
        const isRestricted =
          restricted.status === 403 && restricted.body?.error?.code === 'PASSWORD_CHANGE_REQUIRED';
        if (isRestricted === op.beforePasswordChange || restricted.status === 401) {
          wrong.push(
            `${label} before the password change: ${restricted.status} ${restricted.text.slice(0, 120)}`,
          );
        }
        // the admin's session cookie: reads pass; changes without X-CSRF-Token do not
        const answer = await api.request(op.method, urlOf(op.path), body, {
          token: null,
          headers: { cookie },
        });
        if (readOnly.has(op.method)) {
          if (answer.status === 401 || answer.status === 403) {
            wrong.push(`${label} by cookie: ${answer.status} ${answer.text.slice(0, 120)}`);
          }
        } else if (answer.status !== 403 || answer.body?.error?.details?.reason !== 'csrf') {
          wrong.push(
            `${label} by cookie without CSRF: ${answer.status} ${answer.text.slice(0, 120)}`,
          );
        }
      }
      assert.deepEqual(wrong, []);
    });
  });
}
