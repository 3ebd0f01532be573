import type { Selectable } from 'kysely';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { Db } from '../../store/create-store.ts';
import type { AuditRecordsTable } from '../../store/database.ts';

/** Which records: every field given must match (times: since inclusive, until exclusive). */
export interface AuditMatch {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  since?: string;
  until?: string;
}

export interface AuditFilter extends AuditMatch {
  /** newest first: records with seq below this */
  beforeSeq?: number;
  limit: number;
}

export type AuditRow = AuditRecord & { seq: number };

export async function insertAuditRecord(db: Db, record: AuditRecord): Promise<void> {
  await db
    .insertInto('audit_records')
    .values({
      id: record.id,
      at: record.at,
      actor: record.actor,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId,
      target_name: record.targetName,
      before: record.before === null ? null : JSON.stringify(record.before),
      after: record.after === null ? null : JSON.stringify(record.after),
    })
    .execute();
}

/** Newest first: one page of the list. */
export async function listAuditRecords(db: Db, filter: AuditFilter): Promise<AuditRow[]> {
  let query = selectMatching(db, filter);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(filter.limit).execute();
  return rows.map(toAuditRow);
}

/** Oldest first: the records after `afterSeq` (0 = from the first), at most `limit` of them. */
export async function listAuditRecordsAfter(
  db: Db,
  filter: AuditMatch & { afterSeq: number; limit: number },
): Promise<AuditRow[]> {
  const rows = await selectMatching(db, filter)
    .where('seq', '>', filter.afterSeq)
    .orderBy('seq', 'asc')
    .limit(filter.limit)
    .execute();
  return rows.map(toAuditRow);
}

function selectMatching(db: Db, match: AuditMatch) {
  let query = db.selectFrom('audit_records').selectAll();
  if (match.actor) query = query.where('actor', '=', match.actor);
  if (match.action) query = query.where('action', '=', match.action);
  if (match.targetType) query = query.where('target_type', '=', match.targetType);
  if (match.targetId) query = query.where('target_id', '=', match.targetId);
  if (match.since) query = query.where('at', '>=', match.since);
  if (match.until) query = query.where('at', '<', match.until);
  return query;
}

function toAuditRow(row: Selectable<AuditRecordsTable>): AuditRow {
  return {
    seq: Number(row.seq),
    id: row.id,
    at: row.at,
    actor: row.actor,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    targetName: row.target_name,
    before: row.before === null ? null : (JSON.parse(row.before) as unknown),
    after: row.after === null ? null : (JSON.parse(row.after) as unknown),
  };
}

/**
 * Retention: deletes up to `chunk` records older than `before` (oldest first) in the caller's
 * transaction, answering how many went. The append-only trigger (migration 0012) lets a record
 * go only while this transaction holds a cutoff in audit_prune that the record is older than,
 * and only a cutoff at least 12 hours old; the cutoff is removed before the transaction ends.
 */
export async function pruneAuditRecords(db: Db, before: string, chunk: number): Promise<number> {
  const seqs = (
    await db
      .selectFrom('audit_records')
      .select('seq')
      .where('at', '<', before)
      .orderBy('at')
      .limit(chunk)
      .execute()
  ).map((row) => Number(row.seq));
  if (seqs.length === 0) return 0;
  await db.insertInto('audit_prune').values({ cutoff: before }).execute();
  try {
    await db.deleteFrom('audit_records').where('seq', 'in', seqs).execute();
  } finally {
    await db.deleteFrom('audit_prune').execute();
  }
  return seqs.length;
}
