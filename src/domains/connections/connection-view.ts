import type { Warning } from '../../contracts/common.ts';
import type { Connection } from '../../contracts/connections.ts';
import type { ConnectionRecord } from './connection.repo.ts';

/** A connection as saved, with what the user should know about it. */
export type SavedConnection = Connection & { warnings?: Warning[] };

/** The API representation (ConnectionOut). */
export function toConnection(record: ConnectionRecord): Connection {
  return {
    id: record.id,
    name: record.spec.name,
    description: record.spec.description,
    enabled: record.enabled,
    critical: record.spec.critical,
    project: record.projectId,
    global: record.projectId === null,
    environments: record.spec.environments,
    revision: record.revision,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

/** The ConnectionIn representation a PATCH merges onto (a global one has no project). */
export function toInput(record: ConnectionRecord): Record<string, unknown> {
  return {
    name: record.spec.name,
    description: record.spec.description,
    enabled: record.enabled,
    critical: record.spec.critical,
    ...(record.projectId === null ? {} : { project: record.projectId }),
    global: record.projectId === null,
    environments: record.spec.environments,
  };
}

export function withWarnings(connection: Connection, warnings: Warning[]): SavedConnection {
  return warnings.length > 0 ? { ...connection, warnings } : connection;
}

/** Equal as JSON, whatever the order of object keys (arrays keep their order). */
export function isSameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => [key, sortKeys(item)]),
  );
}
