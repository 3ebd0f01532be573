import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import { Agent, fetch as undiciFetch } from 'undici';
import { bodyLimitBytes } from '../../src/api/create-app.ts';
import { registerSecurityHeaders } from '../../src/api/plugins/security-headers.ts';
import { createTestPki } from '../helpers/test-certificates.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const expected: Record<string, string> = {
  'content-security-policy':
    "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data:;connect-src 'self';frame-ancestors 'none';base-uri 'self';form-action 'self';object-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function assertSecurityHeaders(response: { headers: Headers; status: number }, what: string) {
  for (const [name, value] of Object.entries(expected)) {
    assert.equal(response.headers.get(name), value, `${what}: ${name}`);
  }
  assert.equal(response.headers.get('x-powered-by'), null, `${what}: x-powered-by`);
  // plain http: a browser ignores HSTS here, and it must not pin https on the host
  assert.equal(response.headers.get('strict-transport-security'), null, `${what}: HSTS`);
}

const sqlite = testStores().find((kind) => kind.name === 'sqlite')!;

describe('security headers', () => {
  let api: TestApi;
  before(async () => {
    api = await startTestApi(sqlite);
  });
  after(() => api.close());

  const cases: Array<[string, () => Promise<ApiResponse>, number]> = [
    ['a GET answer', () => api.request('GET', '/api/v1/projects'), 200],
    ['a 201 answer', () => api.request('POST', '/api/v1/projects', { id: 'sh', name: 'SH' }), 201],
    ['a 401', () => api.request('GET', '/api/v1/projects', undefined, { token: null }), 401],
    [
      'a 401 for an unknown token',
      () => api.request('GET', '/api/v1/projects', undefined, { token: 'hl_nope' }),
      401,
    ],
    ['a 404 of no route', () => api.request('GET', '/api/v1/no-such-thing'), 404],
    ['a 404 of no resource', () => api.request('GET', '/api/v1/projects/missing'), 404],
    ['a POST refused with 400', () => api.request('POST', '/api/v1/projects', { id: '' }), 400],
    ['a POST of bad JSON', () => api.request('POST', '/api/v1/projects', '{"id":'), 400],
    [
      'a POST refused with 413',
      () => api.request('POST', '/api/v1/projects', `"${'x'.repeat(bodyLimitBytes)}"`),
      413,
    ],
    [
      'a POST refused with 415',
      () =>
        api.request('POST', '/api/v1/projects', 'id=x', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      415,
    ],
    ['/healthz', () => api.request('GET', '/healthz', undefined, { token: null }), 200],
    ['/openapi.json', () => api.request('GET', '/openapi.json', undefined, { token: null }), 200],
  ];
  for (const [what, send, status] of cases) {
    test(`are on ${what}`, async () => {
      const response = await send();
      assert.equal(response.status, status, response.text);
      assertSecurityHeaders(response, what);
    });
  }

  test('the /docs page loads under the CSP: only same-origin scripts and styles, no inline script', async () => {
    const page = await fetch(`${api.url}/docs/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assertSecurityHeaders(page, '/docs');
    const html = await page.text();

    // script-src 'self': every script is a same-origin file, none inline, no handler attributes
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 3, html);
    for (const [, attributes, body] of scripts) {
      assert.match(attributes!, /\bsrc="\.\/static\/[^"]+\.js"/, attributes);
      assert.equal(body!.trim(), '', 'inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler');
    // style-src / img-src 'self': stylesheets and icons from here too
    const links = [...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/gi)].map((m) => m[1]!);
    assert.ok(links.length >= 2, html);
    const assets = [
      ...scripts.map(([, attributes]) => /src="([^"]+)"/.exec(attributes!)![1]!),
      ...links,
    ];
    for (const asset of assets) {
      assert.ok(asset.startsWith('./static/'), asset);
      const response = await fetch(new URL(asset, `${api.url}/docs/`));
      assert.equal(response.status, 200, asset);
      assertSecurityHeaders(response, asset);
      await response.arrayBuffer();
    }
    // connect-src 'self': the initializer loads the document from ./json, on this origin
    const initializer = await (await fetch(`${api.url}/docs/static/swagger-initializer.js`)).text();
    assert.ok(initializer.includes("url: resolveUrl('./json')"), 'the document URL');
    // no validator badge: it is an image from validator.swagger.io, which img-src refuses
    assert.ok(initializer.includes('validatorUrl: null'), 'validatorUrl');
    const document = await fetch(`${api.url}/docs/json`);
    assert.equal(document.status, 200);
  });
});

describe('security headers over https', () => {
  test('add Strict-Transport-Security only when the request came over https', async () => {
    const pki = await createTestPki();
    const app = Fastify({ https: { cert: pki.server.certPem, key: pki.server.keyPem } });
    registerSecurityHeaders(app);
    app.get('/x', async () => ({ ok: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const agent = new Agent({ connect: { ca: pki.ca.certPem } });
    try {
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const response = await undiciFetch(`https://127.0.0.1:${port}/x`, { dispatcher: agent });
      assert.equal(response.status, 200);
      assert.equal(
        response.headers.get('strict-transport-security'),
        'max-age=31536000; includeSubDomains',
      );
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      await response.arrayBuffer();
    } finally {
      await agent.close();
      await app.close();
    }
  });
});
