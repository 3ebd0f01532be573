import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import type { Secret, SecretSource, SecretStatus } from '../../contracts/secrets.ts';
import { printWarnings } from '../connection-view.ts';
import { confirmDeletion } from '../confirm-deletion.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { promptHidden, readStdin, stripOneNewline } from '../hidden-input.ts';
import { addListOptions, printListPage, type ListOptions as PageOptions } from '../list-command.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/secrets';
const path = (name: string, suffix = '') => `${base}/${encodeURIComponent(name)}${suffix}`;

// A copy, not an import: the contract module loads zod (~0.3 s per command). The type check
// below fails when the contract's sources and this list differ.
const secretSources = ['stored', 'env', 'file'] as const;
const sourcesInStep: [SecretSource, (typeof secretSources)[number]] extends [
  (typeof secretSources)[number],
  SecretSource,
]
  ? true
  : false = true;
void sourcesInStep;

/**
 * Where the value comes from. Never a literal argument: argv stays in shell history and in
 * `ps` output for every user of the machine. The value is read here (stdin, this shell's
 * environment, a local file) and sent once; --server-env/--server-file name a source the
 * server reads at call time instead.
 */
interface SourceOptions {
  valueStdin?: boolean;
  fromEnv?: string;
  fromFile?: string;
  serverEnv?: string;
  serverFile?: string;
  /** refused: see addSourceOptions */
  value?: string;
  description?: string;
}

interface ListOptions extends PageOptions {
  source?: SecretSource;
}

function addSourceOptions(command: Command): Command {
  return (
    command
      .option('--value-stdin', 'read the value from stdin (one trailing newline removed)')
      .option('--from-env <var>', 'read the value from this environment variable of your shell')
      .option(
        '--from-file <path>',
        'read the value from this local file (one trailing newline removed)',
      )
      .option(
        '--server-env <var>',
        "don't store a value: the server reads its own variable at call time (admin)",
      )
      .option(
        '--server-file <path>',
        "don't store a value: the server reads its own file at call time (admin)",
      )
      .option('--description <text>', 'what it is for')
      // accepted only to refuse it with advice, instead of commander's "unknown option"
      .addOption(new Option('--value <value>').hideHelp())
  );
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('secrets')
    .description('manage secrets: write-only values referenced as {{secret.NAME}}; never printed');

  addListOptions(
    group
      .command('list')
      .description('list secrets (where each value comes from, never the value)'),
    (list) =>
      list.addOption(
        new Option('--source <source>', 'only this kind of source').choices(secretSources),
      ),
  ).action((options: ListOptions) => listSecrets(ctx, options));

  addOutputOptions(
    group
      .command('get')
      .description("show a secret's metadata")
      .argument('<name>', 'secret name or id'),
  ).action((name: string, options: OutputOptions) => getSecret(ctx, name, options));

  addOutputOptions(
    group
      .command('status')
      .description('say whether a call could use the secret now, and why not')
      .argument('<name>', 'secret name or id'),
  ).action((name: string, options: OutputOptions) => showStatus(ctx, name, options));

  addOutputOptions(
    addSourceOptions(
      group
        .command('create')
        .description(
          'create a secret (e.g. `printf %s "$TOKEN" | hookline secrets create CRM_TOKEN --value-stdin`)',
        )
        .argument('<name>', 'referenced as {{secret.NAME}}'),
    ),
  ).action((name: string, options: SourceOptions & OutputOptions) =>
    saveSecret(ctx, 'create', name, options),
  );

  addOutputOptions(
    addSourceOptions(
      group
        .command('rotate')
        .description('give a secret a new value or source (its version grows by one)')
        .argument('<name>', 'secret name or id'),
    ),
  ).action((name: string, options: SourceOptions & OutputOptions) =>
    saveSecret(ctx, 'rotate', name, options),
  );

  group
    .command('delete')
    .description('delete a secret; calls that use it fail with TEMPLATE_UNRESOLVED')
    .argument('<name>', 'secret name or id')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, options: { yes?: boolean }) => deleteSecret(ctx, name, options));
}

export async function listSecrets(ctx: CliContext, options: ListOptions) {
  const list = { base, plural: 'secrets', filters: { source: options.source } };
  await printListPage<Secret>(ctx, list, options, (items) =>
    formatTable(
      ['name', 'source', 'version', 'updated'],
      items.map((s) => [
        cell(s.name),
        describeSource(s),
        String(s.version),
        formatTime(s.updatedAt),
      ]),
    ),
  );
}

