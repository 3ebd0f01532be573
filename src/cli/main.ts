// Placeholder until the CLI lands (replaced by the CLI work): only `serve`.
import { loadConfig, ConfigError } from '../config/load-config.ts';

export async function runCli(argv: string[]): Promise<number> {
  if (argv[0] !== 'serve') {
    process.stderr.write('usage: hookline serve\n');
    return 2;
  }
  let config;
  try {
    config = loadConfig({ env: process.env });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`hookline: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const { startServer } = await import('../main.ts');
  const server = await startServer(config, { onReady: (m) => process.stdout.write(`${m}\n`) });
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
