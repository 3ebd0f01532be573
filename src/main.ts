import { pino, type Logger } from 'pino';
import { createApp, type ZodApp } from './api/create-app.ts';
import { systemClock } from './core/clock.ts';
import type { ServerConfig } from './config/config.schema.ts';
import { describeConfig } from './config/load-config.ts';
import { createServices, seedStore, type Services } from './services.ts';
import { createStore, sqliteFileIn, type Store } from './store/create-store.ts';

/** Log paths whose values are credentials: never written, whatever the log level. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.bootstrapToken',
  '*.token',
  '*.password',
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
    : createStore({ dialect: 'sqlite', file: sqliteFileIn(config.dataDir) });
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
  const store = await openStore(config);
  let app: ZodApp | undefined;
  try {
    const services = createServices({ store, clock: systemClock });
    await seedStore(services);
    const bootstrap = await services.access.ensureBootstrapToken({
      dataDir: config.dataDir,
      bootstrapToken: config.bootstrapToken,
    });
    app = await createApp({ services, logger });
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
    options.onReady?.(
      `Hookline is listening on ${url} (${store.dialect}); ${tokenWhere}; API docs at ${url}/docs`,
    );
    const running = app;
    return {
      app: running,
      services,
      url,
      async close() {
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
