import type { ConnectionSpec, Revision, RevisionSummary } from '../../contracts/connections.ts';
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
