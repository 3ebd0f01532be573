import { sql, type Kysely } from 'kysely';

// Each environment's egress policy (DESIGN.md §2 step 3) as JSON text; existing environments
// get the default: nothing allow- or deny-listed, private ranges allowed. Same column as
// migrations/postgres/0005-environment-egress.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE environments ADD COLUMN egress TEXT NOT NULL DEFAULT '{"allowCidrs":[],"denyCidrs":[],"denyPrivate":false}'`.execute(
    db,
  );
}
