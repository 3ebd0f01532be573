import { sql, type Kysely } from 'kysely';

// Access and change control: users with roles, tokens that belong to a user, console sessions,
// approvals for critical production deploys; audit records become append-only.
// Same tables as migrations/sqlite/0008-access.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    must_change_password BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`.execute(db);

  // tokens made before users existed belong to the first admin (set at start-up)
  await sql`ALTER TABLE tokens ADD COLUMN user_id TEXT`.execute(db);
  await sql`CREATE INDEX tokens_user ON tokens (user_id, created_at)`.execute(db);

  await sql`CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ,
    address TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
  )`.execute(db);
  await sql`CREATE INDEX sessions_user ON sessions (user_id)`.execute(db);
  await sql`CREATE INDEX sessions_expires ON sessions (expires_at)`.execute(db);

  await sql`CREATE TABLE approvals (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL,
    connection_name TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    revision INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'expired')),
    requested_by TEXT NOT NULL,
    requested_by_name TEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    decided_by_name TEXT,
    decided_at TIMESTAMPTZ,
    comment TEXT,
    deployment_id TEXT
  )`.execute(db);
  await sql`CREATE INDEX approvals_state ON approvals (state, id)`.execute(db);
  await sql`CREATE INDEX approvals_target ON approvals (connection_id, environment_id, state)`.execute(
    db,
  );

  // the audit log is a record of what happened: nothing rewrites or removes it
  await sql`CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit records are append-only'; END $$`.execute(db);
  await sql`CREATE TRIGGER audit_records_no_change BEFORE UPDATE OR DELETE ON audit_records
    FOR EACH ROW EXECUTE FUNCTION audit_records_append_only()`.execute(db);
  await sql`CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
    FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only()`.execute(db);
}
