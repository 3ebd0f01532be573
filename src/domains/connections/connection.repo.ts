import { sql, type Insertable, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { ConnectionSpec } from '../../contracts/connections.ts';
import type { Db } from '../../store/create-store.ts';
import type { ConnectionsTable, Database } from '../../store/database.ts';
import type { ConnectionCursor } from './list-cursor.ts';
import { searchTextOf } from './search-text.ts';

/** A connection row as the service sees it: booleans as booleans, the spec parsed. */
export interface ConnectionRecord {
  id: string;
  /** null: global */
  projectId: string | null;
  enabled: boolean;
  revision: number;
  spec: ConnectionSpec;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

/** Where a name lives: enough to say who holds it. */
export interface NameHolder {
  id: string;
  projectId: string | null;
  name: string;
}

export interface ConnectionListFilter {
  /** what this project sees: its own connections, plus the global ones unless global=false */
  projectId?: string;
  /** true: only global; false: no global */
  global?: boolean;
  environmentId?: string;
  enabled?: boolean;
  /** part of the name, a URL host or the description, any case */
  search?: string;
  /** only these ids (an empty list selects nothing) */
  ids?: string[];
  /** name (the default): by (name_key, id); updated: by (updated_at, id), newest first */
  sort?: 'name' | 'updated';
  /** keyset: rows after this one in the sort's order */
  after?: ConnectionCursor;
  limit: number;
}

/** What a count selects: the list's filters, without the page. */
export type ConnectionCountFilter = Omit<ConnectionListFilter, 'after' | 'limit' | 'sort'>;

export function nameKeyOf(name: string): string {
  return name.toLowerCase();
}

function toRecord(row: Selectable<ConnectionsTable>): ConnectionRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    enabled: Boolean(row.enabled),
    revision: Number(row.current_revision),
    spec: JSON.parse(row.spec) as ConnectionSpec,
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toRow(record: ConnectionRecord): Insertable<ConnectionsTable> & { search_text: string } {
  return {
    id: record.id,
    project_id: record.projectId,
    name: record.spec.name,
    name_key: nameKeyOf(record.spec.name),
    description: record.spec.description,
    enabled: record.enabled,
    critical: record.spec.critical,
    current_revision: record.revision,
    spec: JSON.stringify(record.spec),
    search_text: searchTextOf(record.spec),
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
  };
}

export async function findConnectionById(
  db: Db,
  id: string,
): Promise<ConnectionRecord | undefined> {
  const row = await db
    .selectFrom('connections')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** Every connection with this name, in any project or global (one per project at most). */
export async function findConnectionsByName(db: Db, name: string): Promise<ConnectionRecord[]> {
  const rows = await db
    .selectFrom('connections')
    .selectAll()
    .where('name_key', '=', nameKeyOf(name))
    .orderBy('id')
    .execute();
  return rows.map(toRecord);
}

/**
 * Who already holds `name` where a connection in `projectId` (null: global) would clash with
 * it: a project name clashes with the same project and with globals; a global name with all.
 */
export async function findNameHolders(
  db: Db,
  name: string,
  scope: { projectId: string | null; excludeId?: string },
): Promise<NameHolder[]> {
  let query = db
    .selectFrom('connections')
    .select(['id', 'project_id', 'name'])
    .where('name_key', '=', nameKeyOf(name));
  if (scope.projectId !== null) {
    const projectId = scope.projectId;
    query = query.where((eb) =>
      eb.or([eb('project_id', '=', projectId), eb('project_id', 'is', null)]),
    );
  }
  if (scope.excludeId !== undefined) query = query.where('id', '!=', scope.excludeId);
  const rows = await query.orderBy('project_id').orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, projectId: row.project_id, name: row.name }));
}

export async function insertConnection(db: Db, record: ConnectionRecord): Promise<void> {
  await db.insertInto('connections').values(toRow(record)).execute();
}

export async function updateConnection(db: Db, record: ConnectionRecord): Promise<void> {
  const row = toRow(record);
  await db
    .updateTable('connections')
    .set({
      project_id: row.project_id,
      name: row.name,
      name_key: row.name_key,
      description: row.description,
      enabled: row.enabled,
      critical: row.critical,
      current_revision: row.current_revision,
      spec: row.spec,
      search_text: row.search_text,
      updated_at: row.updated_at,
      updated_by: row.updated_by,
    })
    .where('id', '=', record.id)
    .execute();
}

