import type { FastifyBaseLogger } from 'fastify';
import { createApp, type ZodApp } from '../../src/api/create-app.ts';
import { systemClock, type Clock } from '../../src/core/clock.ts';
import type { SessionOptions } from '../../src/domains/access/index.ts';
import type { DeliveryWorkerOptions } from '../../src/domains/deliveries/index.ts';
import type { RetentionOptions } from '../../src/domains/retention/index.ts';
import { createServices, seedStore, type Services } from '../../src/services.ts';
import type { OpenedStore, TestStoreKind } from './test-stores.ts';
import type { MetricsOptions } from '../../src/domains/metrics/index.ts';

export const testToken = 'hl_test-token-0123456789abcdefghijklmnopqrstuvwxyz';
/** the password of the seeded user `admin` (whose token testToken is) */
export const testAdminPassword = 'admin password for tests 0123';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestApi {
  app: ZodApp;
  services: Services;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** a JSON request with the admin token; `body` is sent as JSON unless it is a string */
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/**
 * A real Hookline API listening on 127.0.0.1:0 over the given store, seeded, with the admin
 * token `testToken`. Requests go over real HTTP with fetch.
 */
export async function startTestApi(
  kind: TestStoreKind,
  options: {
    clock?: Clock;
    /**
     * Log as the server does (requests, failed calls, background errors — wired as
     * src/main.ts wires them); default: no logging.
     */
    logger?: FastifyBaseLogger;
    /** the delivery worker's poll interval, lease…: not started here (services.deliveryWorker) */
    deliveryWorker?: Partial<DeliveryWorkerOptions>;
    /** session expiry and login throttling (src/domains/access/session.service.ts) */
    sessions?: Partial<SessionOptions>;
    approvalExpiryMs?: number;
    /** revisions and audit records kept: call services.retention.sweep() (not started here) */
    retention?: Partial<RetentionOptions>;
    /** management API changes per token per minute; default: no limit */
    apiRateLimitPerMinute?: number;
    /** management API reads (GET, HEAD) per token per minute; default: no limit */
    apiReadRateLimitPerMinute?: number;
    /** the whole request must arrive within this long (config requestTimeoutMs) */
    requestTimeoutMs?: number;
    /** Fastify's trustProxy, as main.ts passes the configured one */
    trustProxy?: boolean | string[];
    /**
     * a first start as `hookline serve` makes it: `admin` gets a one-time password in
     * `<dataDir>/admin-password` (to change at the first login) instead of testAdminPassword
     */
    dataDir?: string;
    /** serve a (built) web console from this directory, as main.ts does with web/dist */
    consoleDir?: string;
    /**
     * run over this store, which the caller opened and cleans up (close() leaves it open): a
     * restart test starts a second API over it after `reopen()`
     */
    opened?: OpenedStore;
    /** per-minute metrics flush and retention (services.metrics; the flush is not started) */
    metrics?: Partial<MetricsOptions>;
  } = {},
): Promise<TestApi> {
  const { store, cleanup } = options.opened
    ? { store: options.opened.store, cleanup: async () => undefined }
    : await kind.open();
  const { logger } = options;
  const services = createServices({
    store,
    clock: options.clock ?? systemClock,
    deliveryWorker: options.deliveryWorker,
    ...(options.dataDir !== undefined && { dataDir: options.dataDir }),
    ...(options.sessions && { sessions: options.sessions }),
    ...(options.approvalExpiryMs !== undefined && { approvalExpiryMs: options.approvalExpiryMs }),
    ...(options.retention && { retention: options.retention }),
    ...(options.metrics && { metrics: options.metrics }),
    // keep in step with startServer in src/main.ts
    ...(logger && {
      onBackgroundError: (error: unknown, what: string) =>
        logger.error({ err: error }, `${what} failed`),
      onDispatchFailure: (event: unknown) => logger.warn({ call: event }, 'outbound call failed'),
    }),
  });
  await seedStore(services);
  await services.access.ensureBootstrapToken({
    dataDir: options.dataDir ?? '/nonexistent',
    bootstrapToken: testToken,
    ...(options.dataDir === undefined && { adminPassword: testAdminPassword }),
  });
  const app = await createApp({
    services,
    logger: logger ?? false,
    validateResponses: true,
    ...(options.trustProxy !== undefined && { trustProxy: options.trustProxy }),
    apiRateLimitPerMinute: options.apiRateLimitPerMinute,
    apiReadRateLimitPerMinute: options.apiReadRateLimitPerMinute,
    ...(options.requestTimeoutMs !== undefined && { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.consoleDir !== undefined && { consoleDir: options.consoleDir }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  return {
    app,
    services,
    url,
    async request(method, path, body, requestOptions = {}) {
      const headers: Record<string, string> = { ...requestOptions.headers };
      const token = requestOptions.token === undefined ? testToken : requestOptions.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let payload: string | undefined;
      if (body !== undefined) {
        payload = typeof body === 'string' ? body : JSON.stringify(body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(url + path, { method, headers, body: payload });
      const text = await response.text();
      let parsed: unknown = undefined;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, body: parsed as any, text };
    },
    async close() {
      await app.close();
      await cleanup();
    },
  };
}
