import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../services.ts';
import { registerAuth } from './plugins/auth.ts';
import { registerConsole } from './plugins/console.ts';
import { registerErrorHandling } from './plugins/errors.ts';
import { registerJsonBodyParser } from './plugins/json-body.ts';
import { createAllowedMethods } from './plugins/method-not-allowed.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { QuietProbesLogController } from './plugins/quiet-probes.ts';
import { registerRateLimit } from './plugins/rate-limit.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { createSerializerCompiler } from './plugins/serialization.ts';
import { validatorCompiler } from './plugins/validation.ts';
import { registerAuditRoutes } from './routes/audit.routes.ts';
import { registerConnectionRoutes } from './routes/connections.routes.ts';
import { registerDeliveryRoutes } from './routes/deliveries.routes.ts';
import { registerDeploymentRoutes } from './routes/deployments.routes.ts';
import { registerEnvironmentRoutes } from './routes/environments.routes.ts';
import { registerHealthRoutes } from './routes/health.routes.ts';
import { registerHttpHeaderRoutes } from './routes/http-headers.routes.ts';
import { registerProjectRoutes } from './routes/projects.routes.ts';
import { registerSecretRoutes } from './routes/secrets.routes.ts';
import { registerCertificateRoutes } from './routes/certificates.routes.ts';
import { registerInvokeRoutes } from './routes/invoke.routes.ts';
import { registerKeyStoreRoutes } from './routes/keystores.routes.ts';
import { registerVariableRoutes } from './routes/variables.routes.ts';
import { registerApprovalRoutes } from './routes/approvals.routes.ts';
import { registerSessionRoutes } from './routes/session.routes.ts';
import { registerTokenRoutes } from './routes/tokens.routes.ts';
import { registerUserRoutes } from './routes/users.routes.ts';
import { registerConnectionExportRoutes } from './routes/connection-export.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** 1 MiB: configuration documents are small; anything larger is a mistake or an attack. */
export const bodyLimitBytes = 1024 * 1024;

/** 30 s for the whole request: the largest body (1 MiB) still arrives at ~35 KB/s. */
export const defaultRequestTimeoutMs = 30_000;

/**
 * Node's server options that bound how long a request may take to *arrive* (not how long its
 * answer takes: once the body is in, the clock stops, so an invoke waiting on a slow target is
 * never cut). Headers must arrive within 10 s (at most 16 KiB of them), the whole request within
 * `requestTimeoutMs`; past either, Node answers 408 and closes the socket. Node looks for late
 * requests every `connectionsCheckingInterval` (30 s by default, which would let a 1 s limit
 * hold a socket 31 s): a tenth of the limit, at most 1 s.
 */
export function requestTimeoutOptions(requestTimeoutMs: number) {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: Math.min(10_000, requestTimeoutMs),
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 10))),
  };
}

export interface AppDeps {
  services: Services;
  logger: FastifyBaseLogger | false;
  /** check every answer against its schema (tests): see plugins/serialization.ts */
  validateResponses?: boolean;
  /**
   * management API requests that change something, per token per minute (config
   * `apiRateLimitPerMinute`); 0 or absent: no limit (tests that do not test it)
   */
  apiRateLimitPerMinute?: number;
  /** the same for reads (GET, HEAD), counted apart (config `apiReadRateLimitPerMinute`) */
  apiReadRateLimitPerMinute?: number;
  /**
   * the whole request must have arrived within this long, or 408 and the socket closed
   * (config `requestTimeoutMs`); default 30 s
   */
  requestTimeoutMs?: number;
  /** serve the web console built in this directory (main.ts: web/dist); default: API only */
  consoleDir?: string;
  /** Fastify's trustProxy (config `trustProxy`): default none */
  trustProxy?: boolean | string[] | ((address: string, hop: number) => boolean);
}

/** Builds the HTTP app (not listening): routes stay thin, services do the work. */
export async function createApp(deps: AppDeps): Promise<ZodApp> {
  const timeouts = requestTimeoutOptions(deps.requestTimeoutMs ?? defaultRequestTimeoutMs);
  const app = Fastify({
    loggerInstance: deps.logger || undefined,
    logger: deps.logger ? undefined : false,
    // health probes and scrapes are logged at debug, not at info (plugins/quiet-probes.ts)
    logController: new QuietProbesLogController(),
    bodyLimit: bodyLimitBytes,
    // ids in logs and INTERNAL answers; honour a caller's X-Request-Id for tracing
    requestIdHeader: 'x-request-id',
    trustProxy: deps.trustProxy ?? false,
    routerOptions: { ignoreTrailingSlash: true },
    // Fastify sets the server's requestTimeout after creating it (0, none, by default)
    requestTimeout: timeouts.requestTimeout,
    http: timeouts,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(
    createSerializerCompiler({ validateResponses: deps.validateResponses ?? false }),
  );
  app.decorate('services', deps.services);
  registerJsonBodyParser(app);
  // the console answers the GETs no route matches (its own paths), once it is registered below
  let consoleFallback: ((request: FastifyRequest, reply: FastifyReply) => boolean) | undefined;
  registerErrorHandling(app, {
    notFoundFallback: (request, reply) => consoleFallback?.(request, reply) ?? false,
    // before any route is added: it learns every route's path and methods
    allowedMethods: createAllowedMethods(app),
  });
  // before every other hook and route: errors, 401s and 404s carry the headers too, and the
  // limit attaches to each /api/v1 route as it is added
  registerSecurityHeaders(app);
  const rateLimits = {
    writesPerMinute: deps.apiRateLimitPerMinute ?? 0,
    readsPerMinute: deps.apiReadRateLimitPerMinute ?? 0,
  };
  if (rateLimits.writesPerMinute > 0 || rateLimits.readsPerMinute > 0) {
    await registerRateLimit(app, rateLimits);
  }
  await registerOpenApi(app);
  registerAuth(app, deps.services.access);

  registerHealthRoutes(app);
  registerEnvironmentRoutes(app);
  registerProjectRoutes(app);
  registerConnectionRoutes(app);
  registerConnectionExportRoutes(app);
  registerDeploymentRoutes(app);
  registerHttpHeaderRoutes(app);
  registerAuditRoutes(app);
  registerVariableRoutes(app);
  registerSecretRoutes(app);
  registerCertificateRoutes(app);
  registerKeyStoreRoutes(app);
  registerInvokeRoutes(app);
  registerDeliveryRoutes(app);
  registerSessionRoutes(app);
  registerUserRoutes(app);
  registerTokenRoutes(app);
  registerApprovalRoutes(app);
  if (deps.consoleDir !== undefined) consoleFallback = await registerConsole(app, deps.consoleDir);
  // pools drained and notifications written before whoever built the app closes the store
  app.addHook('onClose', async () => deps.services.close());
  return app;
}
