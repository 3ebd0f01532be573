import { sql, type Kysely } from 'kysely';

// Environments, projects, connections with their revisions, audit records and tokens.
// Same tables as migrations/sqlite/0001-initial.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('development', 'test', 'production')),
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX environments_id_key ON environments (lower(id))`.execute(db);

  await sql`CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX projects_id_key ON projects (lower(id))`.execute(db);

  await sql`CREATE TABLE connections (
    id TEXT PRIMARY KEY,
    project_id TEXT REFERENCES projects (id),
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    critical BOOLEAN NOT NULL DEFAULT FALSE,
    current_revision INTEGER NOT NULL,
    spec TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX connections_scope_name ON connections (coalesce(project_id, ''), name_key)`.execute(
    db,
  );
  await sql`CREATE INDEX connections_name_key ON connections (name_key, id)`.execute(db);

  await sql`CREATE TABLE connection_revisions (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    action TEXT NOT NULL,
    spec TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (connection_id, revision)
  )`.execute(db);

  // Which environments a connection has parameters for: list filters and in-use checks
  // without reading the spec JSON.
  await sql`CREATE TABLE connection_environments (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    environment_id TEXT NOT NULL REFERENCES environments (id),
    PRIMARY KEY (connection_id, environment_id)
  )`.execute(db);
  await sql`CREATE INDEX connection_environments_environment ON connection_environments (environment_id)`.execute(
    db,
  );

  await sql`CREATE TABLE audit_records (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    at TIMESTAMPTZ NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    target_name TEXT,
    before TEXT,
    after TEXT
  )`.execute(db);
  await sql`CREATE INDEX audit_records_target ON audit_records (target_type, target_id, seq)`.execute(
    db,
  );

  await sql`CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
  )`.execute(db);
}
