import { sql, type Kysely } from 'kysely';

// Variables (a value per environment) and secrets (write-only: stored encrypted, or read from
// an environment variable or a file at call time). Same tables as
// migrations/sqlite/0002-secrets-variables.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE variables (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL
  )`.execute(db);
  // the backstop of the service's locked check: a name once, ignoring case; also the list order
  await sql`CREATE UNIQUE INDEX variables_name_key ON variables (name_key)`.execute(db);

  // Deleting an environment deletes its values: they mean nothing without it.
  await sql`CREATE TABLE variable_values (
    variable_id TEXT NOT NULL REFERENCES variables (id) ON DELETE CASCADE,
    environment_id TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (variable_id, environment_id)
  )`.execute(db);
  await sql`CREATE INDEX variable_values_environment ON variable_values (environment_id)`.execute(
    db,
  );

  await sql`CREATE TABLE secrets (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL CHECK (source IN ('stored', 'env', 'file')),
    env_var TEXT,
    file_path TEXT,
    key_id TEXT,
    nonce TEXT,
    ciphertext TEXT,
    tag TEXT,
    version INTEGER NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK ((source = 'stored') = (ciphertext IS NOT NULL AND nonce IS NOT NULL AND tag IS NOT NULL AND key_id IS NOT NULL)),
    CHECK ((source = 'env') = (env_var IS NOT NULL)),
    CHECK ((source = 'file') = (file_path IS NOT NULL))
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX secrets_name_key ON secrets (name_key)`.execute(db);
}
