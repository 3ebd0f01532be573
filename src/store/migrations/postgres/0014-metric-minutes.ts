import { sql, type Kysely } from 'kysely';

// Metrics that survive a restart (issue 14 §7): one row per (connection, environment, minute)
// with the calls, the failures and the latency histogram of that minute, added to by every
// process that flushes it (an upsert that sums), pruned after 7 days by the retention sweep.
// latency_buckets: "bucket:count" pairs joined by ',' (dispatch/engine/minute-history.ts's 65
// log-spaced buckets); a flush appends its pairs, so adding stays one SQL statement in both
// dialects, and the reader sums repeated buckets.
// Same table as migrations/sqlite/0014-metric-minutes.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE metric_minutes (
    connection_id TEXT NOT NULL,
    environment_id TEXT NOT NULL,
    minute TEXT NOT NULL,
    total INTEGER NOT NULL,
    failures INTEGER NOT NULL,
    latency_buckets TEXT NOT NULL,
    PRIMARY KEY (connection_id, environment_id, minute)
  )`.execute(db);
  // the retention sweep deletes by age across every connection
  await sql`CREATE INDEX metric_minutes_minute ON metric_minutes (minute)`.execute(db);
}
