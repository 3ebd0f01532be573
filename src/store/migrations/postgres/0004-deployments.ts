import { sql, type Kysely } from 'kysely';

// Deployments: which revision of a connection each environment runs (one row per pair), and
// the history of every deploy and undeploy (deployment results). Same tables as
// migrations/sqlite/0004-deployments.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  // The revision must exist (composite key into connection_revisions); deleting a connection
  // removes its deployments; an environment with deployments cannot be deleted (the
  // environment service refuses first, with ENVIRONMENT_IN_USE).
  await sql`CREATE TABLE deployments (
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    environment_id TEXT NOT NULL REFERENCES environments (id),
    revision INTEGER NOT NULL,
    deployed_at TIMESTAMPTZ NOT NULL,
    deployed_by TEXT NOT NULL,
    PRIMARY KEY (connection_id, environment_id),
    FOREIGN KEY (connection_id, revision)
      REFERENCES connection_revisions (connection_id, revision) ON DELETE CASCADE
  )`.execute(db);
  await sql`CREATE INDEX deployments_environment ON deployments (environment_id)`.execute(db);

  // History: no key into environments, so it outlives an environment deleted later and can
  // name the environment a failed deploy asked for. Deleting the connection removes it (the
  // audit log keeps what was deployed).
  await sql`CREATE TABLE deployment_results (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    connection_id TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    environment_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('deploy', 'undeploy')),
    revision INTEGER,
    previous_revision INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('deployed', 'unchanged', 'undeployed', 'failed')),
    message TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    created_by TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE INDEX deployment_results_connection ON deployment_results (connection_id, seq)`.execute(
    db,
  );
  await sql`CREATE INDEX deployment_results_environment ON deployment_results (connection_id, environment_id, seq)`.execute(
    db,
  );
}
