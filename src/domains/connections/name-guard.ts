import { AppError } from '../../core/errors.ts';
import type { NameHolder } from './connection.repo.ts';

/** CONNECTION_NAME_TAKEN naming who holds the name: a project, or global. */
export function nameTaken(name: string, holders: NameHolder[]): AppError {
  const places = holders.map((h) => (h.projectId === null ? 'global' : `project '${h.projectId}'`));
  const first = holders[0];
  return new AppError(
    'CONNECTION_NAME_TAKEN',
    first
      ? `the name '${name}' is already used by connection '${first.name}' (${places.join(', ')})`
      : `the name '${name}' is already used`,
    {
      name,
      project: first?.projectId ?? null,
      id: first?.id ?? null,
      conflicts: holders.map((h) => ({ id: h.id, project: h.projectId })),
    },
  );
}

/** Thrown inside a transaction when the unique name index fires; mapped after the rollback. */
export class NameIndexViolation extends Error {
  readonly connectionName: string;
  readonly projectId: string | null;
  constructor(connectionName: string, projectId: string | null) {
    super(`unique index connections_scope_name refused '${connectionName}'`);
    this.connectionName = connectionName;
    this.projectId = projectId;
  }
}

/** SQLite: "UNIQUE constraint failed: index 'connections_scope_name'"; PostgreSQL: 23505. */
export function isNameIndexViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23505') return constraint === 'connections_scope_name';
  return (
    error.message.includes('UNIQUE constraint failed') &&
    error.message.includes('connections_scope_name')
  );
}
