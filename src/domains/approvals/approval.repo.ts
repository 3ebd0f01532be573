import type { Approval } from '../../contracts/access.ts';
import type { Db } from '../../store/create-store.ts';
import type { ApprovalsTable } from '../../store/database.ts';

/** An approval as stored: the view plus who asked (their user id, to refuse self-approval). */
export interface ApprovalRecord extends Approval {
  requestedById: string;
}

function recordOf(row: ApprovalsTable): ApprovalRecord {
  return {
    id: row.id,
    action: row.action as Approval['action'],
    connectionId: row.connection_id,
    connection: row.connection_name,
    environment: row.environment_id,
    revision: row.revision === null ? null : Number(row.revision),
    kind: row.kind as Approval['kind'],
    state: row.state as Approval['state'],
    requestedBy: row.requested_by_name,
    requestedById: row.requested_by,
    requestedAt: row.requested_at,
    expiresAt: row.expires_at,
    decidedBy: row.decided_by_name,
    decidedAt: row.decided_at,
    comment: row.comment,
    deploymentId: row.deployment_id,
  };
}

export async function insertApproval(db: Db, approval: ApprovalRecord): Promise<void> {
  await db
    .insertInto('approvals')
    .values({
      id: approval.id,
      action: approval.action,
      connection_id: approval.connectionId,
      connection_name: approval.connection,
      environment_id: approval.environment,
      revision: approval.revision,
      kind: approval.kind,
      state: approval.state,
      requested_by: approval.requestedById,
      requested_by_name: approval.requestedBy,
      requested_at: approval.requestedAt,
      expires_at: approval.expiresAt,
      decided_by_name: null,
      decided_at: null,
      comment: null,
      deployment_id: null,
    })
    .execute();
}

export async function findApproval(db: Db, id: string): Promise<ApprovalRecord | undefined> {
  const row = await db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return row && recordOf(row);
}

/** What an approval is for: the action and its target, as a pending one is looked up by. */
export interface ApprovalTarget {
  action: Approval['action'];
  connectionId: string | null;
  environment: string;
  revision: number | null;
  kind: Approval['kind'];
}

/** The pending approval of exactly this action on this target, if one is waiting. */
export async function findPendingApproval(
  db: Db,
  target: ApprovalTarget,
  nowIso: string,
): Promise<ApprovalRecord | undefined> {
  let query = db
    .selectFrom('approvals')
    .selectAll()
    .where('action', '=', target.action)
    .where('environment_id', '=', target.environment)
    .where('state', '=', 'pending')
    .where('expires_at', '>', nowIso);
  query =
    target.connectionId === null
      ? query.where('connection_id', 'is', null)
      : query.where('connection_id', '=', target.connectionId);
  query =
    target.revision === null
      ? query.where('revision', 'is', null)
      : query.where('revision', '=', target.revision);
  query =
    target.kind === null ? query.where('kind', 'is', null) : query.where('kind', '=', target.kind);
  const row = await query.orderBy('id', 'desc').executeTakeFirst();
  return row && recordOf(row);
}

export async function listApprovals(
  db: Db,
  filter: {
    state?: string;
    connectionId?: string;
    environment?: string;
    action?: string;
    beforeId?: string;
    limit: number;
  },
): Promise<ApprovalRecord[]> {
  let query = db.selectFrom('approvals').selectAll();
  if (filter.state) query = query.where('state', '=', filter.state);
  if (filter.connectionId) query = query.where('connection_id', '=', filter.connectionId);
  if (filter.environment) query = query.where('environment_id', '=', filter.environment);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.beforeId) query = query.where('id', '<', filter.beforeId);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(recordOf);
}

/** Pending approvals whose time ran out, oldest first. */
export async function listLapsedApprovals(db: Db, nowIso: string): Promise<ApprovalRecord[]> {
  const rows = await db
    .selectFrom('approvals')
    .selectAll()
    .where('state', '=', 'pending')
    .where('expires_at', '<=', nowIso)
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map(recordOf);
}

/** Moves a pending approval to its decision; false when it was no longer pending. */
export async function decideApproval(
  db: Db,
  id: string,
  decision: {
    state: 'approved' | 'rejected' | 'expired';
    decidedBy: string | null;
    decidedAt: string;
    comment: string | null;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('approvals')
    .set({
      state: decision.state,
      decided_by_name: decision.decidedBy,
      decided_at: decision.decidedAt,
      comment: decision.comment,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setApprovalDeployment(
  db: Db,
  id: string,
  deploymentId: string,
): Promise<void> {
  await db
    .updateTable('approvals')
    .set({ deployment_id: deploymentId })
    .where('id', '=', id)
    .execute();
}
