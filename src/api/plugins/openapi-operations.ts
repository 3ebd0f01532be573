import type { RouteOptions } from 'fastify';
import { errorCatalog, errorCodes } from '../../core/errors.ts';
import type { OpenApiDocument } from './openapi-components.ts';
import { isObject } from './openapi-schemas.ts';
import { isRateLimitedRoute } from './rate-limit.ts';

/** What a route declares that decides the statuses and headers it can answer. */
export interface RouteFacts {
  /** config.permission: 'public' routes skip the auth hook (no 401 or 403 from it) */
  permission: string | undefined;
  hasBody: boolean;
  hasPathParams: boolean;
  /** the path names a resource by `:id`: one that does not exist is NOT_FOUND */
  hasResourceId: boolean;
  hasQuery: boolean;
  hasHeaders: boolean;
  /** request header names the route's schema declares, lower case */
  headerNames: string[];
}

/** `POST /api/v1/connections/{id}/invoke`: the key of an operation in the facts map. */
export function operationKey(method: string, openApiPath: string): string {
  return `${method.toUpperCase()} ${openApiPath}`;
}

/** `/api/v1/connections/:id` → `/api/v1/connections/{id}` (as @fastify/swagger writes it). */
export function openApiPathOf(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');
}

export function routeFactsOf(route: RouteOptions): RouteFacts {
  const schema = (route.schema ?? {}) as Record<string, unknown>;
  const headers = schema.headers as { shape?: Record<string, unknown> } | undefined;
  return {
    permission: route.config?.permission,
    hasBody: schema.body !== undefined,
    hasPathParams: schema.params !== undefined || route.url.includes(':'),
    hasResourceId: /\/:id(?:\/|\(|$)/.test(route.url),
    hasQuery: schema.querystring !== undefined,
    hasHeaders: headers !== undefined,
    headerNames: Object.keys(headers?.shape ?? {}).map((name) => name.toLowerCase()),
  };
}

interface SharedError {
  /** the component name under #/components/responses */
  name: string;
  /** what the status means here; the catalog's codes for it are appended */
  meaning: string;
}

/** Error answers by status. Codes come from the catalog, so a new code shows up by itself. */
const sharedErrors: Record<number, SharedError> = {
  400: {
    name: 'BadRequest',
    meaning: 'The request is not valid (details.problems names each field)',
  },
  401: {
    name: 'Unauthenticated',
    meaning: 'No valid token or session was sent (or, to log in, a wrong user name or password)',
  },
  403: { name: 'Forbidden', meaning: 'The caller may not do this (details say why)' },
  404: { name: 'NotFound', meaning: 'No such resource' },
  409: { name: 'Conflict', meaning: "The resource's current state refuses this" },
  413: { name: 'PayloadTooLarge', meaning: 'The request body is larger than this route takes' },
  415: { name: 'UnsupportedMediaType', meaning: 'The request body is not application/json' },
  422: { name: 'UnprocessableContent', meaning: 'The request cannot be carried out as sent' },
  429: {
    name: 'RateLimited',
    meaning: 'Too many requests with this token or session: wait Retry-After seconds',
  },
};

/** More codes than this at one status: name none rather than imply all of them apply. */
const maxListedCodes = 6;

const sharedHeaders: Record<string, { description: string; schema: Record<string, unknown> }> = {
  ETag: {
    description: 'The revision answered, e.g. "3": send it back as If-Match to change it safely',
    schema: { type: 'string' },
  },
  Location: { description: 'Where the created resource is read', schema: { type: 'string' } },
  'Retry-After': {
    description: 'Seconds to wait before sending again',
    schema: { type: 'integer', minimum: 1 },
  },
  'X-RateLimit-Limit': {
    description: 'Requests this token (or session) may make in the current window',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Remaining': {
    description: 'Requests left in the current window',
    schema: { type: 'integer' },
  },
  'X-RateLimit-Reset': {
    description: 'Seconds until the window starts again',
    schema: { type: 'integer' },
  },
};
const rateLimitHeaders = ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'];

const errorSchemaRef = '#/components/schemas/Error';
const connectionSchemaRef = '#/components/schemas/Connection';
const httpMethods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

type Operation = Record<string, unknown> & { responses?: Record<string, unknown> };

/**
 * Completes every operation from what its route declares, so that a route added tomorrow is
 * documented like the others without a hand-written list:
 * - `operationId` (unless the route sets `schema.operationId`) from the method and path,
 *   e.g. `connections.create`, `connections.get`, `connections.revisions.list`,
 *   `connections.enable`;
 * - the error statuses the shared plumbing can answer: validation (400) where the route takes
 *   a body, query, headers or path parameters; 401 and 403 from the auth hook (plugins/auth.ts)
 *   unless public; 404 for a path naming a resource by `{id}`; 413 and 415 for a body
 *   (plugins/json-body.ts); 422 with an Idempotency-Key; 429 and the X-RateLimit-* headers where
 *   plugins/rate-limit.ts counts the route. Statuses only the services answer (409, or 404 for
 *   a filter naming something) stay declared by the route;
 * - error answers refer to one shared response per status listing the catalog's codes;
 * - ETag on answers that are a Connection (connections.routes.ts sendConnection), Location on
 *   every 201.
 */
export function completeOperations(
  document: OpenApiDocument,
  facts: ReadonlyMap<string, RouteFacts>,
): void {
  const components = (document.components ??= {});
  const responses = (components.responses ??= {}) as Record<string, unknown>;
  const headers = (components.headers ??= {}) as Record<string, unknown>;
  const headerRef = (name: string) => {
    headers[name] ??= sharedHeaders[name];
    return { $ref: `#/components/headers/${name}` };
  };
  const errorRef = (status: number) => {
    const shared = sharedErrors[status] ?? { name: `Error${status}`, meaning: 'An error' };
    if (!(shared.name in responses)) {
      responses[shared.name] = {
        description: describeError(status, shared.meaning),
        ...(status === 429
          ? {
              headers: Object.fromEntries(
                ['Retry-After', ...rateLimitHeaders].map((name) => [name, headerRef(name)]),
              ),
            }
          : {}),
        content: { 'application/json': { schema: { $ref: errorSchemaRef } } },
      };
    }
    return { $ref: `#/components/responses/${shared.name}` };
  };

  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item) as [string, Operation][]) {
      if (!httpMethods.has(method) || !isObject(operation)) continue;
      const route = facts.get(operationKey(method, path));
      operation.operationId ??= deriveOperationId(method, path, item);
      const answers = (operation.responses ??= {});
      for (const status of route ? errorStatusesOf(route, method, path) : []) {
        answers[String(status)] ??= errorRef(status);
      }
      const rateLimited = isRateLimitedRoute(method.toUpperCase(), fastifyPathOf(path));
      for (const [status, answer] of Object.entries(answers)) {
        if (!isObject(answer) || answer.$ref !== undefined) continue;
        if (isErrorAnswer(answer)) {
          answers[status] = errorRef(Number(status));
          continue;
        }
        const answerHeaders: Record<string, unknown> = {};
        if (status === '201') answerHeaders.Location = headerRef('Location');
        if (/^2/.test(status) && schemaRefOf(answer) === connectionSchemaRef) {
          answerHeaders.ETag = headerRef('ETag');
        }
        if (rateLimited) {
          for (const name of rateLimitHeaders) answerHeaders[name] = headerRef(name);
        }
        if (Object.keys(answerHeaders).length > 0) {
          answer.headers = { ...(answer.headers as object | undefined), ...answerHeaders };
        }
      }
      operation.responses = sortByStatus(answers);
    }
  }
  components.responses = sortByName(responses);
  components.headers = sortByName(headers);
}

