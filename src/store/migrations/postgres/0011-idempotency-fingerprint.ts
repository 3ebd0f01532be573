import { sql, type Kysely } from 'kysely';

// An Idempotency-Key remembers what it was sent with (issue 13): the SHA-256 of the canonical
// request, so the same key with another body, params or headers is refused (422
// IDEMPOTENCY_KEY_REUSED) instead of answered as a duplicate that drops the new request.
// NULL for keys stored before: those answer their delivery as before, for their last day.
// Same column as migrations/sqlite/0011-idempotency-fingerprint.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE delivery_idempotency_keys ADD COLUMN fingerprint TEXT`.execute(db);
}
