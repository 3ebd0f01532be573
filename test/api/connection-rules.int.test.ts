import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  uniqueName,
  validConnection,
  validEnvironment,
  withProduction,
} from '../helpers/connection-fixtures.ts';
import { startTestApi, type ApiResponse, type TestApi } from '../helpers/test-api.ts';
import { createTestCertificate } from '../helpers/test-certificates.ts';
import { testStores } from '../helpers/test-stores.ts';

// Every connection rule of DESIGN.md §1, proven through POST/PUT /api/v1/connections: a refused
// body answers 400 VALIDATION_FAILED with exactly the one field path at fault (or 409) and writes
// nothing; the boundary value next to it is saved.

type Body = Record<string, unknown>;

const base = '/api/v1/connections';
const prod = 'environments.production';

/** A refused body and the one problem path it must be refused at. */
interface Refused {
  rule: string;
  body: () => Body;
  path: string;
}

/** A body that must be saved; `check` reads the stored connection back. */
interface Accepted {
  rule: string;
  body: () => Body;
  check?: (stored: any) => void;
}

/** Production headers with a good one first, so the path proves the index: `headers[1]`. */
const secondHeader = (header: Body): Body =>
  withProduction({ headers: [{ name: 'X-Source', value: 'hookline' }, header] });

const manyHeaders = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ name: `X-Header-${i}`, value: `value-${i}` }));

const named =
  (name: string): (() => Body) =>
  () =>
    validConnection({ name });

// -- name ----------------------------------------------------------------------------------------

const refusedNames: Refused[] = [
  { rule: 'a missing name', body: () => validConnection({ name: undefined }), path: 'name' },
  { rule: 'an empty name', body: named(''), path: 'name' },
  { rule: 'a name of 101 characters', body: named('n'.repeat(101)), path: 'name' },
  { rule: 'a name with a leading space', body: named(' Leading'), path: 'name' },
  { rule: 'a name with a trailing space', body: named('Trailing '), path: 'name' },
  { rule: 'a name with a space inside', body: named('Web Hook'), path: 'name' },
  { rule: "a name with '/'", body: named('Web/Hook'), path: 'name' },
  { rule: "a name with 'é'", body: named('Café_Hook'), path: 'name' },
  { rule: "a name with '{'", body: named('Hook{x'), path: 'name' },
];

const acceptedNames: Accepted[] = [
  { rule: 'Production_Webhook', body: named('Production_Webhook') },
  { rule: 'prod.hook-2', body: named('prod.hook-2') },
  {
    rule: 'a name of exactly 100 characters',
    body: () => validConnection({ name: uniqueName('Long').padEnd(100, 'x') }),
    check: (stored) => assert.equal(stored.name.length, 100),
  },
];

// -- description and environments ----------------------------------------------------------------

const refusedShapes: Refused[] = [
  {
    rule: 'a description of 1001 characters',
    body: () => validConnection({ description: 'd'.repeat(1001) }),
    path: 'description',
  },
  {
    rule: 'an environment id that does not exist',
    body: () => validConnection({ environments: { staging: validEnvironment() } }),
    path: 'environments.staging',
  },
  {
    rule: 'an empty environments map',
    body: () => validConnection({ environments: {} }),
    path: 'environments',
  },
  {
    rule: 'a body without environments',
    body: () => validConnection({ environments: undefined }),
    path: 'environments',
  },
];

const acceptedShapes: Accepted[] = [
  {
    rule: 'a description of 1000 characters',
    body: () => validConnection({ description: 'd'.repeat(1000) }),
    check: (stored) => assert.equal(stored.description.length, 1000),
  },
];

// -- method and url ------------------------------------------------------------------------------

const methods = ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH', 'TRACE'];

