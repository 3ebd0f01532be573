import { createServer } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp, type ZodApp } from './api/create-app.ts';
import { defaultConsoleDir } from './api/plugins/console.ts';
import { systemClock } from './core/clock.ts';
import { fastifyTrustProxy, type ServerConfig } from './config/config.schema.ts';
import { describeConfig } from './config/load-config.ts';
import { loadMasterKey, type LoadedMasterKey } from './domains/secrets/index.ts';
import { createServices, seedStore, type Services } from './services.ts';
import { createStore, sqliteFileIn, type Store } from './store/create-store.ts';
import { tightenDataDir } from './store/file-modes.ts';

/** Log paths whose values are credentials: never written, whatever the log level. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.bootstrapToken',
  '*.token',
  '*.password',
  '*.masterKey',
];

export interface RunningServer {
  app: ZodApp;
  services: Services;
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

export function createLogger(level: ServerConfig['logLevel']): Logger {
  return pino({ level, redact: { paths: redactedLogPaths, censor: '****' } });
}

/** Opens the store the configuration names: PostgreSQL with DATABASE_URL, else SQLite under dataDir. */
export function openStore(config: ServerConfig): Promise<Store> {
  return config.databaseUrl
    ? createStore({ dialect: 'postgres', url: config.databaseUrl })
    : createStore({
        dialect: 'sqlite',
        file: sqliteFileIn(config.dataDir),
        synchronous: config.sqliteSynchronous,
      });
}

/**
 * The composition root: configuration → store → services → API, listening. `hookline serve`
 * calls this; so do the end-to-end tests through the real binary.
 */
export async function startServer(
  config: ServerConfig,
  options: { logger?: Logger; onReady?: (message: string) => void } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // before anything is written: a busy port leaves no data directory, key, token or user behind
  await checkCanListen(config.port, config.host);
  // a data directory (or SQLite file) others may read, from an older version or a copy:
  // made private before anything is read from it, and said so
  for (const { path, was } of tightenDataDir(config.dataDir)) {
    logger.warn(
      { path, was: `0${was.toString(8)}` },
      `${path} had mode 0${was.toString(8)}: others could read Hookline's data; tightened to owner-only`,
    );
  }
  // before the store: a missing or unprotected key stops start-up with nothing opened
  const masterKey = loadMasterKey({ configured: config.masterKey, dataDir: config.dataDir });
  const store = await openStore(config);
  let app: ZodApp | undefined;
  try {
    const services = createServices({
      store,
      clock: systemClock,
      masterKey: masterKey.key,
      dataDir: config.dataDir,
      engineOptions: {
        defaultPoolSize: config.poolSize,
        maxQueuedPerPool: config.poolQueue,
        maxResponseBytes: config.maxResponseBytes,
        traceIdHeader: config.traceIdHeader ?? null,
      },
      deliveryWorker: {
        leaseMs: config.deliveryLeaseSeconds * 1000,
        retentionMs: config.deliveryRetentionDays * 86_400_000,
        failedRetentionMs:
          config.deliveryFailedRetentionDays === 0
            ? null
            : config.deliveryFailedRetentionDays * 86_400_000,
      },
      sessions: {
        idleMs: config.sessionIdleMinutes * 60_000,
        maxAgeMs: config.sessionMaxHours * 3_600_000,
        loginMaxFailures: config.loginMaxFailures,
        loginMaxFailuresPerUser: config.loginMaxFailuresPerUser,
        loginMaxFailuresPerAddress: config.loginMaxFailuresPerAddress,
        loginWindowMs: config.loginWindowSeconds * 1000,
      },
      approvalExpiryMs: config.approvalExpiryHours * 3_600_000,
      retention: {
        revisionRetention: config.revisionRetention,
        auditRetentionMs:
          config.auditRetentionDays === 0 ? null : config.auditRetentionDays * 86_400_000,
      },
      onBackgroundError: (error, what) => logger.error({ err: error }, `${what} failed`),
      // the event carries codes, names and our own messages: no header value, body or secret
      onDispatchFailure: (event) => logger.warn({ call: event }, 'outbound call failed'),
    });
    await seedStore(services);
    await reportMasterKey(services, masterKey, store, logger);
    const bootstrap = await services.access.ensureBootstrapToken({
      dataDir: config.dataDir,
      bootstrapToken: config.bootstrapToken,
    });
    app = await createApp({
      services,
      logger,
      apiRateLimitPerMinute: config.apiRateLimitPerMinute,
      apiReadRateLimitPerMinute: config.apiReadRateLimitPerMinute,
      requestTimeoutMs: config.requestTimeoutMs,
      trustProxy: fastifyTrustProxy(config.trustProxy),
      consoleDir: defaultConsoleDir,
    });
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host = config.host.includes(':') ? `[${config.host}]` : config.host;
    const url = `http://${host}:${port}`;
    logger.info({ config: describeConfig(config), store: store.dialect }, 'hookline started');
    const tokenWhere =
      bootstrap.source === 'environment'
        ? 'the admin token is HOOKLINE_BOOTSTRAP_TOKEN'
        : `the admin token is in ${bootstrap.file}${bootstrap.created ? ' (created now)' : ''}`;
    const revoked = bootstrap.revoked
      ? ' (revoked: it no longer works; use a user token, or delete the file and restart for a new one)'
      : '';
    const passwordWhere = bootstrap.adminPasswordFile
      ? `; user 'admin' was created with a one-time password in ${bootstrap.adminPasswordFile}`
      : '';
    options.onReady?.(
      `Hookline is listening on ${url} (${store.dialect}); ${tokenWhere}${revoked}${passwordWhere}; API docs at ${url}/docs`,
    );
    const running = app;
    // serve is API and worker in one process (DESIGN §4): accepted deliveries are sent from here
    services.deliveryWorker.start();
    // revisions and audit records past retention go, now and every 10 minutes
    services.retention.start();
    // per-minute metrics into the store every 15 s (and the rest at shutdown)
    services.metrics.start();
    // env and file secrets change outside Hookline: notice it (secret-resolver.ts, 30 s)
    const stopWatchingSecrets = services.secrets.watchSources({
      onError: (error) => logger.warn({ err: error }, 'checking env and file secrets failed'),
    });
    return {
      app: running,
      services,
      url,
      async close() {
        await stopWatchingSecrets();
        await running.close();
        await store.close();
      },
    };
  } catch (error) {
    await app?.close();
    await store.close();
    throw error;
  }
}

