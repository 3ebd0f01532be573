import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OpenApiDocument } from './openapi-components.ts';
import { completeOperations, deriveOperationId, type RouteFacts } from './openapi-operations.ts';

const list = {
  responses: {
    200: {
      content: {
        'application/json': { schema: { type: 'object', properties: { items: {}, next: {} } } },
      },
    },
  },
};
const one = { responses: { 200: { description: 'one' } } };

describe('deriveOperationId', () => {
  const rows: [string, string, Record<string, unknown>, string][] = [
    ['get', '/api/v1/connections', { get: list, post: {} }, 'connections.list'],
    ['post', '/api/v1/connections', { get: list, post: {} }, 'connections.create'],
    ['get', '/api/v1/connections/{id}', { get: one }, 'connections.get'],
    ['put', '/api/v1/connections/{id}', { put: {} }, 'connections.replace'],
    ['patch', '/api/v1/connections/{id}', { patch: {} }, 'connections.update'],
    ['delete', '/api/v1/connections/{id}', { delete: {} }, 'connections.delete'],
    ['post', '/api/v1/connections/{id}/move-to-global', { post: {} }, 'connections.moveToGlobal'],
    ['post', '/api/v1/deliveries/{id}/replay', { post: {} }, 'deliveries.replay'],
    ['get', '/api/v1/connections/{id}/revisions', { get: list }, 'connections.revisions.list'],
    [
      'get',
      '/api/v1/connections/{id}/revisions/{revision}',
      { get: one },
      'connections.revisions.get',
    ],
    ['get', '/api/v1/users/me', { get: one }, 'users.me.get'],
    ['get', '/healthz', { get: one }, 'healthz.get'],
  ];
  for (const [method, path, item, id] of rows) {
    test(`${method.toUpperCase()} ${path} → ${id}`, () => {
      assert.equal(deriveOperationId(method, path, item), id);
    });
  }
});

describe('completeOperations', () => {
  const facts = (overrides: Partial<RouteFacts>): RouteFacts => ({
    permission: 'config:write',
    hasBody: false,
    hasPathParams: false,
    hasResourceId: false,
    hasQuery: false,
    hasHeaders: false,
    headerNames: [],
    ...overrides,
  });
  const statuses = (document: OpenApiDocument, path: string, method: string) =>
    Object.keys((document.paths?.[path]?.[method] as { responses: object }).responses);

  test('adds the statuses a route can answer from what it declares, and keeps its own', () => {
    const document: OpenApiDocument = {
      paths: {
        '/api/v1/connections/{id}/deliveries': {
          post: { responses: { 202: { description: 'accepted' }, 409: errorAnswer() } },
        },
        '/healthz': { get: { responses: { 200: { description: 'ok' } } } },
      },
    };
    completeOperations(
      document,
      new Map([
        [
          'POST /api/v1/connections/{id}/deliveries',
          facts({
            hasBody: true,
            hasPathParams: true,
            hasResourceId: true,
            headerNames: ['idempotency-key'],
          }),
        ],
        ['GET /healthz', facts({ permission: 'public' })],
      ]),
    );
    // the data plane is not rate-limited (plugins/rate-limit.ts): no 429
    assert.deepEqual(statuses(document, '/api/v1/connections/{id}/deliveries', 'post'), [
      '202',
      '400',
      '401',
      '403',
      '404',
      '409',
      '413',
      '415',
      '422',
    ]);
    assert.deepEqual(statuses(document, '/healthz', 'get'), ['200']);
    const responses = document.components?.responses as Record<string, { description: string }>;
    assert.match(responses.Forbidden?.description ?? '', /`FORBIDDEN`/);
    assert.deepEqual(document.paths?.['/api/v1/connections/{id}/deliveries']?.post, {
      operationId: 'connections.deliveries',
      responses: {
        202: { description: 'accepted' },
        400: { $ref: '#/components/responses/BadRequest' },
        401: { $ref: '#/components/responses/Unauthenticated' },
        403: { $ref: '#/components/responses/Forbidden' },
        404: { $ref: '#/components/responses/NotFound' },
        409: { $ref: '#/components/responses/Conflict' },
        413: { $ref: '#/components/responses/PayloadTooLarge' },
        415: { $ref: '#/components/responses/UnsupportedMediaType' },
        422: { $ref: '#/components/responses/UnprocessableContent' },
      },
    });
  });

  test('documents Location on 201, ETag on a Connection and the rate-limit headers', () => {
    const connection = {
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Connection' } } },
    };
    const document: OpenApiDocument = {
      paths: { '/api/v1/connections': { post: { responses: { 201: { ...connection } } } } },
    };
    completeOperations(document, new Map([['POST /api/v1/connections', facts({ hasBody: true })]]));
    const created = (
      document.paths?.['/api/v1/connections']?.post as {
        responses: Record<string, { headers?: object }>;
      }
    ).responses['201'];
    assert.deepEqual(Object.keys(created?.headers ?? {}), [
      'Location',
      'ETag',
      'X-RateLimit-Limit',
      'X-RateLimit-Remaining',
      'X-RateLimit-Reset',
    ]);
    const rateLimited = (document.components?.responses as Record<string, { headers: object }>)
      .RateLimited;
    assert.ok(rateLimited && 'Retry-After' in rateLimited.headers);
  });
});

function errorAnswer() {
  return {
    description: 'Default Response',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}