export async function deleteConnection(db: Db, id: string): Promise<void> {
  await db.deleteFrom('connections').where('id', '=', id).execute();
}

/** Keeps connection_environments in step with the spec's environment keys. */
export async function setConnectionEnvironments(
  db: Db,
  connectionId: string,
  environmentIds: readonly string[],
): Promise<void> {
  await db
    .deleteFrom('connection_environments')
    .where('connection_id', '=', connectionId)
    .execute();
  if (environmentIds.length === 0) return;
  await db
    .insertInto('connection_environments')
    .values(environmentIds.map((id) => ({ connection_id: connectionId, environment_id: id })))
    .execute();
}

/** `%`, `_` and `\` match themselves in a LIKE pattern escaped with `\`. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * One page in (name_key, id) order — or (updated_at, id) newest first —, read forward from a
 * keyset on the connections_name_key (connections_updated) index: the cost of a page does not
 * grow with how far into the list it is, and the row's spec column means no second query per
 * connection.
 */
export async function listConnections(
  db: Db,
  filter: ConnectionListFilter,
): Promise<Array<ConnectionRecord & { nameKey: string }>> {
  if (filter.ids?.length === 0) return [];
  let query = filtered(db.selectFrom('connections').selectAll(), filter);
  const after = filter.after;
  if (filter.sort === 'updated') {
    // newest first, on the connections_updated index (migration 0016)
    if (after?.sort === 'updated') {
      query = query.where((eb) =>
        eb(eb.refTuple('updated_at', 'id'), '<', eb.tuple(after.updatedAt, after.id)),
      );
    }
    query = query.orderBy('updated_at', 'desc').orderBy('id', 'desc');
  } else {
    if (after?.sort === 'name') {
      query = query.where((eb) =>
        eb(eb.refTuple('name_key', 'id'), '>', eb.tuple(after.nameKey, after.id)),
      );
    }
    query = query.orderBy('name_key').orderBy('id');
  }
  const rows = await query.limit(filter.limit).execute();
  return rows.map((row) => ({ ...toRecord(row), nameKey: row.name_key }));
}

/**
 * How many connections the list's filters select, in one COUNT: the list's "37 connections"
 * and "3 of 37 match". A search reads every row's search_text (a LIKE '%…%' can use no
 * B-tree index on either store); 1,000 connections count in well under a millisecond.
 */
export async function countConnections(db: Db, filter: ConnectionCountFilter): Promise<number> {
  if (filter.ids?.length === 0) return 0;
  const row = await filtered(
    db.selectFrom('connections').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')),
    filter,
  ).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The list's filters on a query of `connections` (both the page and its count). */
function filtered<O>(
  start: SelectQueryBuilder<Database, 'connections', O>,
  filter: ConnectionCountFilter,
): SelectQueryBuilder<Database, 'connections', O> {
  let query = start;
  const { projectId, global } = filter;
  if (projectId !== undefined) {
    if (global === true) query = query.where('project_id', 'is', null);
    else if (global === false) query = query.where('project_id', '=', projectId);
    else
      query = query.where((eb) =>
        eb.or([eb('project_id', '=', projectId), eb('project_id', 'is', null)]),
      );
  } else if (global === true) query = query.where('project_id', 'is', null);
  else if (global === false) query = query.where('project_id', 'is not', null);
  if (filter.enabled !== undefined) query = query.where('enabled', '=', filter.enabled);
  if (filter.environmentId !== undefined) {
    const environmentId = filter.environmentId;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('connection_environments')
          .select('connection_environments.connection_id')
          .whereRef('connection_environments.connection_id', '=', 'connections.id')
          .where('connection_environments.environment_id', '=', environmentId),
      ),
    );
  }
  if (filter.ids !== undefined) query = query.where('id', 'in', filter.ids);
  if (filter.search) {
    const pattern = `%${escapeLike(filter.search.toLowerCase())}%`;
    // SQLite has no default LIKE escape character: name it for both dialects
    query = query.where(
      sql<boolean>`(name_key LIKE ${pattern} ESCAPE '\\' OR search_text LIKE ${pattern} ESCAPE '\\')`,
    );
  }
  return query;
}
