import { sql, type Kysely } from 'kysely';

// Notifications: one row per (kind, connection, environment, code, minute), counted up.
// Same table as migrations/sqlite/0006-notifications.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE notifications (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    connection_id TEXT NOT NULL DEFAULT '',
    connection_name TEXT,
    environment_id TEXT NOT NULL DEFAULT '',
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    count INTEGER NOT NULL,
    minute TEXT NOT NULL,
    first_at TIMESTAMPTZ NOT NULL,
    last_at TIMESTAMPTZ NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX notifications_key ON notifications (kind, connection_id, environment_id, code, minute)`.execute(
    db,
  );
  await sql`CREATE INDEX notifications_connection ON notifications (connection_id, id)`.execute(db);
}
