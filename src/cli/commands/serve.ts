import type { Command } from 'commander';
import type { ServerConfig } from '../../config/config.schema.ts';
import { UsageError, type CliContext } from '../context.ts';

/** The flags `serve` and `config` share: each overrides its HOOKLINE_* variable. */
export interface ServerFlags {
  port?: string;
  host?: string;
  data?: string;
  databaseUrl?: string;
  logLevel?: string;
  config?: string;
}

export function addServerFlags(command: Command): Command {
  return command
    .option('--port <port>', 'TCP port; 0 picks a free one (HOOKLINE_PORT, default 8080)')
    .option('--host <host>', 'address to listen on (HOOKLINE_HOST, default 127.0.0.1)')
    .option(
      '--data <dir>',
      'data directory: SQLite file, admin token (HOOKLINE_DATA_DIR, default ./data)',
    )
    .option('--database-url <url>', 'use PostgreSQL instead of SQLite (DATABASE_URL)')
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (HOOKLINE_LOG_LEVEL)',
    )
    .option('--config <file>', 'a YAML or JSON settings file (HOOKLINE_CONFIG)');
}

/**
 * defaults → --config file → HOOKLINE_* → flags. A bad setting is a usage error (exit 2)
 * naming the key. Imported lazily: zod costs ~0.3 s of start-up the API commands skip.
 */
export async function loadServerConfig(
  flags: ServerFlags,
  env: Record<string, string | undefined>,
): Promise<ServerConfig> {
  const { ConfigError, loadConfig } = await import('../../config/load-config.ts');
  try {
    return loadConfig({
      flags: {
        port: flags.port,
        host: flags.host,
        dataDir: flags.data,
        databaseUrl: flags.databaseUrl,
        logLevel: flags.logLevel,
      },
      env,
      file: flags.config,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

export function register(program: Command, ctx: CliContext): void {
  addServerFlags(
    program.command('serve').description('run the Hookline server until SIGTERM or SIGINT'),
  ).action((flags: ServerFlags) => serve(ctx, flags));
}

type Signal = 'SIGTERM' | 'SIGINT';

/**
 * Runs until the first SIGTERM/SIGINT, then closes gracefully: the server stops accepting,
 * in-flight requests finish, the store closes. A second signal exits at once with code 1.
 */
export async function serve(ctx: CliContext, flags: ServerFlags): Promise<void> {
  const config = await loadServerConfig(flags, ctx.io.env);
  const stop = Promise.withResolvers<Signal>();
  let signals = 0;
  const onSignal = (signal: Signal) => {
    signals += 1;
    if (signals > 1) {
      ctx.io.warn(`hookline: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    ctx.io.warn(`hookline: ${signal} received, shutting down (send it again to force)`);
    stop.resolve(signal);
  };
  // listening before start-up: a signal during start-up still shuts down cleanly
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    const { startServer } = await import('../../main.ts');
    const server = await startServer(config, { onReady: (line) => ctx.io.print(line) });
    await stop.promise;
    await server.close();
    ctx.io.warn('hookline: stopped');
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}
