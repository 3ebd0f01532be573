import { Option, type Command } from 'commander';
import type {
  Environment,
  EnvironmentIn,
  EnvironmentKind,
  EnvironmentPatch,
} from '../../contracts/environments.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/environments';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

// A copy, not an import: the contract module loads zod (~0.3 s per command). The type check
// below fails when the contract's kinds and this list differ.
const environmentKinds = ['development', 'test', 'production'] as const;
const kindsInStep: [EnvironmentKind, (typeof environmentKinds)[number]] extends [
  (typeof environmentKinds)[number],
  EnvironmentKind,
]
  ? true
  : false = true;
void kindsInStep;

const allowHelp =
  'comma-separated CIDRs calls may reach even where loopback or private ranges are refused';
const denyHelp = 'comma-separated CIDRs calls may not reach (wins over --allow-cidrs)';

/** The egress flags, as commander hands them over. */
interface EgressOptions {
  allowCidrs?: string;
  denyCidrs?: string;
  denyPrivate?: boolean;
}
type CreateOptions = Omit<EnvironmentIn, 'egress'> & EgressOptions & OutputOptions;
type UpdateOptions = Omit<EnvironmentPatch, 'egress'> & EgressOptions & OutputOptions;

/** `a, b,,c` → [a, b, c]; "" → [] (a list emptied). The server checks each CIDR. */
function cidrList(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The egress fields given on the command line; undefined when none was. */
function egressOf(options: EgressOptions) {
  const egress = {
    allowCidrs: cidrList(options.allowCidrs),
    denyCidrs: cidrList(options.denyCidrs),
    denyPrivate: options.denyPrivate,
  };
  return Object.values(egress).every((value) => value === undefined) ? undefined : egress;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('environments')
    .alias('env')
    .description('list and change environments (development, test, production, …)');

  addOutputOptions(group.command('list').description('list environments')).action(
    (options: OutputOptions) => listEnvironments(ctx, options),
  );

  addOutputOptions(
    group.command('get').description('show one environment').argument('<id>', 'environment id'),
  ).action((id: string, options: OutputOptions) => getEnvironment(ctx, id, options));

  addOutputOptions(
    group
      .command('create')
      .description('create an environment')
      .requiredOption('--id <id>', 'e.g. staging, Prod-Blue')
      .requiredOption('--name <name>', 'display name')
      .addOption(
        new Option('--kind <kind>', 'production-kind rules apply to production')
          .choices(environmentKinds)
          .makeOptionMandatory(),
      )
      .option('--description <text>', 'what it is for')
      .option('--allow-cidrs <cidrs>', allowHelp)
      .option('--deny-cidrs <cidrs>', denyHelp)
      .option('--deny-private', 'refuse private ranges (10/8, 172.16/12, 192.168/16, …)'),
  ).action((options: CreateOptions) => createEnvironment(ctx, options));

  addOutputOptions(
    group
      .command('update')
      .description("change an environment's name, kind, description or egress policy")
      .argument('<id>', 'environment id')
      .option('--name <name>', 'display name')
      .addOption(new Option('--kind <kind>', 'environment kind').choices(environmentKinds))
      .option('--description <text>', 'what it is for')
      .option('--allow-cidrs <cidrs>', `${allowHelp}; replaces the list ("" empties it)`)
      .option('--deny-cidrs <cidrs>', `${denyHelp}; replaces the list ("" empties it)`)
      .option('--deny-private', 'refuse private ranges')
      .option('--no-deny-private', 'allow private ranges again'),
  ).action((id: string, options: UpdateOptions) => updateEnvironment(ctx, id, options));

  group
    .command('delete')
    .description('delete an environment no connection uses')
    .argument('<id>', 'environment id')
    .action((id: string) => deleteEnvironment(ctx, id));
}

export async function listEnvironments(ctx: CliContext, options: OutputOptions) {
  const page = await ctx.client().listAll<Environment>(base);
  await emit(ctx.io, outputFormat(options), page, () =>
    formatTable(
      ['id', 'name', 'kind', 'updated'],
      page.items.map((e) => [e.id, cell(e.name), e.kind, formatTime(e.updatedAt)]),
    ),
  );
}

export async function getEnvironment(ctx: CliContext, id: string, options: OutputOptions) {
  const environment = await ctx.client().request<Environment>('GET', path(id));
  await emit(ctx.io, outputFormat(options), environment, () => describeEnvironment(environment));
}

export async function createEnvironment(ctx: CliContext, options: CreateOptions) {
  const body = {
    id: options.id,
    name: options.name,
    kind: options.kind,
    description: options.description,
    egress: egressOf(options),
  };
  const created = await ctx.client().request<Environment>('POST', base, { body });
  await emit(ctx.io, outputFormat(options), created, () => `created environment ${created.id}`);
}

export async function updateEnvironment(ctx: CliContext, id: string, options: UpdateOptions) {
  const body = {
    name: options.name,
    kind: options.kind,
    description: options.description,
    egress: egressOf(options),
  };
  if (Object.values(body).every((value) => value === undefined)) {
    throw new UsageError(
      'nothing to change: pass --name, --kind, --description, --allow-cidrs, --deny-cidrs or --[no-]deny-private',
    );
  }
  const updated = await ctx.client().request<Environment>('PATCH', path(id), { body });
  await emit(ctx.io, outputFormat(options), updated, () => `updated environment ${updated.id}`);
}

export async function deleteEnvironment(ctx: CliContext, id: string) {
  await ctx.client().request('DELETE', path(id));
  ctx.io.print(`deleted environment ${id}`);
}

function describeEnvironment(environment: Environment): string {
  return formatFields([
    ['Id', environment.id],
    ['Name', cell(environment.name)],
    ['Kind', environment.kind],
    ['Description', cell(environment.description)],
    ['Allowed CIDRs', cell(environment.egress.allowCidrs.join(', ') || '(none)')],
    ['Denied CIDRs', cell(environment.egress.denyCidrs.join(', ') || '(none)')],
    ['Private ranges', environment.egress.denyPrivate ? 'refused' : 'allowed'],
    ['Created', formatTime(environment.createdAt)],
    ['Updated', formatTime(environment.updatedAt)],
  ]);
}
