import { sql, type Kysely } from 'kysely';

// Retention (issue 13 §6): audit records older than the configured retention may be pruned,
// and nothing else may. The pruner writes its cutoff into audit_prune, deletes, and removes the
// cutoff again, all in one transaction (no other transaction sees the row); the trigger lets a
// row go only when it is older than a cutoff that is itself at least 12 hours old
// (HOOKLINE_AUDIT_RETENTION_DAYS is at least one day). Updates, truncation, and deletes without
// such a cutoff stay refused: the log stays append-only.
// Same as migrations/sqlite/0012-retention.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE audit_prune (cutoff TIMESTAMPTZ NOT NULL)`.execute(db);
  await sql`CREATE OR REPLACE FUNCTION audit_records_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' AND EXISTS (
        SELECT 1 FROM audit_prune
        WHERE OLD.at < cutoff AND cutoff <= now() - interval '12 hours'
      ) THEN
        RETURN OLD;
      END IF;
      RAISE EXCEPTION 'audit records are append-only: only records older than the audit retention are pruned';
    END $$`.execute(db);
  await sql`CREATE INDEX audit_records_at ON audit_records (at)`.execute(db);
}
