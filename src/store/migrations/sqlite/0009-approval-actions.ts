import { sql, type Kysely } from 'kysely';

// Approvals carry what they approve (issue 13 §1): a deploy, an undeploy, or a change of an
// environment's kind (no connection, no revision: `kind` is the kind asked for). The
// bootstrap token is marked, so it keeps working while the first admin's password must change.
// SQLite cannot drop NOT NULL in place: the approvals table is rebuilt with the same rows.
// Same columns as migrations/postgres/0009-approval-actions.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE approvals_next (
    id TEXT PRIMARY KEY,
    action TEXT NOT NULL DEFAULT 'deploy'
      CHECK (action IN ('deploy', 'undeploy', 'environment-kind')),
    connection_id TEXT,
    connection_name TEXT,
    environment_id TEXT NOT NULL,
    revision INTEGER,
    kind TEXT CHECK (kind IN ('development', 'test', 'production')),
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
    requested_by TEXT NOT NULL,
    requested_by_name TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    decided_by_name TEXT,
    decided_at TEXT,
    comment TEXT,
    deployment_id TEXT
  )`.execute(db);
  await sql`INSERT INTO approvals_next (id, action, connection_id, connection_name,
    environment_id, revision, kind, state, requested_by, requested_by_name, requested_at,
    expires_at, decided_by_name, decided_at, comment, deployment_id)
    SELECT id, 'deploy', connection_id, connection_name, environment_id, revision, NULL, state,
      requested_by, requested_by_name, requested_at, expires_at, decided_by_name, decided_at,
      comment, deployment_id
    FROM approvals`.execute(db);
  await sql`DROP TABLE approvals`.execute(db);
  await sql`ALTER TABLE approvals_next RENAME TO approvals`.execute(db);
  await sql`CREATE INDEX approvals_state ON approvals (state, id)`.execute(db);
  await sql`CREATE INDEX approvals_target ON approvals (connection_id, environment_id, state)`.execute(
    db,
  );

  await sql`ALTER TABLE tokens ADD COLUMN bootstrap INTEGER NOT NULL DEFAULT 0`.execute(db);
}
