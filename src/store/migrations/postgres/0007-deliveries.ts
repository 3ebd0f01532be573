import { sql, type Kysely } from 'kysely';

// Durable delivery (DESIGN §1 Delivery): one row per accepted call, one per attempt made, and
// the Idempotency-Key of an accept kept for a day.
// Same tables as migrations/sqlite/0007-deliveries.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE deliveries (
    id TEXT PRIMARY KEY,
    connection_id TEXT NOT NULL,
    connection_name TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    status TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT,
    params TEXT NOT NULL,
    headers TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    replay_base INTEGER NOT NULL DEFAULT 0,
    replayed_at TIMESTAMPTZ,
    ordered BOOLEAN NOT NULL DEFAULT FALSE,
    next_attempt_at TIMESTAMPTZ NOT NULL,
    lease_token TEXT,
    lease_until TIMESTAMPTZ,
    last_outcome TEXT,
    last_status INTEGER,
    reason TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ
  )`.execute(db);
  // what the workers ask for: the due ones, and the in-flight ones whose lease ran out
  await sql`CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)`.execute(db);
  await sql`CREATE INDEX deliveries_lease ON deliveries (status, lease_until)`.execute(db);
  await sql`CREATE INDEX deliveries_connection ON deliveries (connection_id, environment_id, id)`.execute(
    db,
  );
  await sql`CREATE INDEX deliveries_status ON deliveries (status, id)`.execute(db);
  await sql`CREATE INDEX deliveries_finished ON deliveries (status, finished_at)`.execute(db);
  // FIFO's "an earlier one of the stream is unfinished": only unfinished rows, so the check
  // never walks the succeeded and failed ones kept for days
  await sql`CREATE INDEX deliveries_unfinished ON deliveries (connection_id, environment_id, id)
    WHERE status IN ('pending', 'in_flight', 'paused')`.execute(db);
  await sql`CREATE TABLE delivery_attempts (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    outcome TEXT NOT NULL,
    status INTEGER,
    duration_ms DOUBLE PRECISION NOT NULL,
    message TEXT,
    response TEXT,
    PRIMARY KEY (delivery_id, number)
  )`.execute(db);
  await sql`CREATE TABLE delivery_idempotency_keys (
    connection_id TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    key TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (connection_id, environment_id, key)
  )`.execute(db);
  await sql`CREATE INDEX delivery_idempotency_expiry ON delivery_idempotency_keys (expires_at)`.execute(
    db,
  );
}