export async function getSecret(ctx: CliContext, name: string, options: OutputOptions) {
  const secret = await ctx.client().request<Secret>('GET', path(name));
  await emit(ctx.io, outputFormat(options), secret, () => describeSecret(secret));
}

export async function showStatus(ctx: CliContext, name: string, options: OutputOptions) {
  const status = await ctx.client().request<SecretStatus>('GET', path(name, '/status'));
  await emit(ctx.io, outputFormat(options), status, () =>
    status.resolvable
      ? `secret ${status.name} can be resolved (${status.source}, version ${status.version})`
      : `secret ${status.name} cannot be resolved: ${cell(status.problem ?? 'unknown reason')}`,
  );
}

export async function saveSecret(
  ctx: CliContext,
  action: 'create' | 'rotate',
  name: string,
  options: SourceOptions & OutputOptions,
) {
  const source = await readSource(ctx, name, options);
  const body = { ...source, description: options.description };
  const client = ctx.client();
  const saved =
    action === 'create'
      ? await client.request<Secret>('POST', base, { body: { name, ...body } })
      : await client.request<Secret>('PUT', path(name), { body });
  printWarnings(ctx.io, saved.warnings);
  await emit(ctx.io, outputFormat(options), saved, () =>
    action === 'create'
      ? `created secret ${saved.name} (${describeSource(saved)}, version ${saved.version})`
      : `rotated secret ${saved.name} (${describeSource(saved)}, version ${saved.version})`,
  );
}

export async function deleteSecret(ctx: CliContext, name: string, options: { yes?: boolean }) {
  const question = `Delete secret ${name}? Its value cannot be recovered. [y/N] `;
  if (!(await confirmDeletion(ctx.io, `secret ${name}`, options, question))) {
    ctx.io.warn('nothing deleted');
    return;
  }
  await ctx.client().request('DELETE', path(name));
  ctx.io.print(`deleted secret ${name}`);
}

/** The body's source fields, from exactly one of the source flags. Never echoes a value. */
async function readSource(
  ctx: CliContext,
  name: string,
  options: SourceOptions,
): Promise<{ value: string } | { env: string } | { file: string }> {
  if (options.value !== undefined) {
    throw new UsageError(
      'a secret value is never taken on the command line (shell history and `ps` would keep it): use --value-stdin, --from-env VAR or --from-file PATH',
    );
  }
  const given = (
    [
      ['--value-stdin', options.valueStdin],
      ['--from-env', options.fromEnv],
      ['--from-file', options.fromFile],
      ['--server-env', options.serverEnv],
      ['--server-file', options.serverFile],
    ] as const
  ).filter(([, value]) => value !== undefined && value !== false);
  if (given.length !== 1) {
    throw new UsageError(
      given.length === 0
        ? 'say where the value comes from: --value-stdin, --from-env VAR, --from-file PATH, --server-env VAR or --server-file PATH'
        : `give only one of ${given.map(([flag]) => flag).join(', ')}`,
    );
  }
  if (options.serverEnv !== undefined) return { env: options.serverEnv };
  if (options.serverFile !== undefined) return { file: options.serverFile };
  let value: string;
  if (options.fromEnv !== undefined) {
    const found = ctx.io.env[options.fromEnv];
    if (found === undefined || found === '') {
      throw new UsageError(`environment variable ${options.fromEnv} is not set or empty`);
    }
    value = found;
  } else if (options.fromFile !== undefined) {
    value = stripOneNewline(readLocalFile(options.fromFile));
  } else {
    const [typed = ''] = ctx.io.interactive
      ? await promptHidden([`Value of secret ${name} (not shown): `])
      : [readStdin()];
    value = stripOneNewline(typed);
  }
  if (value === '') throw new UsageError('the secret value is empty');
  return { value };
}

function readLocalFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

function describeSource(secret: Secret): string {
  if (secret.source === 'env') return `env ${secret.env ?? ''}`;
  if (secret.source === 'file') return `file ${cell(secret.file ?? '')}`;
  return 'stored';
}

function describeSecret(secret: Secret): string {
  return formatFields([
    ['Name', cell(secret.name)],
    ['Id', secret.id],
    ['Source', describeSource(secret)],
    ...(secret.keyId ? ([['Key id', secret.keyId]] as const) : []),
    ['Version', String(secret.version)],
    ['Description', cell(secret.description)],
    ['Created', `${formatTime(secret.createdAt)} by ${cell(secret.createdBy)}`],
    ['Updated', `${formatTime(secret.updatedAt)} by ${cell(secret.updatedBy)}`],
  ]);
}
