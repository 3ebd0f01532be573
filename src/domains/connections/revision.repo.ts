import type { ConnectionSpec, Revision, RevisionSummary } from '../../contracts/connections.ts';
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../store/create-store.ts';

/** Why a revision was written. */
export type RevisionAction = 'create' | 'update' | 'rollback' | 'duplicate';

export async function insertRevision(db: Db, revision: Revision): Promise<void> {
  await db
    .insertInto('connection_revisions')
    .values({
      connection_id: revision.connectionId,
      revision: revision.revision,
      action: revision.action,
      spec: JSON.stringify(revision.spec),
      created_at: revision.createdAt,
      created_by: revision.createdBy,
    })
    .execute();
}

/** Newest first; `beforeRevision` continues a page. */
export async function listRevisions(
  db: Db,
  connectionId: string,
  page: { beforeRevision?: number; limit: number },
): Promise<RevisionSummary[]> {
  let query = db
    .selectFrom('connection_revisions')
    .select(['revision', 'action', 'created_at', 'created_by'])
    .where('connection_id', '=', connectionId);
  if (page.beforeRevision !== undefined) query = query.where('revision', '<', page.beforeRevision);
  const rows = await query.orderBy('revision', 'desc').limit(page.limit).execute();
  return rows.map((row) => ({
    revision: Number(row.revision),
    action: row.action,
    createdAt: row.created_at,
    createdBy: row.created_by,
  }));
}

export async function findRevision(
  db: Db,
  connectionId: string,
  revision: number,
): Promise<Revision | undefined> {
  const row = await db
    .selectFrom('connection_revisions')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('revision', '=', revision)
    .executeTakeFirst();
  return (
    row && {
      connectionId: row.connection_id,
      revision: Number(row.revision),
      action: row.action,
      spec: JSON.parse(row.spec) as ConnectionSpec,
      createdAt: row.created_at,
      createdBy: row.created_by,
    }
  );
}

/**
 * Whether the revision in `table` (connection_revisions or an alias of it) must outlive
 * retention, however old: it is deployed now (deployments holds a foreign key to it, and
 * deleting it would undeploy the connection); it is the last revision deployed to an
 * environment (what ran there last, which the deploy rules compare against after an undeploy);
 * or a pending approval waits to deploy it. Reads the deployments and approvals tables, whose
 * references by number are this table's to honour.
 */
function isKeptRevision(table: string): Expression<SqlBool> {
  const connectionId = sql.ref(`${table}.connection_id`);
  const revision = sql.ref(`${table}.revision`);
  return sql<SqlBool>`(
    EXISTS (SELECT 1 FROM deployments d
      WHERE d.connection_id = ${connectionId} AND d.revision = ${revision})
    OR EXISTS (SELECT 1 FROM deployment_results dr
      WHERE dr.connection_id = ${connectionId} AND dr.revision = ${revision}
        AND dr.outcome = 'deployed'
        AND dr.seq = (SELECT max(last.seq) FROM deployment_results last
          WHERE last.connection_id = dr.connection_id
            AND last.environment_id = dr.environment_id AND last.outcome = 'deployed'))
    OR EXISTS (SELECT 1 FROM approvals a
      WHERE a.connection_id = ${connectionId} AND a.revision = ${revision}
        AND a.state = 'pending')
  )`;
}

/** Up to `limit` connections with revisions older than their newest `keep` that may go. */
export async function findConnectionsWithPrunableRevisions(
  db: Db,
  keep: number,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('connection_revisions as r')
    .innerJoin('connections as c', 'c.id', 'r.connection_id')
    .select('r.connection_id')
    .distinct()
    .where((eb) => eb('r.revision', '<=', eb('c.current_revision', '-', keep)))
    .where(sql<SqlBool>`NOT ${isKeptRevision('r')}`)
    .limit(limit)
    .execute();
  return rows.map((row) => row.connection_id);
}

/**
 * Retention: deletes the revisions of one connection older than its newest `keep` (revision
 * numbers only grow, so those are the numbers above `current - keep`), except the ones
 * `isKeptRevision` keeps. Run under the connection's lock, so no deploy of an old revision
 * races it. Answers how many went.
 */
export async function pruneRevisionsOf(
  db: Db,
  connectionId: string,
  keep: number,
): Promise<number> {
  const current = await db
    .selectFrom('connections')
    .select('current_revision')
    .where('id', '=', connectionId)
    .executeTakeFirst();
  if (!current) return 0;
  const result = await db
    .deleteFrom('connection_revisions')
    .where('connection_id', '=', connectionId)
    .where('revision', '<=', Number(current.current_revision) - keep)
    .where(sql<SqlBool>`NOT ${isKeptRevision('connection_revisions')}`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
