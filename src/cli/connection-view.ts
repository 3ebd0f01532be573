// How a connection reads in a terminal: one line after a change, fields and an environment
// table for `get`, warnings of a save on stderr.
import type { Warning } from '../contracts/common.ts';
import type { Connection } from '../contracts/connections.ts';
import type { CliIo } from './context.ts';
import { cell, formatBoolean, formatFields, formatTable, formatTime } from './output.ts';

/** Warnings of a save (plain http in production, literal credentials) go to stderr. */
export function printWarnings(io: CliIo, warnings: Warning[] | undefined) {
  for (const warning of warnings ?? []) {
    io.warn(`warning ${warning.code}: ${warning.path}: ${warning.message}`);
  }
}

export function describeRef(connection: Connection): string {
  const where = connection.project === null ? 'global' : `project ${connection.project}`;
  return `${connection.name} (${connection.id}, ${where}, revision ${connection.revision})`;
}

export function describeConnection(connection: Connection): string {
  const fields = formatFields([
    ['Name', cell(connection.name)],
    ['Id', connection.id],
    ['Project', connection.project ?? '(global)'],
    ['Enabled', formatBoolean(connection.enabled)],
    ['Critical', formatBoolean(connection.critical)],
    ['Revision', String(connection.revision)],
    ['Description', cell(connection.description)],
    ['Created', `${formatTime(connection.createdAt)} by ${cell(connection.createdBy)}`],
    ['Updated', `${formatTime(connection.updatedAt)} by ${cell(connection.updatedBy)}`],
  ]);
  const environments = Object.entries(connection.environments);
  if (environments.length === 0) return `${fields}\n\n(no environments)`;
  // header values may hold credentials: names only here; -o yaml or --json shows everything
  const table = formatTable(
    ['environment', 'method', 'url', 'headers'],
    environments.map(([id, params]) => [
      id,
      params.method,
      cell(params.url),
      params.headers.map((header) => header.name).join(', ') || '-',
    ]),
  );
  return `${fields}\n\n${table}`;
}