/**
 * Binds the port once and lets it go, so that a port another process holds stops start-up
 * with a message naming it, before the data directory, keys and the first admin are created.
 * (Another process could still take the port in the moment between; then listen fails later.)
 */
export async function checkCanListen(port: number, host: string): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is already in use (another Hookline?); stop it or choose another port with --port or HOOKLINE_PORT`
          : error.code === 'EACCES'
            ? `port ${port} needs privileges this process does not have; choose a port above 1023 with --port or HOOKLINE_PORT`
            : `${error.message}; check --host/HOOKLINE_HOST and --port/HOOKLINE_PORT`;
      reject(new Error(`cannot listen on ${where}: ${why}`));
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/**
 * Says which master key is in use (by its id, never the key) and warns when stored secrets
 * were sealed by another one: their calls would fail until the right key is back.
 */
async function reportMasterKey(
  services: Services,
  masterKey: LoadedMasterKey,
  store: Store,
  logger: Logger,
): Promise<void> {
  for (const warning of masterKey.warnings) logger.warn(warning);
  const where =
    masterKey.source === 'configuration'
      ? 'HOOKLINE_MASTER_KEY'
      : `${masterKey.file}${masterKey.created ? ' (created now)' : ''}`;
  logger.info({ keyId: masterKey.keyId, source: where }, 'secrets master key loaded');
  if (store.dialect === 'postgres' && masterKey.source === 'file') {
    logger.warn(
      'with PostgreSQL every Hookline process must use the same master key: set HOOKLINE_MASTER_KEY (a key file per process cannot open the secrets the others stored)',
    );
  }
  const check = await services.secrets.checkMasterKey();
  for (const other of check.otherKeys) {
    logger.warn(
      `${other.count} stored secret(s) were encrypted with another master key (key id ${other.keyId}; this key id is ${check.keyId}): calls using them fail until Hookline runs with that key`,
    );
  }
}
