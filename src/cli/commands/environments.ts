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
      .option('--description <text>', 'what it is for'),
  ).action((options: EnvironmentIn & OutputOptions) => createEnvironment(ctx, options));

  addOutputOptions(
    group
      .command('update')
      .description("change an environment's name, kind or description")
      .argument('<id>', 'environment id')
      .option('--name <name>', 'display name')
      .addOption(new Option('--kind <kind>', 'environment kind').choices(environmentKinds))
      .option('--description <text>', 'what it is for'),
  ).action((id: string, options: EnvironmentPatch & OutputOptions) =>
    updateEnvironment(ctx, id, options),
  );

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

export async function createEnvironment(ctx: CliContext, options: EnvironmentIn & OutputOptions) {
  const body = {
    id: options.id,
    name: options.name,
    kind: options.kind,
    description: options.description,
  };
  const created = await ctx.client().request<Environment>('POST', base, { body });
  await emit(ctx.io, outputFormat(options), created, () => `created environment ${created.id}`);
}

export async function updateEnvironment(
  ctx: CliContext,
  id: string,
  options: EnvironmentPatch & OutputOptions,
) {
  const body = { name: options.name, kind: options.kind, description: options.description };
  if (Object.values(body).every((value) => value === undefined)) {
    throw new UsageError('nothing to change: pass --name, --kind or --description');
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
    ['Created', formatTime(environment.createdAt)],
    ['Updated', formatTime(environment.updatedAt)],
  ]);
}
