import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApi, type TestApi } from '../helpers/test-api.ts';
import { testStores } from '../helpers/test-stores.ts';

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every `$ref` in `value`, wherever it sits. */
function collectRefs(value: unknown, refs: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) collectRefs(item, refs);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') refs.push(item);
      else collectRefs(item, refs);
    }
  }
  return refs;
}

/** The structural rules of OpenAPI 3.1 a client generator trips over first; [] when all hold. */
function openApiProblems(document: any): string[] {
  const problems: string[] = [];
  if (!/^3\.1\.\d+$/.test(String(document.openapi)))
    problems.push(`openapi is ${document.openapi}`);
  if (typeof document.info?.title !== 'string') problems.push('info.title is missing');
  if (typeof document.info?.version !== 'string') problems.push('info.version is missing');
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries<any>(document.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`path ${path} does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const method of Object.keys(item).filter((key) => methods.includes(key))) {
      const operation = item[method];
      const where = `${method.toUpperCase()} ${path}`;
      if (!operation.responses || Object.keys(operation.responses).length === 0)
        problems.push(`${where} has no responses`);
      for (const [status, answer] of Object.entries<any>(operation.responses ?? {})) {
        // a shared answer (`$ref: #/components/responses/NotFound`) carries the description
        const shared = /^#\/components\/responses\/(.+)$/.exec(answer.$ref ?? '')?.[1];
        const response = shared ? (document.components?.responses?.[shared] ?? {}) : answer;
        if (typeof response.description !== 'string')
          problems.push(`${where} ${status}: no description`);
      }
      const pathParams = (operation.parameters ?? []).filter((p: any) => p.in === 'path');
      for (const name of templated) {
        const param = pathParams.find((p: any) => p.name === name);
        if (!param?.required)
          problems.push(`${where}: path parameter ${name} is not declared required`);
      }
      if (operation.operationId) {
        if (operationIds.has(operation.operationId))
          problems.push(`${where}: duplicate operationId`);
        operationIds.add(operation.operationId);
      }
    }
  }
  for (const ref of collectRefs(document)) {
    const match = /^#\/components\/(schemas|responses|headers)\/(.+)$/.exec(ref);
    if (!match || !document.components?.[match[1]!]?.[match[2]!])
      problems.push(`unresolved $ref ${ref}`);
  }
  return problems;
}

for (const kind of testStores()) {
  describe(`health and OpenAPI on ${kind.name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await startTestApi(kind);
    });
    after(() => api.close());

    test('GET /healthz answers ok with the store reachable, without a token', async () => {
      const response = await api.request('GET', '/healthz', undefined, { token: null });
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { status: 'ok', store: 'ok' });
    });

    test('GET /openapi.json is a valid OpenAPI 3.1 document of the API, without a token', async () => {
      const response = await api.request('GET', '/openapi.json', undefined, { token: null });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      const document = response.body;
      assert.deepEqual(openApiProblems(document), []);
      assert.equal(document.info.title, 'Hookline API');
      for (const path of [
        '/api/v1/environments',
        '/api/v1/environments/{id}',
        '/api/v1/projects',
        '/api/v1/http-headers',
        '/api/v1/http-headers/{name}/values',
        '/api/v1/audit',
        '/healthz',
      ]) {
        assert.ok(document.paths[path], `${path} is not documented`);
      }
      assert.ok(!document.paths['/openapi.json'], 'the document describes itself');
      assert.deepEqual(document.components.securitySchemes.bearer, {
        type: 'http',
        scheme: 'bearer',
      });
      assert.deepEqual(document.paths['/healthz'].get.security, []);
    });

    test('the document validates what the API validates: environment ids and kinds', async () => {
      const { body: document } = await api.request('GET', '/openapi.json', undefined, {
        token: null,
      });
      const post = document.paths['/api/v1/environments'].post;
      const ref = post.requestBody.content['application/json'].schema.$ref as string;
      const schema = document.components.schemas[ref.split('/').pop()!];
      assert.deepEqual(schema.required.sort(), ['id', 'kind', 'name']);
      assert.deepEqual(schema.properties.kind.enum, ['development', 'test', 'production']);
      assert.ok(post.responses['409'], 'ENVIRONMENT_EXISTS is documented');
    });

    test('GET /docs serves the Swagger UI with every asset from this server (works offline)', async () => {
      const page = await api.request('GET', '/docs', undefined, { token: null });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.text, /swagger-ui/i);
      const assets = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      assert.ok(
        assets.some((asset) => asset.endsWith('.js')),
        'no script',
      );
      assert.ok(
        assets.some((asset) => asset.endsWith('.css')),
        'no stylesheet',
      );
      for (const asset of assets) {
        assert.ok(!/^(https?:)?\/\//i.test(asset), `${asset} comes from another server`);
        const url = new URL(asset, `${api.url}/docs`);
        assert.equal(url.origin, api.url);
        const response = await fetch(url);
        assert.equal(response.status, 200, `${asset} is not served`);
        const text = await response.text();
        if (asset.endsWith('.css')) {
          assert.doesNotMatch(
            text,
            /(url\(|@import)\s*['"]?(https?:)?\/\//i,
            `${asset} loads from elsewhere`,
          );
        }
      }
    });

    test('the Swagger UI loads the same document as /openapi.json, with no online validator', async () => {
      const initializer = await api.request(
        'GET',
        '/docs/static/swagger-initializer.js',
        undefined,
        {
          token: null,
        },
      );
      assert.equal(initializer.status, 200);
      assert.match(initializer.text, /validatorUrl:\s*null/);
      assert.match(initializer.text, /url:\s*resolveUrl\('\.\/json'\)/);
      const fromUi = await api.request('GET', '/docs/json', undefined, { token: null });
      const fromApi = await api.request('GET', '/openapi.json', undefined, { token: null });
      assert.deepEqual(fromUi.body, fromApi.body);
    });
  });
}