const refusedMethodsAndUrls: Refused[] = [
  {
    rule: "the method 'get' (lower case)",
    body: () => withProduction({ method: 'get' }),
    path: `${prod}.method`,
  },
  {
    rule: 'the method CONNECT',
    body: () => withProduction({ method: 'CONNECT' }),
    path: `${prod}.method`,
  },
  {
    rule: 'a missing method',
    body: () => withProduction({ method: undefined }),
    path: `${prod}.method`,
  },
  { rule: 'a missing url', body: () => withProduction({ url: undefined }), path: `${prod}.url` },
  {
    rule: 'a relative url',
    body: () => withProduction({ url: '/hooks/events' }),
    path: `${prod}.url`,
  },
  {
    rule: 'an ftp:// url',
    body: () => withProduction({ url: 'ftp://files.example.com/drop' }),
    path: `${prod}.url`,
  },
  {
    rule: 'a url carrying credentials',
    body: () => withProduction({ url: 'https://user:pw@hooks.example.com/events' }),
    path: `${prod}.url`,
  },
  {
    rule: 'a url with an unclosed template',
    body: () => withProduction({ url: 'https://{{var.HOST/x' }),
    path: `${prod}.url`,
  },
  {
    rule: 'a url with an unknown template namespace',
    body: () => withProduction({ url: 'https://{{foo.X}}/events' }),
    path: `${prod}.url`,
  },
];

const acceptedMethodsAndUrls: Accepted[] = [
  ...methods.map((method): Accepted => ({
    rule: `the method ${method}`,
    body: () => withProduction({ method }),
    check: (stored) => assert.equal(stored.environments.production.method, method),
  })),
  {
    rule: 'a url with var and param templates',
    body: () => withProduction({ url: 'https://{{var.HOST}}/api?id={{param.id}}' }),
    check: (stored) =>
      assert.equal(stored.environments.production.url, 'https://{{var.HOST}}/api?id={{param.id}}'),
  },
];

// -- headers -------------------------------------------------------------------------------------

const header1 = `${prod}.headers[1]`;

