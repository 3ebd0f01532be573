import type { FastifyInstance, RouteOptions } from 'fastify';

/** The order an Allow header lists methods in. */
const methodOrder = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

interface RoutePath {
  pattern: RegExp;
  methods: Set<string>;
}

/** `/api/v1/connections/:id/revisions/:revision` → a RegExp matching a request's path. */
function patternOf(url: string): RegExp {
  const source = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      // `:id`, or `:id(^\\d+)`: any one segment (the route's own constraint decides later)
      return segment
        .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?)/)
        .map((part, index) => (index % 2 === 1 ? '[^/]+' : escapeRegExp(part)))
        .join('');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\*/g, '.*');
}

/**
 * Which methods each route path answers, learnt as routes are added (register it before them):
 * a request whose path exists but not for its method is a 405 with `Allow` (RFC 9110 §15.5.6),
 * not a 404. Asked only for requests no route matched, so a scan of the ~100 paths is cheap.
 */
export function createAllowedMethods(app: FastifyInstance): (path: string) => string[] {
  const paths = new Map<string, RoutePath>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const entry = paths.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set() };
    for (const method of [route.method].flat()) entry.methods.add(method.toUpperCase());
    paths.set(route.url, entry);
  });
  return (requestPath) => {
    // routerOptions.ignoreTrailingSlash (create-app.ts): /a/ is /a
    const path = requestPath.length > 1 ? requestPath.replace(/\/$/, '') : requestPath;
    const allowed = new Set<string>();
    for (const { pattern, methods } of paths.values()) {
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    }
    return [...allowed].sort(
      (a, b) => (methodOrder.indexOf(a) + 1 || 99) - (methodOrder.indexOf(b) + 1 || 99),
    );
  };
}
