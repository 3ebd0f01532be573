import { sql, type Kysely } from 'kysely';

// Each attempt keeps the request as sent (issue 14, "see what was sent"): method, URL,
// headers and the first 2 KiB of the body as JSON, every secret value replaced by its
// reference ({{secret.NAME}}) so Copy as curl can name it. NULL for attempts recorded before.
// Same column as migrations/sqlite/0013-attempt-requests.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE delivery_attempts ADD COLUMN request TEXT`.execute(db);
}
