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

/** Reads and changes are counted apart: a burst of reads must not lock a token out of changes. */
export type RateLimitBucket = 'read' | 'write';

/** GET and HEAD only read; every other method may change something. */
export function rateLimitBucketOf(method: string): RateLimitBucket {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

/** Requests per minute per bucket; 0 = that bucket is not limited. */
export interface RateLimits {
  readsPerMinute: number;
  writesPerMinute: number;
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
 * At most `limits.writesPerMinute` management API requests that change something, and apart
 * from them `limits.readsPerMinute` that only read, per token (session, or address) per minute,
 * counted across all routes in this process (a fixed one-minute window per key and bucket, in
 * memory); past one, RATE_LIMITED with Retry-After and `details.retryAfterSeconds` for that
 * bucket only. Answers carry x-ratelimit-limit, -remaining and -reset of their own bucket.
 * Routes outside the limit (the data plane, /healthz, /metrics, /docs, /openapi.json, and a
 * bucket set to 0) get no hook at all, so invoke does no extra work.
 * Register before any route: the limit is attached to each route as it is added.
 */
export async function registerRateLimit(app: FastifyInstance, limits: RateLimits): Promise<void> {
  const perMinute = (bucket: RateLimitBucket) =>
    bucket === 'read' ? limits.readsPerMinute : limits.writesPerMinute;
  const isLimited = (method: string, url: string) =>
    isRateLimitedRoute(method, url) && perMinute(rateLimitBucketOf(method)) > 0;
  // runs before the plugin's own onRoute hook (added below), which skips `rateLimit: false`
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (methods.every((method) => isLimited(method, route.url))) {
      if (new Set(methods.map(rateLimitBucketOf)).size > 1) {
        throw new Error(`route ${route.url} mixes reading and changing methods`);
      }
      return;
    }
    if (methods.some((method) => isLimited(method, route.url))) {
      throw new Error(`route ${route.url} mixes rate-limited and unlimited methods`);
    }
    route.config = { ...route.config, rateLimit: false };
  });
  await app.register(rateLimit, {
    global: true,
    max: (request) => perMinute(rateLimitBucketOf(request.method)),
    timeWindow: 60_000,
    keyGenerator: (request) => `${rateLimitBucketOf(request.method)}:${rateLimitKeyOf(request)}`,
    errorResponseBuilder: (request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      const what =
        rateLimitBucketOf(request.method) === 'read'
          ? 'reading API requests (GET, HEAD)'
          : 'changing API requests (POST, PUT, PATCH, DELETE)';
      return new AppError(
        'RATE_LIMITED',
        `More than ${context.max} ${what} a minute with this token (or session); retry in ${retryAfterSeconds} s`,
        { retryAfterSeconds, bucket: rateLimitBucketOf(request.method) },
      );
    },
  });
}