function errorStatusesOf(route: RouteFacts, method: string, path: string): number[] {
  const statuses: number[] = [];
  if (route.hasBody || route.hasQuery || route.hasHeaders || route.hasPathParams) {
    statuses.push(400);
  }
  if (route.permission !== 'public') statuses.push(401, 403);
  if (route.hasResourceId) statuses.push(404);
  if (route.hasBody) statuses.push(413, 415);
  if (route.headerNames.includes('idempotency-key')) statuses.push(422);
  if (isRateLimitedRoute(method.toUpperCase(), fastifyPathOf(path))) statuses.push(429);
  return statuses;
}

/** An error answer the route declared itself (`400: errorOut`). */
function isErrorAnswer(answer: Record<string, unknown>): boolean {
  return schemaRefOf(answer) === errorSchemaRef;
}

function schemaRefOf(answer: Record<string, unknown>): unknown {
  const content = answer.content;
  if (!isObject(content)) return undefined;
  const json = content['application/json'];
  return isObject(json) && isObject(json.schema) ? json.schema.$ref : undefined;
}

function describeError(status: number, meaning: string): string {
  const codes = errorCodes.filter((code) => errorCatalog[code].status === status);
  if (codes.length === 0) return meaning;
  if (codes.length > maxListedCodes) {
    return `${meaning}: \`error.code\` says which (docs/reference/errors.md).`;
  }
  return `${meaning}. \`error.code\`: ${codes.map((code) => `\`${code}\``).join(', ')}.`;
}

function fastifyPathOf(openApiPath: string): string {
  return openApiPath.replace(/\{([^}]+)\}/g, ':$1');
}

/**
 * `GET /api/v1/connections` → `connections.list` (a list answers `items`), `GET …/{id}` →
 * `connections.get`, `PUT` → `replace`, `PATCH` → `update`, `DELETE` → `delete`, `POST` to a
 * collection that is also read → `create`, any other `POST` names its action by its last
 * segment (`POST …/{id}/enable` → `connections.enable`). Path parameters are left out;
 * kebab-case segments become camelCase. Unique ids are the lint test's to check
 * (test/contract/redocly-lint.test.ts): a route whose derived id collides sets its own.
 */
export function deriveOperationId(
  method: string,
  path: string,
  item: Record<string, unknown>,
): string {
  const segments = path
    .replace(/^\/api\/v1\//, '/')
    .split('/')
    .filter((segment) => segment !== '');
  const names = segments.filter((segment) => !segment.startsWith('{')).map(camelCase);
  const endsWithParam = segments.at(-1)?.startsWith('{') ?? false;
  const verb = (() => {
    switch (method) {
      case 'get':
        return !endsWithParam && answersList(item.get) ? 'list' : 'get';
      case 'put':
        return 'replace';
      case 'patch':
        return 'update';
      case 'delete':
        return 'delete';
      case 'post':
        return endsWithParam || item.get !== undefined ? 'create' : undefined;
      default:
        return method;
    }
  })();
  return [...names, ...(verb ? [verb] : [])].join('.');
}

function answersList(operation: unknown): boolean {
  if (!isObject(operation) || !isObject(operation.responses)) return false;
  const ok = operation.responses['200'];
  if (!isObject(ok) || !isObject(ok.content)) return false;
  const json = ok.content['application/json'];
  const schema = isObject(json) ? json.schema : undefined;
  return isObject(schema) && isObject(schema.properties) && 'items' in schema.properties;
}

function camelCase(segment: string): string {
  return segment.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

function sortByStatus(answers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(answers).sort(([a], [b]) => a.localeCompare(b)));
}

function sortByName(map: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)));
}
