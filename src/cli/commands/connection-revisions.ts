import type { Command } from 'commander';
import type { Connection, Revision, RevisionSummary } from '../../contracts/connections.ts';
import { addConnectionRef, connectionPath as path, type RefOptions } from '../connection-input.ts';
import { printWarnings } from '../connection-view.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  parsePositiveInt,
  type CliContext,
} from '../context.ts';
import { cell, formatTable, formatTime } from '../output.ts';

interface PageOptions extends RefOptions {
  limit?: number;
  all?: boolean;
}

/** `connections revisions` and `connections rollback`, on the `connections` group. */
export function register(group: Command, ctx: CliContext): void {
  addOutputOptions(
    addConnectionRef(group.command('revisions'))
      .description("list a connection's revisions, newest first, or show one")
      .argument('[revision]', 'show this revision', parsePositiveInt)
      .option('--limit <n>', 'at most this many (one page)', parsePositiveInt)
      .option('--all', 'follow every page'),
  ).action((connection: string, revision: number | undefined, options: PageOptions) =>
    revision === undefined
      ? listRevisions(ctx, connection, options)
      : getRevision(ctx, connection, revision, options),
  );

  addOutputOptions(
    addConnectionRef(group.command('rollback'))
      .description('save the configuration of an earlier revision as a new revision')
      .requiredOption(
        '--revision <n>',
        'the revision whose configuration comes back',
        parsePositiveInt,
      ),
  ).action((connection: string, options: RefOptions & { revision: number }) =>
    rollbackConnection(ctx, connection, options),
  );
}

export async function listRevisions(ctx: CliContext, ref: string, options: PageOptions) {
  const query = { project: options.project, limit: options.limit };
  const client = ctx.client();
  const page = options.all
    ? await client.listAll<RevisionSummary>(path(ref, '/revisions'), query)
    : await client.request<{ items: RevisionSummary[]; next: string | null }>(
        'GET',
        path(ref, '/revisions'),
        { query },
      );
  await emit(ctx.io, outputFormat(options), page, () =>
    formatTable(
      ['revision', 'action', 'created', 'by'],
      page.items.map((r) => [
        String(r.revision),
        r.action,
        formatTime(r.createdAt),
        cell(r.createdBy),
      ]),
    ),
  );
  if (page.next && outputFormat(options) === 'table') ctx.io.warn('more revisions: pass --all');
}

export async function getRevision(
  ctx: CliContext,
  ref: string,
  revision: number,
  options: RefOptions,
) {
  const answer = await ctx.client().request<Revision>('GET', path(ref, `/revisions/${revision}`), {
    query: { project: options.project },
  });
  // a revision is a document: YAML unless JSON is asked for
  const format = options.json ? 'json' : options.output === 'json' ? 'json' : 'yaml';
  await emit(ctx.io, format, answer, () => '');
}

export async function rollbackConnection(
  ctx: CliContext,
  ref: string,
  options: RefOptions & { revision: number },
) {
  const connection = await ctx.client().request<Connection>('POST', path(ref, '/rollback'), {
    query: { project: options.project },
    body: { revision: options.revision },
  });
  printWarnings(ctx.io, connection.warnings);
  await emit(
    ctx.io,
    outputFormat(options),
    connection,
    () =>
      `rolled back connection ${connection.name} to the configuration of revision ${options.revision}: now revision ${connection.revision}`,
  );
}
