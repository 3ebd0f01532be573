import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { formatJson, formatTable } from '../output.ts';
import { addServerFlags, loadServerConfig, type ServerFlags } from './serve.ts';

export function register(program: Command, ctx: CliContext): void {
  addServerFlags(
    program
      .command('config')
      .description('print the configuration `serve` would use, credentials masked'),
  )
    .option('--json', 'print it as JSON')
    .action((flags: ServerFlags & { json?: boolean }) => showConfig(ctx, flags));
}

export async function showConfig(ctx: CliContext, flags: ServerFlags & { json?: boolean }) {
  const config = await loadServerConfig(flags, ctx.io.env);
  const { describeConfig } = await import('../../config/load-config.ts');
  const { configSources } = await import('../../config/config.schema.ts');
  const shown = describeConfig(config);
  if (flags.json) {
    ctx.io.print(formatJson(shown));
    return;
  }
  const rows = Object.entries(configSources).map(([key, source]) => [
    key,
    key in shown ? String(shown[key]) : '(not set)',
    source.env,
    source.flag ?? '',
  ]);
  ctx.io.print(formatTable(['setting', 'value', 'variable', 'flag'], rows));
}
