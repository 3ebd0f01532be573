import { sql, type Kysely } from 'kysely';

// Retention (issue 13 §6): audit records older than the configured retention may be pruned,
// and nothing else may. The pruner writes its cutoff into audit_prune, deletes, and removes the
// cutoff again, all in one transaction; the delete trigger lets a row go only when it is older
// than a cutoff that is itself at least 12 hours old (HOOKLINE_AUDIT_RETENTION_DAYS is at least
// one day). Without a cutoff row, or for a newer record, the log stays append-only.
// Same as migrations/postgres/0012-retention.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE audit_prune (cutoff TEXT NOT NULL)`.execute(db);
  await sql`DROP TRIGGER audit_records_no_delete`.execute(db);
  // at: ISO-8601 UTC text, as strftime writes it ('2026-12-07T21:32:13.000Z')
  await sql`CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
    WHEN NOT EXISTS (
      SELECT 1 FROM audit_prune
      WHERE OLD.at < cutoff AND cutoff <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-12 hours')
    )
    BEGIN SELECT RAISE(ABORT, 'audit records are append-only: only records older than the audit retention are pruned'); END`.execute(
    db,
  );
  await sql`CREATE INDEX audit_records_at ON audit_records (at)`.execute(db);
}