const refusedHeaders: Refused[] = [
  {
    rule: 'an empty header name',
    body: () => secondHeader({ name: '', value: 'v' }),
    path: `${header1}.name`,
  },
  {
    rule: "the header name 'X Bad' (not an RFC 9110 token)",
    body: () => secondHeader({ name: 'X Bad', value: 'v' }),
    path: `${header1}.name`,
  },
  {
    rule: "the header name 'X:Y' (not an RFC 9110 token)",
    body: () => secondHeader({ name: 'X:Y', value: 'v' }),
    path: `${header1}.name`,
  },
  {
    rule: 'an empty header value',
    body: () => secondHeader({ name: 'X-Empty', value: '' }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value of spaces only',
    body: () => secondHeader({ name: 'X-Blank', value: '   ' }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value with CR',
    body: () => secondHeader({ name: 'X-Inject', value: 'a\rSet-Cookie: x=1' }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value with LF',
    body: () => secondHeader({ name: 'X-Inject', value: 'a\nSet-Cookie: x=1' }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value with NUL',
    body: () => secondHeader({ name: 'X-Inject', value: 'a\u0000b' }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value of 4097 ASCII bytes',
    body: () => secondHeader({ name: 'X-Big', value: 'a'.repeat(4097) }),
    path: `${header1}.value`,
  },
  {
    // 2049 characters, 4098 bytes: bytes are counted, not characters
    rule: 'a header value of 4098 bytes in 2049 two-byte characters',
    body: () => secondHeader({ name: 'X-Big', value: 'é'.repeat(2049) }),
    path: `${header1}.value`,
  },
  {
    rule: 'a header value of 4097 bytes mixing one- and two-byte characters',
    body: () => secondHeader({ name: 'X-Big', value: 'a' + 'é'.repeat(2048) }),
    path: `${header1}.value`,
  },
  {
    rule: '65 headers',
    body: () => withProduction({ headers: manyHeaders(65) }),
    path: `${prod}.headers`,
  },
  {
    rule: 'a header name repeated in another case',
    body: () =>
      withProduction({
        headers: [
          { name: 'X-Tenant', value: 'a' },
          { name: 'x-TENANT', value: 'b' },
        ],
      }),
    path: `${header1}.name`,
  },
];

const acceptedHeaders: Accepted[] = [
  {
    rule: 'a header value of 4096 ASCII bytes',
    body: () => secondHeader({ name: 'X-Big', value: 'a'.repeat(4096) }),
    check: (stored) => assert.equal(stored.environments.production.headers[1].value.length, 4096),
  },
  {
    rule: 'a header value of 4096 bytes in 2048 two-byte characters',
    body: () => secondHeader({ name: 'X-Big', value: 'é'.repeat(2048) }),
    check: (stored) =>
      assert.equal(stored.environments.production.headers[1].value, 'é'.repeat(2048)),
  },
  {
    rule: '64 headers',
    body: () => withProduction({ headers: manyHeaders(64) }),
    check: (stored) => assert.deepEqual(stored.environments.production.headers, manyHeaders(64)),
  },
];

const forbiddenHeaders = [
  'Connection',
  'Keep-Alive',
  'Transfer-Encoding',
  'TE',
  'Trailer',
  'Upgrade',
  'Proxy-Connection',
  'Content-Length',
  'Host',
];

/** As written, lower case, upper case and alternating case: `kEeP-AlIvE`. */
const casesOf = (name: string): string[] => [
  name,
  name.toLowerCase(),
  name.toUpperCase(),
  [...name].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join(''),
];

// -- timeouts, pool, retry, signing, tls --------------------------------------------------------

const refusedNumbers: Refused[] = [
  ...['connectTimeoutMs', 'requestTimeoutMs'].flatMap((field) =>
    [999, 60001, 1500.5].map((value): Refused => ({
      rule: `${field} ${value}`,
      body: () => withProduction({ [field]: value }),
      path: `${prod}.${field}`,
    })),
  ),
  ...[-1, 1025].map((value): Refused => ({
    rule: `poolSize ${value}`,
    body: () => withProduction({ poolSize: value }),
    path: `${prod}.poolSize`,
  })),
  {
    rule: 'a retry whose maxWaitSeconds is below waitSeconds',
    body: () => withProduction({ retry: { maxAttempts: 3, waitSeconds: 10, maxWaitSeconds: 5 } }),
    path: `${prod}.retry.maxWaitSeconds`,
  },
  {
    rule: "the retry backoff 'linear'",
    body: () => withProduction({ retry: { maxAttempts: 3, waitSeconds: 10, backoff: 'linear' } }),
    path: `${prod}.retry.backoff`,
  },
];

const acceptedNumbers: Accepted[] = [
  ...['connectTimeoutMs', 'requestTimeoutMs'].flatMap((field) =>
    [1000, 60000].map((value): Accepted => ({
      rule: `${field} ${value}`,
      body: () => withProduction({ [field]: value }),
      check: (stored) => assert.equal(stored.environments.production[field], value),
    })),
  ),
  {
    rule: 'no timeouts and no poolSize, defaulting to 2000 ms, 2000 ms and 0',
    body: () => withProduction({}),
    check: (stored) => {
      const { connectTimeoutMs, requestTimeoutMs, poolSize } = stored.environments.production;
      assert.deepEqual([connectTimeoutMs, requestTimeoutMs, poolSize], [2000, 2000, 0]);
    },
  },
  ...[0, 1024].map((value): Accepted => ({
    rule: `poolSize ${value}`,
    body: () => withProduction({ poolSize: value }),
    check: (stored) => assert.equal(stored.environments.production.poolSize, value),
  })),
  {
    rule: 'a retry whose maxWaitSeconds equals waitSeconds',
    body: () => withProduction({ retry: { maxAttempts: 3, waitSeconds: 10, maxWaitSeconds: 10 } }),
    check: (stored) =>
      assert.deepEqual(stored.environments.production.retry, {
        maxAttempts: 3,
        waitSeconds: 10,
        backoff: 'exponential',
        maxWaitSeconds: 10,
      }),
  },
];

const refusedSigning: Refused[] = [
  {
    rule: 'standard-webhooks signing with a literal secret',
    body: () => withProduction({ signing: { scheme: 'standard-webhooks', secret: 'whsec_abc' } }),
    path: `${prod}.signing.secret`,
  },
  {
    rule: 'standard-webhooks signing with a variable instead of a secret',
    body: () => withProduction({ signing: { scheme: 'standard-webhooks', secret: '{{var.WH}}' } }),
    path: `${prod}.signing.secret`,
  },
  {
    rule: 'hmac-sha256 signing with a literal secret',
    body: () => withProduction({ signing: { scheme: 'hmac-sha256', secret: 'hunter2' } }),
    path: `${prod}.signing.secret`,
  },
  {
    rule: 'an unknown signing scheme',
    body: () => withProduction({ signing: { scheme: 'rsa-sha512', secret: '{{secret.WH}}' } }),
    path: `${prod}.signing.scheme`,
  },
  {
    rule: 'TLS verification off in production',
    body: () => withProduction({ tls: { verify: false } }),
    path: `${prod}.tls.verify`,
  },
  {
    rule: 'TLS verification off in another production-kind environment',
    body: () =>
      validConnection({
        environments: { 'live-eu': validEnvironment({ tls: { verify: false } }) },
      }),
    path: 'environments.live-eu.tls.verify',
  },
];

const acceptedSigning: Accepted[] = [
  {
    rule: 'standard-webhooks signing with a {{secret.WH}} reference',
    body: () =>
      withProduction({ signing: { scheme: 'standard-webhooks', secret: '{{secret.WH}}' } }),
    check: (stored) =>
      assert.deepEqual(stored.environments.production.signing, {
        scheme: 'standard-webhooks',
        secret: '{{secret.WH}}',
      }),
  },
  {
    rule: 'hmac-sha256 signing without a header, defaulting it to X-Signature-256',
    body: () => withProduction({ signing: { scheme: 'hmac-sha256', secret: '{{secret.WH}}' } }),
    check: (stored) =>
      assert.deepEqual(stored.environments.production.signing, {
        scheme: 'hmac-sha256',
        secret: '{{secret.WH}}',
        header: 'X-Signature-256',
      }),
  },
  ...['development', 'test', 'qa-eu'].map((environment): Accepted => ({
    rule: `TLS verification off in the non-production environment ${environment}`,
    body: () =>
      validConnection({
        environments: { [environment]: validEnvironment({ tls: { verify: false } }) },
      }),
    check: (stored) => assert.equal(stored.environments[environment].tls.verify, false),
  })),
];

// -- unknown fields ------------------------------------------------------------------------------

const refusedUnknownKeys: Refused[] = [
  {
    rule: "an unknown top-level field 'foo'",
    body: () => validConnection({ foo: 1 }),
    path: 'foo',
  },
  {
    rule: "an unknown environment field 'timeoutMs'",
    body: () => withProduction({ timeoutMs: 5000 }),
    path: `${prod}.timeoutMs`,
  },
  {
    rule: "an unknown tls field 'insecure'",
    body: () => withProduction({ tls: { verify: true, insecure: true } }),
    path: `${prod}.tls.insecure`,
  },
  {
    rule: "an unknown header field 'sensitive'",
    body: () => secondHeader({ name: 'X-Extra', value: 'v', sensitive: true }),
    path: `${header1}.sensitive`,
  },
];

const refusedGroups: Array<[string, Refused[]]> = [
  ['name', refusedNames],
  ['description and environments', refusedShapes],
  ['method and url', refusedMethodsAndUrls],
  ['headers', refusedHeaders],
  ['timeouts, poolSize and retry', refusedNumbers],
  ['signing and tls', refusedSigning],
  ['unknown fields', refusedUnknownKeys],
];

const acceptedGroups: Array<[string, Accepted[]]> = [
  ['name', acceptedNames],
  ['description', acceptedShapes],
  ['method and url', acceptedMethodsAndUrls],
  ['headers', acceptedHeaders],
  ['timeouts, poolSize and retry', acceptedNumbers],
  ['signing and tls', acceptedSigning],
];

const pathsOf = (response: ApiResponse): string[] =>
  (response.body?.error?.details?.problems ?? []).map((p: { path: string }) => p.path);

for (const kind of testStores()) {
  describe(`connection rules on ${kind.name}`, () => {
    let api: TestApi;

    before(async () => {
      api = await startTestApi(kind);
      const setup: Array<[string, Body]> = [
        ['/api/v1/projects', { id: 'alpha', name: 'Alpha' }],
        ['/api/v1/projects', { id: 'beta', name: 'Beta' }],
        ['/api/v1/environments', { id: 'live-eu', name: 'Live EU', kind: 'production' }],
        ['/api/v1/environments', { id: 'qa-eu', name: 'QA EU', kind: 'test' }],
      ];
      for (const [path, body] of setup) {
        const response = await api.request('POST', path, body);
        assert.equal(response.status, 201, response.text);
      }
    });
    after(() => api.close());

    /** Every connection the API lists, across all pages. */
    async function countConnections(): Promise<number> {
      let total = 0;
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const response = await api.request('GET', `${base}?limit=500${query}`);
        assert.equal(response.status, 200, response.text);
        total += response.body.items.length;
        cursor = response.body.next;
      } while (cursor);
      return total;
    }

    async function expectRefused(body: Body, path: string): Promise<ApiResponse> {
      const before = await countConnections();
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 400, response.text);
      assert.equal(response.body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(pathsOf(response), [path]);
      assert.equal(await countConnections(), before, 'nothing was written');
      return response;
    }

    async function expectNameTaken(body: Body): Promise<void> {
      const before = await countConnections();
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 409, response.text);
      assert.equal(response.body.error.code, 'CONNECTION_NAME_TAKEN');
      assert.equal(await countConnections(), before, 'nothing was written');
    }

    /** Saves `body`, checks it is listed and answers what GET reads back. */
    async function expectCreated(body: Body): Promise<{ created: any; stored: any }> {
      const before = await countConnections();
      const response = await api.request('POST', base, body);
      assert.equal(response.status, 201, response.text);
      assert.equal(await countConnections(), before + 1);
      const read = await api.request('GET', `${base}/${response.body.id}`);
      assert.equal(read.status, 200, read.text);
      assert.equal(read.body.name, body.name);
      return { created: response.body, stored: read.body };
    }

    for (const [group, rows] of refusedGroups) {
      describe(`refuses on create: ${group}`, () => {
        for (const row of rows) {
          test(`refuses ${row.rule} at ${row.path || '(body)'}`, async () => {
            await expectRefused(row.body(), row.path);
          });
        }
      });
    }

    for (const [group, rows] of acceptedGroups) {
      describe(`saves on create: ${group}`, () => {
        for (const row of rows) {
          test(`saves ${row.rule}`, async () => {
            const { created, stored } = await expectCreated(row.body());
            assert.equal(created.warnings, undefined, 'a clean https connection has no warnings');
            row.check?.(stored);
          });
        }
      });
    }

    describe('refuses hop-by-hop and framing headers in any case', () => {
      for (const name of forbiddenHeaders) {
        test(`refuses the header ${name} written ${casesOf(name).join(', ')}`, async () => {
          for (const written of casesOf(name)) {
            await expectRefused(secondHeader({ name: written, value: 'x' }), `${header1}.name`);
          }
        });
      }
    });

    describe('names are unique ignoring case', () => {
      test('refuses a name that differs only in case from one in the same project', async () => {
        const name = uniqueName('Hook');
        await expectCreated(validConnection({ name }));
        await expectNameTaken(validConnection({ name: name.toLowerCase() }));
        await expectNameTaken(validConnection({ name: name.toUpperCase(), project: 'default' }));
      });

      test('saves the same name in two different projects', async () => {
        const name = uniqueName('Shared');
        const inAlpha = await expectCreated(validConnection({ name, project: 'alpha' }));
        const inBeta = await expectCreated(validConnection({ name, project: 'beta' }));
        assert.deepEqual([inAlpha.stored.project, inBeta.stored.project], ['alpha', 'beta']);
      });

      test('refuses a global name that a project connection already uses', async () => {
        const name = uniqueName('Ledger');
        await expectCreated(validConnection({ name, project: 'alpha' }));
        await expectNameTaken(validConnection({ name: name.toLowerCase(), global: true }));
      });

      test('refuses a project name that a global connection already uses', async () => {
        const name = uniqueName('Pager');
        const global = await expectCreated(validConnection({ name, global: true }));
        assert.equal(global.stored.global, true);
        await expectNameTaken(validConnection({ name: name.toUpperCase(), project: 'beta' }));
        await expectNameTaken(validConnection({ name }));
      });
    });

    describe('plain http in production saves with a warning', () => {
      test('answers INSECURE_URL at environments.production.url for http:// in production', async () => {
        const { created, stored } = await expectCreated(
          withProduction({ url: 'http://hooks.example.com/events' }),
        );
        assert.deepEqual(
          created.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
          [['INSECURE_URL', `${prod}.url`]],
        );
        assert.equal(stored.environments.production.url, 'http://hooks.example.com/events');
      });

      test('warns for another production-kind environment, never for development', async () => {
        const { created } = await expectCreated(
          validConnection({
            environments: {
              development: validEnvironment({ url: 'http://localhost:8080/events' }),
              'live-eu': validEnvironment({ url: 'http://hooks.example.com/events' }),
            },
          }),
        );
        assert.deepEqual(
          created.warnings.map((w: { code: string; path: string }) => [w.code, w.path]),
          [['INSECURE_URL', 'environments.live-eu.url']],
        );
      });

      test('saves http:// in development without a warning', async () => {
        const { created } = await expectCreated(
          validConnection({
            environments: { development: validEnvironment({ url: 'http://localhost:8080/x' }) },
          }),
        );
        assert.equal(created.warnings, undefined);
      });
    });

    describe('tls names certificates and key stores that exist', () => {
      before(async () => {
        const pair = createTestCertificate();
        const certificate = await api.request('POST', '/api/v1/certificates', {
          name: 'rules-ca',
          pem: pair.certPem,
        });
        assert.equal(certificate.status, 201, certificate.text);
        const keyStore = await api.request('POST', '/api/v1/keystores', {
          name: 'rules-client',
          format: 'pem',
          certificatePem: pair.certPem,
          privateKeyPem: pair.keyPem,
        });
        assert.equal(keyStore.status, 201, keyStore.text);
      });

      test('refuses an unknown certificate at its index', async () => {
        const response = await expectRefused(
          withProduction({ tls: { caCertificates: ['rules-ca', 'no-such-ca'] } }),
          `${prod}.tls.caCertificates[1]`,
        );
        assert.match(
          response.body.error.details.problems[0].message,
          /unknown certificate 'no-such-ca'/,
        );
      });

      test('refuses an unknown key store', async () => {
        await expectRefused(
          withProduction({ tls: { keyStore: 'no-such-store' } }),
          `${prod}.tls.keyStore`,
        );
      });

      test('saves names that exist, in any case', async () => {
        const { stored } = await expectCreated({
          ...withProduction({ tls: { caCertificates: ['RULES-CA'], keyStore: 'Rules-Client' } }),
          name: uniqueName('Tls_Refs'),
        });
        assert.deepEqual(stored.environments.production.tls.caCertificates, ['RULES-CA']);
      });

      test('reports an unknown certificate with the schema problems of the same body', async () => {
        const response = await api.request(
          'POST',
          base,
          withProduction({ method: 'FETCH', tls: { caCertificates: ['no-such-ca'] } }),
        );
        assert.equal(response.status, 400, response.text);
        assert.deepEqual(pathsOf(response).sort(), [
          `${prod}.method`,
          `${prod}.tls.caCertificates[0]`,
        ]);
      });
    });

    describe('several problems in one request', () => {
      test('reports a bad name, url and header value together, each at its path', async () => {
        const before = await countConnections();
        const response = await api.request(
          'POST',
          base,
          validConnection({
            name: 'bad name',
            environments: {
              production: validEnvironment({
                url: 'ftp://files.example.com/drop',
                headers: [{ name: 'X-Source', value: 'a\r\nb' }],
              }),
            },
          }),
        );
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(pathsOf(response).sort(), [
          `${prod}.headers[0].value`,
          `${prod}.url`,
          'name',
        ]);
        assert.equal(await countConnections(), before, 'nothing was written');
      });

      test('reports field problems and environment problems together, each at its path', async () => {
        const before = await countConnections();
        const response = await api.request(
          'POST',
          base,
          validConnection({
            name: 'bad name',
            environments: {
              production: validEnvironment({ tls: { verify: false } }),
              staging: validEnvironment(),
            },
          }),
        );
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(pathsOf(response).sort(), [
          `${prod}.tls.verify`,
          'environments.staging',
          'name',
        ]);
        assert.equal(await countConnections(), before, 'nothing was written');
      });
    });

    describe('the rules apply on PUT too', () => {
      /** A saved connection and the PUT body that would keep it as it is. */
      async function saved(): Promise<{ id: string; read: any; body: (env: Body) => Body }> {
        const name = uniqueName('Kept');
        const { created } = await expectCreated(
          withProduction({ headers: [{ name: 'X-Source', value: 'hookline' }] }, { name }),
        );
        const read = await api.request('GET', `${base}/${created.id}`);
        return {
          id: created.id,
          read: read.body,
          body: (env) => ({
            name,
            description: created.description,
            environments: {
              production: validEnvironment({
                headers: [{ name: 'X-Source', value: 'hookline' }],
                ...env,
              }),
            },
          }),
        };
      }

      async function expectUnchanged(id: string, read: unknown): Promise<void> {
        const now = await api.request('GET', `${base}/${id}`);
        assert.equal(now.status, 200, now.text);
        assert.deepEqual(now.body, read, 'the connection is unchanged');
      }

      test('refuses a CRLF header value on update and keeps the connection as it was', async () => {
        const { id, read, body } = await saved();
        const crlf = { headers: [{ name: 'X-Source', value: 'hook\r\nX-Evil: 1' }] };
        const response = await api.request('PUT', `${base}/${id}`, body(crlf));
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(pathsOf(response), [`${prod}.headers[0].value`]);
        await expectUnchanged(id, read);

        // the same PUT with a clean value is saved: the CRLF was what was refused
        const clean = { headers: [{ name: 'X-Source', value: 'hook-line' }] };
        const fixed = await api.request('PUT', `${base}/${id}`, body(clean));
        assert.equal(fixed.status, 200, fixed.text);
        assert.equal(fixed.body.revision, 2);
        assert.equal(fixed.body.environments.production.headers[0].value, 'hook-line');
      });

      test('refuses TLS verification off in production on update', async () => {
        const { id, read, body } = await saved();
        const response = await api.request(
          'PUT',
          `${base}/${id}`,
          body({ tls: { verify: false } }),
        );
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(pathsOf(response), [`${prod}.tls.verify`]);
        await expectUnchanged(id, read);
      });

      test('refuses a rename onto a name the project already uses, ignoring case', async () => {
        const taken = uniqueName('Taken');
        await expectCreated(validConnection({ name: taken }));
        const { id, read, body } = await saved();
        const response = await api.request('PUT', `${base}/${id}`, {
          ...body({}),
          name: taken.toUpperCase(),
        });
        assert.equal(response.status, 409, response.text);
        assert.equal(response.body.error.code, 'CONNECTION_NAME_TAKEN');
        await expectUnchanged(id, read);
      });

      test('a merge patch is checked as a whole: field and environment problems together', async () => {
        const { id, read } = await saved();
        const response = await api.request(
          'PATCH',
          `${base}/${id}`,
          {
            description: 'x'.repeat(1001),
            environments: { staging: validEnvironment(), production: { tls: { verify: false } } },
          },
          { headers: { 'content-type': 'application/merge-patch+json' } },
        );
        assert.equal(response.status, 400, response.text);
        assert.equal(response.body.error.code, 'VALIDATION_FAILED');
        assert.deepEqual(pathsOf(response).sort(), [
          'description',
          `${prod}.tls.verify`,
          'environments.staging',
        ]);
        await expectUnchanged(id, read);
      });
    });
  });
}
