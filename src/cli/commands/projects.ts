import type { Command } from 'commander';
import type { Project, ProjectIn, ProjectPatch } from '../../contracts/projects.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/projects';
const path = (id: string) => `${base}/${encodeURIComponent(id)}`;

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('projects')
    .description('list and change projects (namespaces for connections)');

  addOutputOptions(group.command('list').description('list projects')).action(
    (options: OutputOptions) => listProjects(ctx, options),
  );

  addOutputOptions(
    group.command('get').description('show one project').argument('<id>', 'project id'),
  ).action((id: string, options: OutputOptions) => getProject(ctx, id, options));

  addOutputOptions(
    group
      .command('create')
      .description('create a project')
      .requiredOption('--id <id>', 'e.g. payments, team-a')
      .requiredOption('--name <name>', 'display name')
      .option('--description <text>', 'what it is for'),
  ).action((options: ProjectIn & OutputOptions) => createProject(ctx, options));

  addOutputOptions(
    group
      .command('update')
      .description("change a project's name or description")
      .argument('<id>', 'project id')
      .option('--name <name>', 'display name')
      .option('--description <text>', 'what it is for'),
  ).action((id: string, options: ProjectPatch & OutputOptions) => updateProject(ctx, id, options));

  group
    .command('delete')
    .description('delete a project that holds no connections')
    .argument('<id>', 'project id')
    .action((id: string) => deleteProject(ctx, id));
}

export async function listProjects(ctx: CliContext, options: OutputOptions) {
  const page = await ctx.client().listAll<Project>(base);
  await emit(ctx.io, outputFormat(options), page, () =>
    formatTable(
      ['id', 'name', 'description', 'updated'],
      page.items.map((p) => [p.id, cell(p.name), cell(p.description), formatTime(p.updatedAt)]),
    ),
  );
}

export async function getProject(ctx: CliContext, id: string, options: OutputOptions) {
  const project = await ctx.client().request<Project>('GET', path(id));
  await emit(ctx.io, outputFormat(options), project, () =>
    formatFields([
      ['Id', project.id],
      ['Name', cell(project.name)],
      ['Description', cell(project.description)],
      ['Created', formatTime(project.createdAt)],
      ['Updated', formatTime(project.updatedAt)],
    ]),
  );
}

export async function createProject(ctx: CliContext, options: ProjectIn & OutputOptions) {
  const body = { id: options.id, name: options.name, description: options.description };
  const created = await ctx.client().request<Project>('POST', base, { body });
  await emit(ctx.io, outputFormat(options), created, () => `created project ${created.id}`);
}

export async function updateProject(
  ctx: CliContext,
  id: string,
  options: ProjectPatch & OutputOptions,
) {
  const body = { name: options.name, description: options.description };
  if (Object.values(body).every((value) => value === undefined)) {
    throw new UsageError('nothing to change: pass --name or --description');
  }
  const updated = await ctx.client().request<Project>('PATCH', path(id), { body });
  await emit(ctx.io, outputFormat(options), updated, () => `updated project ${updated.id}`);
}

export async function deleteProject(ctx: CliContext, id: string) {
  await ctx.client().request('DELETE', path(id));
  ctx.io.print(`deleted project ${id}`);
}
