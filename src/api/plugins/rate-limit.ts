import { createHash } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import { parseCookie } from 'cookie';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../core/errors.ts';
import { sessionCookieName } from '../../domains/access/index.ts';

/**
 * The data plane, bounded by its pools, their queues and the delivery queue instead: a flow
 * calling invoke thousands of times a minute is the product working, not abuse.
 */
const dataPlaneRoutes = new Set([
  'POST /api/v1/connections/:id/invoke',
  'POST /api/v1/connections/:id/deliveries',
  'POST /api/v1/connections/:id/deliveries/batch',
]);

/** Limited: the management API under /api/v1, less the data plane. */
export function isRateLimitedRoute(method: string, url: string): boolean {
  return url.startsWith('/api/v1/') && !dataPlaneRoutes.has(`${method} ${url}`);
}

/**
 * Whose budget a request spends: its bearer token, else its console session, else its client
 * address. Hashed, so the limiter's memory holds no credential.
 */
export function rateLimitKeyOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  const token = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (token) return `t:${sha256(token)}`;
  const cookie = request.headers.cookie;
  const session = cookie ? parseCookie(cookie)[sessionCookieName] : undefined;
  if (session) return `s:${sha256(session)}`;
  return `a:${request.ip}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/**
 * At most `perMinute` management API requests per token (session, or address) per minute,
 * counted across all routes in this process (a fixed one-minute window per key, in memory);
 * past it RATE_LIMITED with Retry-After and `details.retryAfterSeconds`. Answers carry
 * x-ratelimit-limit, -remaining and -reset. Routes outside the limit (the data plane, /healthz,
 * /metrics, /docs, /openapi.json) get no hook at all, so invoke does no extra work.
 * Register before any route: the limit is attached to each route as it is added.
 */
export async function registerRateLimit(app: FastifyInstance, perMinute: number): Promise<void> {
  // runs before the plugin's own onRoute hook (added below), which skips `rateLimit: false`
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((method) => isRateLimitedRoute(method, route.url))) return;
    if (methods.some((method) => isRateLimitedRoute(method, route.url))) {
      throw new Error(`route ${route.url} mixes rate-limited and unlimited methods`);
    }
    route.config = { ...route.config, rateLimit: false };
  });
  await app.register(rateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: rateLimitKeyOf,
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new AppError(
        'RATE_LIMITED',
        `More than ${context.max} API requests a minute with this token (or session); retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    },
  });
}
