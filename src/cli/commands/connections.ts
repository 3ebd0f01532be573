import { Option, type Command } from 'commander';
import type { Connection, ConnectionInput, NameExists } from '../../contracts/connections.ts';
import {
  addConnectionRef,
  applyFlags,
  connectionPath,
  connectionFromDocument,
  connectionFromFlags,
  hasEditFlags,
  type ConnectionFlags,
  type RefOptions,
} from '../connection-input.ts';
import { register as registerDeploymentCommands } from './connection-deployments.ts';
import { register as registerRevisionCommands } from './connection-revisions.ts';
import { register as registerRuntimeCommands } from './connection-runtime.ts';
import { describeConnection, describeRef, printWarnings } from '../connection-view.ts';
import {
  addOutputOptions,
  collect,
  emit,
  outputFormat,
  parsePositiveInt,
  readDocument,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { cell, formatBoolean, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/connections';
const path = connectionPath;
interface ListOptions extends OutputOptions {
  project?: string;
  environment?: string;
  enabled?: 'true' | 'false';
  global?: boolean;
  q?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}
type SaveOptions = ConnectionFlags & OutputOptions & { file?: string; force?: boolean };

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('connections')
    .alias('conn')
    .description('manage connections: one outbound HTTP endpoint, configured per environment');
  const ref = addConnectionRef;

  addOutputOptions(
    group
      .command('list')
      .description('list connections in name order')
      .option('--project <project>', "this project's connections and the global ones")
      .option('--environment <environment>', 'only those with parameters for this environment')
      .addOption(
        new Option('--enabled <state>', 'only enabled or disabled ones').choices(['true', 'false']),
      )
      .option('--global', 'only global connections')
      .option('--no-global', 'leave global connections out')
      .option('--q <text>', 'part of the name, any case')
      .option('--limit <n>', 'at most this many (one page; at most 500)', parsePositiveInt)
      .option('--cursor <cursor>', 'continue after an earlier page')
      .option('--all', 'follow every page'),
  ).action((options: ListOptions) => listConnections(ctx, options));

  addOutputOptions(ref(group.command('get').description('show one connection'))).action(
    (connection: string, options: RefOptions) => getConnection(ctx, connection, options),
  );

  addOutputOptions(
    editFlags(
      group
        .command('create')
        .description('create a connection from a JSON/YAML file or from flags')
        .option('-f, --file <file>', 'a ConnectionIn document, JSON or YAML (- reads stdin)')
        .option('--project <project>', 'the project it lives in (default: default)')
        .option('--global', 'visible to every project')
        .option('--disabled', 'create it disabled'),
    ),
  ).action((options: SaveOptions) => createConnection(ctx, options));

  addOutputOptions(
    editFlags(
      ref(group.command('update'))
        .description('replace a connection from a file, or change the fields named by flags')
        .option('-f, --file <file>', 'the whole connection, JSON or YAML (- reads stdin)')
        .option('--force', "with -f: ignore the file's revision (no If-Match)")
        .option('--remove-header <name>', 'remove this header (repeatable)', collect),
    ),
  ).action((connection: string, options: SaveOptions & RefOptions) =>
    updateConnection(ctx, connection, options),
  );

  ref(group.command('delete'))
    .description('delete a connection and its revisions')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((connection: string, options: RefOptions & { yes?: boolean }) =>
      deleteConnection(ctx, connection, options),
    );

  for (const [name, summary] of [
    ['enable', 'enable a connection'],
    ['disable', 'disable a connection: it keeps its configuration, every call fails'],
    ['move-to-global', 'make a project connection global (visible to every project)'],
  ] as const) {
    addOutputOptions(ref(group.command(name).description(summary))).action(
      (connection: string, options: RefOptions) => actOnConnection(ctx, name, connection, options),
    );
  }

  group
    .command('name-exists')
    .description('check whether a name is taken where it would be saved (exit 0 either way)')
    .argument('<name>', 'the name to check')
    .option('--project <project>', 'the project it would live in (default: default)')
    .option('--global', 'the name would be global')
    .option('--exclude <id>', 'ignore this connection (the one being renamed)')
    .option('--json', 'print the API answer as JSON')
    .action((name: string, options: NameExistsOptions) => checkName(ctx, name, options));

  registerRevisionCommands(group, ctx);
  registerDeploymentCommands(group, ctx);
  registerRuntimeCommands(group, ctx);

  addOutputOptions(
    group
      .command('duplicate')
      .description('copy a connection under a new name (revision 1)')
      .argument('<connection>', 'connection id or name')
      .requiredOption('--name <name>', 'the new name')
      .option('--project <project>', "the copy's project (default: the source's)")
      .option('--global', 'make the copy global')
      .option('--from-project <project>', 'when naming the source: the project it is in'),
  ).action((connection: string, options: DuplicateOptions) =>
    duplicateConnection(ctx, connection, options),
  );
}

/** The flags that describe a connection's fields, shared by create and update. */
function editFlags(command: Command): Command {
  return command
    .option('--name <name>', 'connection name')
    .option('--description <text>', 'what it is for')
    .option('--critical', 'production deploys need a second approval')
    .option('--no-critical', 'no second approval needed')
    .option(
      '--env <environment>',
      'the environment --method/--url/--header apply to (repeatable)',
      collect,
    )
    .option('--method <method>', `HTTP method (default for a new environment: POST)`)
    .option('--url <url>', 'the URL; templates allowed')
    .option('--header <header>', "'Name: value' (repeatable; a repeated name replaces)", collect);
}

export async function listConnections(ctx: CliContext, options: ListOptions) {
  const query = {
    project: options.project,
    environment: options.environment,
    enabled: options.enabled,
    global: options.global,
    q: options.q,
    limit: options.limit ?? (options.all ? 500 : undefined),
    cursor: options.cursor,
  };
  const client = ctx.client();
  const page = options.all
    ? await client.listAll<Connection>(base, query)
    : await client.request<{ items: Connection[]; next: string | null }>('GET', base, { query });
  await emit(ctx.io, outputFormat(options), page, () =>
    formatTable(
      ['name', 'project', 'enabled', 'environments', 'revision', 'updated'],
      page.items.map((c) => [
        cell(c.name),
        c.project ?? '(global)',
        formatBoolean(c.enabled),
        Object.keys(c.environments).join(',') || '-',
        String(c.revision),
        formatTime(c.updatedAt),
      ]),
    ),
  );
  if (page.next && outputFormat(options) === 'table') {
    ctx.io.warn(`more connections: pass --all, or --cursor ${page.next}`);
  }
}

export async function getConnection(ctx: CliContext, ref: string, options: RefOptions) {
  const connection = await ctx
    .client()
    .request<Connection>('GET', path(ref), { query: { project: options.project } });
  await emit(ctx.io, outputFormat(options), connection, () => describeConnection(connection));
}

export async function createConnection(ctx: CliContext, options: SaveOptions) {
  let body: Record<string, unknown> | ConnectionInput;
  if (options.file !== undefined) {
    if (hasEditFlags(options) || options.env) {
      throw new UsageError('-f takes the whole connection: pass either -f or field flags');
    }
    // where it lives and whether it is on may override the file: one file, several projects
    body = connectionFromDocument(await readDocument(options.file)).body;
    if (options.project !== undefined) body.project = options.project;
    if (options.global) body.global = true;
    if (options.disabled) body.enabled = false;
  } else {
    body = connectionFromFlags(options);
  }
  const created = await ctx.client().request<Connection>('POST', base, { body });
  printWarnings(ctx.io, created.warnings);
  await emit(
    ctx.io,
    outputFormat(options),
    created,
    () => `created connection ${describeRef(created)}`,
  );
}

export async function updateConnection(
  ctx: CliContext,
  ref: string,
  options: SaveOptions & RefOptions,
) {
  const client = ctx.client();
  let body: Record<string, unknown> | ConnectionInput;
  let target = ref;
  let query: { project?: string } = { project: options.project };
  // the revision the change is based on: sent as If-Match, and tells whether anything changed
  let ifMatch: number | undefined;
  if (options.file !== undefined) {
    if (hasEditFlags(options) || options.env) {
      throw new UsageError('-f takes the whole connection: pass either -f or field flags');
    }
    const document = connectionFromDocument(await readDocument(options.file));
    body = document.body;
    ifMatch = options.force ? undefined : document.revision;
  } else {
    if (!hasEditFlags(options)) {
      throw new UsageError('nothing to change: pass -f FILE or flags such as --url, --header');
    }
    // read → change → write back with If-Match, so a concurrent edit is refused, not lost
    const current = await client.request<Connection>('GET', path(ref), { query });
    body = applyFlags(current, options);
    [target, query, ifMatch] = [current.id, {}, current.revision];
  }
  const updated = await client.request<Connection>('PUT', path(target), { body, query, ifMatch });
  printWarnings(ctx.io, updated.warnings);
  await emit(ctx.io, outputFormat(options), updated, () => {
    if (ifMatch === undefined) return `saved connection ${describeRef(updated)}`;
    return updated.revision === ifMatch
      ? `connection ${describeRef(updated)} unchanged`
      : `updated connection ${describeRef(updated)}`;
  });
}

export async function deleteConnection(
  ctx: CliContext,
  ref: string,
  options: RefOptions & { yes?: boolean },
) {
  if (!options.yes) {
    if (!ctx.io.interactive) {
      throw new UsageError(`refusing to delete connection ${ref} without confirmation: pass --yes`);
    }
    if (!(await ctx.io.confirm(`Delete connection ${ref} and all its revisions? [y/N] `))) {
      ctx.io.warn('nothing deleted');
      return;
    }
  }
  await ctx.client().request('DELETE', path(ref), { query: { project: options.project } });
  ctx.io.print(`deleted connection ${ref}`);
}

const acted = {
  enable: (ref: string) => `enabled connection ${ref}`,
  disable: (ref: string) => `disabled connection ${ref}`,
  'move-to-global': (ref: string) => `moved connection ${ref} to global`,
};

export async function actOnConnection(
  ctx: CliContext,
  action: keyof typeof acted,
  ref: string,
  options: RefOptions,
) {
  const connection = await ctx.client().request<Connection>('POST', path(ref, `/${action}`), {
    query: { project: options.project },
  });
  await emit(ctx.io, outputFormat(options), connection, () =>
    acted[action](describeRef(connection)),
  );
}

interface NameExistsOptions {
  project?: string;
  global?: boolean;
  exclude?: string;
  json?: boolean;
}

export async function checkName(ctx: CliContext, name: string, options: NameExistsOptions) {
  const answer = await ctx.client().request<NameExists>('GET', `${base}/name-exists`, {
    query: { name, project: options.project, global: options.global, exclude: options.exclude },
  });
  if (options.json) {
    ctx.io.print(JSON.stringify(answer, null, 2));
    return;
  }
  const holder = answer.conflict
    ? ` (by ${answer.conflict.id}${answer.conflict.project ? ` in project ${answer.conflict.project}` : ', global'})`
    : '';
  ctx.io.print(answer.exists ? `taken${holder}` : 'available');
}

interface DuplicateOptions extends OutputOptions {
  name: string;
  project?: string;
  global?: boolean;
  fromProject?: string;
}

export async function duplicateConnection(ctx: CliContext, ref: string, options: DuplicateOptions) {
  const copy = await ctx.client().request<Connection>('POST', path(ref, '/duplicate'), {
    query: { project: options.fromProject },
    body: { name: options.name, project: options.project, global: options.global },
  });
  await emit(
    ctx.io,
    outputFormat(options),
    copy,
    () => `created connection ${describeRef(copy)} as a copy of ${ref}`,
  );
}
