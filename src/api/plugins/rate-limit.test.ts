import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyRequest } from 'fastify';
import { sessionCookieName } from '../../domains/access/index.ts';
import { isRateLimitedRoute, rateLimitBucketOf, rateLimitKeyOf } from './rate-limit.ts';

const requestWith = (headers: Record<string, string>, ip = '192.0.2.7') =>
  ({ headers, ip }) as unknown as FastifyRequest;
const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('rate limit key', () => {
  test('is the SHA-256 of the bearer token, never the token itself', () => {
    const key = rateLimitKeyOf(requestWith({ authorization: 'Bearer hl_secret-token' }));
    assert.equal(key, `t:${sha256('hl_secret-token')}`);
    assert.ok(!key.includes('hl_secret-token'));
    assert.equal(rateLimitKeyOf(requestWith({ authorization: 'bearer  hl_secret-token ' })), key);
  });

  test('gives two tokens two budgets, whatever the address', () => {
    const a = rateLimitKeyOf(requestWith({ authorization: 'Bearer hl_a' }, '192.0.2.1'));
    const b = rateLimitKeyOf(requestWith({ authorization: 'Bearer hl_b' }, '192.0.2.1'));
    const aElsewhere = rateLimitKeyOf(requestWith({ authorization: 'Bearer hl_a' }, '192.0.2.2'));
    assert.notEqual(a, b);
    assert.equal(a, aElsewhere);
  });

  test('without a bearer token, is the hash of the session cookie', () => {
    const cookie = `theme=dark; ${sessionCookieName}=session-value; other=1`;
    const key = rateLimitKeyOf(requestWith({ cookie }));
    assert.equal(key, `s:${sha256('session-value')}`);
    // a bearer token wins over a cookie sent alongside
    const both = rateLimitKeyOf(requestWith({ cookie, authorization: 'Bearer hl_a' }));
    assert.equal(both, `t:${sha256('hl_a')}`);
  });

  test('without either, is the client address', () => {
    assert.equal(rateLimitKeyOf(requestWith({}, '198.51.100.4')), 'a:198.51.100.4');
    assert.equal(rateLimitKeyOf(requestWith({ cookie: 'theme=dark' }, '::1')), 'a:::1');
    assert.equal(rateLimitKeyOf(requestWith({ authorization: 'Basic eDp5' }, '::1')), 'a:::1');
  });
});

describe('rate limited routes', () => {
  test('are the /api/v1 management routes', () => {
    for (const [method, url] of [
      ['GET', '/api/v1/connections'],
      ['POST', '/api/v1/connections'],
      ['GET', '/api/v1/connections/:id/deliveries'],
      ['POST', '/api/v1/connections/:id/test'],
      ['POST', '/api/v1/deliveries/:id/replay'],
      ['GET', '/api/v1/audit/export'],
      ['POST', '/api/v1/session'],
    ] as const) {
      assert.equal(isRateLimitedRoute(method, url), true, `${method} ${url}`);
    }
  });

  test('leave out the data plane and everything outside /api/v1', () => {
    for (const [method, url] of [
      ['POST', '/api/v1/connections/:id/invoke'],
      ['POST', '/api/v1/connections/:id/deliveries'],
      ['POST', '/api/v1/connections/:id/deliveries/batch'],
      ['GET', '/healthz'],
      ['GET', '/metrics'],
      ['GET', '/openapi.json'],
      ['GET', '/docs'],
      ['GET', '/docs/static/*'],
    ] as const) {
      assert.equal(isRateLimitedRoute(method, url), false, `${method} ${url}`);
    }
  });
});

describe('rate limit buckets', () => {
  test('GET and HEAD read; every other method spends the budget of changes', () => {
    assert.deepEqual(
      ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'].map(rateLimitBucketOf),
      ['read', 'read', 'write', 'write', 'write', 'write', 'write'],
    );
  });
});
