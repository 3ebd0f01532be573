import { sql, type Kysely } from 'kysely';

// Approvals carry what they approve (issue 13 §1): a deploy, an undeploy, or a change of an
// environment's kind (no connection, no revision: `kind` is the kind asked for). The
// bootstrap token is marked, so it keeps working while the first admin's password must change.
// Same columns as migrations/sqlite/0009-approval-actions.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE approvals
    ADD COLUMN action TEXT NOT NULL DEFAULT 'deploy'
      CHECK (action IN ('deploy', 'undeploy', 'environment-kind')),
    ADD COLUMN kind TEXT CHECK (kind IN ('development', 'test', 'production')),
    ALTER COLUMN connection_id DROP NOT NULL,
    ALTER COLUMN connection_name DROP NOT NULL,
    ALTER COLUMN revision DROP NOT NULL`.execute(db);

  await sql`ALTER TABLE tokens ADD COLUMN bootstrap BOOLEAN NOT NULL DEFAULT FALSE`.execute(db);
}
