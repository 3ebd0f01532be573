import type { Command } from 'commander';
import type { Variable } from '../../contracts/variables.ts';
import { ApiError } from '../api-client.ts';
import { printWarnings } from '../connection-view.ts';
import { confirmDeletion } from '../confirm-deletion.ts';
import {
  addOutputOptions,
  collect,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { addListOptions, printListPage, type ListOptions as PageOptions } from '../list-command.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/variables';
const path = (name: string) => `${base}/${encodeURIComponent(name)}`;

interface ListOptions extends PageOptions {
  environment?: string;
}

interface SetOptions extends OutputOptions {
  unset?: string[];
  description?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('variables')
    .alias('vars')
    .description('manage variables: a value per environment, referenced as {{var.NAME}}');

  addListOptions(group.command('list').description('list variables in name order'), (list) =>
    list.option('--environment <environment>', 'only those with a value for this environment'),
  ).action((options: ListOptions) => listVariables(ctx, options));

  addOutputOptions(
    group
      .command('get')
      .description('show a variable and its value in each environment')
      .argument('<name>', 'variable name or id'),
  ).action((name: string, options: OutputOptions) => getVariable(ctx, name, options));

  addOutputOptions(
    group
      .command('set')
      .description(
        'set values, creating the variable if needed: hookline variables set API_BASE production=https://api.example.com test=https://test.example.com',
      )
      .argument('<name>', 'variable name (or id, to change one)')
      .argument('[values...]', 'ENVIRONMENT=VALUE pairs (a value may contain =)')
      .option('--unset <environment>', "remove this environment's value (repeatable)", collect)
      .option('--description <text>', 'what it is for'),
  ).action((name: string, pairs: string[], options: SetOptions) =>
    setVariable(ctx, name, pairs, options),
  );

  group
    .command('delete')
    .description('delete a variable and its values in every environment')
    .argument('<name>', 'variable name or id')
    .option('-y, --yes', 'do not ask for confirmation')
    .action((name: string, options: { yes?: boolean }) => deleteVariable(ctx, name, options));
}

export async function listVariables(ctx: CliContext, options: ListOptions) {
  const list = { base, plural: 'variables', filters: { environment: options.environment } };
  await printListPage<Variable>(ctx, list, options, (items) =>
    formatTable(
      ['name', 'environments', 'updated'],
      items.map((v) => [
        cell(v.name),
        Object.keys(v.values).join(',') || '-',
        formatTime(v.updatedAt),
      ]),
    ),
  );
}

export async function getVariable(ctx: CliContext, name: string, options: OutputOptions) {
  const variable = await ctx.client().request<Variable>('GET', path(name));
  await emit(ctx.io, outputFormat(options), variable, () => describeVariable(variable));
}

/** `production=https://a` → ['production', 'https://a']; environment ids never hold `=`. */
function parsePairs(pairs: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new UsageError(
        `'${pair}' is not ENVIRONMENT=VALUE (e.g. production=https://api.example.com)`,
      );
    }
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return values;
}

/** PATCH the values given (and --unset ones to null); a variable that does not exist is created. */
export async function setVariable(
  ctx: CliContext,
  name: string,
  pairs: string[],
  options: SetOptions,
) {
  const values: Record<string, string | null> = parsePairs(pairs);
  for (const environment of options.unset ?? []) {
    if (environment in values) {
      throw new UsageError(`environment ${environment} is both set and --unset`);
    }
    values[environment] = null;
  }
  if (Object.keys(values).length === 0 && options.description === undefined) {
    throw new UsageError('nothing to set: pass ENVIRONMENT=VALUE pairs, --unset or --description');
  }
  const client = ctx.client();
  let saved: Variable;
  let created = false;
  try {
    saved = await client.request<Variable>('PATCH', path(name), {
      body: { values, description: options.description },
    });
  } catch (error) {
    if (!(
      error instanceof ApiError &&
      error.code === 'NOT_FOUND' &&
      error.details?.what === 'variable'
    )) {
      throw error;
    }
    const initial = Object.fromEntries(
      Object.entries(values).filter(([, value]) => value !== null),
    );
    saved = await client.request<Variable>('POST', base, {
      body: { name, values: initial, description: options.description },
    });
    created = true;
  }
  printWarnings(ctx.io, saved.warnings);
  await emit(ctx.io, outputFormat(options), saved, () => {
    const environments = Object.keys(saved.values).join(', ') || 'none';
    return `${created ? 'created' : 'updated'} variable ${saved.name} (values in: ${environments})`;
  });
}

export async function deleteVariable(ctx: CliContext, name: string, options: { yes?: boolean }) {
  const question = `Delete variable ${name} and its values in every environment? [y/N] `;
  if (!(await confirmDeletion(ctx.io, `variable ${name}`, options, question))) {
    ctx.io.warn('nothing deleted');
    return;
  }
  await ctx.client().request('DELETE', path(name));
  ctx.io.print(`deleted variable ${name}`);
}

function describeVariable(variable: Variable): string {
  const fields = formatFields([
    ['Name', cell(variable.name)],
    ['Id', variable.id],
    ['Description', cell(variable.description)],
    ['Created', `${formatTime(variable.createdAt)} by ${cell(variable.createdBy)}`],
    ['Updated', `${formatTime(variable.updatedAt)} by ${cell(variable.updatedBy)}`],
  ]);
  const values = Object.entries(variable.values);
  if (values.length === 0) return `${fields}\n\n(no values)`;
  const table = formatTable(
    ['environment', 'value'],
    values.map(([environment, value]) => [environment, cell(value)]),
  );
  return `${fields}\n\n${table}`;
}
