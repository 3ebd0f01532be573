import type { Command } from 'commander';
import {
  addOutputOptions,
  emit,
  outputFormat,
  parsePositiveInt,
  type CliContext,
  type OutputOptions,
} from './context.ts';

/** The options of a `list` command over a name-ordered, cursor-paged API list. */
export interface ListOptions extends OutputOptions {
  q?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}

// The API answers at most 500 a page (contracts/common.ts); --all asks for full pages.
const maxPageSize = 500;

/**
 * `--q`, then the list's own filters, then `--limit`, `--cursor`, `--all` and the output
 * options: the same order in every list's help.
 */
export function addListOptions(
  command: Command,
  addFilters: (command: Command) => Command = (same) => same,
): Command {
  return addPageOptions(command.option('--q <text>', 'part of the name, any case'), addFilters);
}

/** `addListOptions` without `--q`, for lists the API cannot search by name (users, tokens). */
export function addPageOptions(
  command: Command,
  addFilters: (command: Command) => Command = (same) => same,
): Command {
  return addOutputOptions(
    addFilters(command)
      .option('--limit <n>', 'at most this many (one page; at most 500)', parsePositiveInt)
      .option('--cursor <cursor>', 'continue after an earlier page')
      .option('--all', 'follow every page'),
  );
}

/**
 * GETs one page (or every page with --all) of `base` and prints it: as the API answered for
 * --json / -o yaml, else `table(items)` and, when more pages follow, how to get them.
 */
export async function printListPage<T>(
  ctx: CliContext,
  list: { base: string; plural: string; filters?: Record<string, string | undefined> },
  options: ListOptions,
  table: (items: T[]) => string,
): Promise<void> {
  const query = {
    q: options.q,
    ...list.filters,
    limit: options.limit ?? (options.all ? maxPageSize : undefined),
    cursor: options.cursor,
  };
  const client = ctx.client();
  const page = options.all
    ? await client.listAll<T>(list.base, query)
    : await client.request<{ items: T[]; next: string | null }>('GET', list.base, { query });
  await emit(ctx.io, outputFormat(options), page, () => table(page.items));
  if (page.next && outputFormat(options) === 'table') {
    ctx.io.warn(`more ${list.plural}: pass --all, or --cursor ${page.next}`);
  }
}
