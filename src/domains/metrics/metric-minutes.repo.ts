import type { Db } from '../../store/create-store.ts';

/** One minute of calls of a connection in an environment, as stored (or to add). */
export interface MetricMinuteRow {
  connectionId: string;
  environment: string;
  /** the minute's start, ISO-8601 UTC */
  minute: string;
  total: number;
  failures: number;
  /** "bucket:count" pairs joined by ','; a bucket may repeat (sum them) */
  latencyBuckets: string;
}

/**
 * Adds each row to the stored row of its (connection, environment, minute), or starts it:
 * counts are summed and the bucket pairs appended, so processes sharing one PostgreSQL add up
 * and a minute flushed twice (every 15 s) is counted once per call, never twice.
 */
export async function addMetricMinutes(db: Db, rows: readonly MetricMinuteRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('metric_minutes')
    .values(
      rows.map((row) => ({
        connection_id: row.connectionId,
        environment_id: row.environment,
        minute: row.minute,
        total: row.total,
        failures: row.failures,
        latency_buckets: row.latencyBuckets,
      })),
    )
    .onConflict((conflict) =>
      conflict.columns(['connection_id', 'environment_id', 'minute']).doUpdateSet((eb) => ({
        total: eb('metric_minutes.total', '+', eb.ref('excluded.total')),
        failures: eb('metric_minutes.failures', '+', eb.ref('excluded.failures')),
        latency_buckets: eb(
          eb('metric_minutes.latency_buckets', '||', eb.val(',')),
          '||',
          eb.ref('excluded.latency_buckets'),
        ),
      })),
    )
    .execute();
}

/** The stored minutes of one connection from `fromMinute` (inclusive) to `toMinute` (exclusive). */
export async function readMetricMinutes(
  db: Db,
  filter: { connectionId: string; fromMinute: string; toMinute: string },
): Promise<MetricMinuteRow[]> {
  const rows = await db
    .selectFrom('metric_minutes')
    .selectAll()
    .where('connection_id', '=', filter.connectionId)
    .where('minute', '>=', filter.fromMinute)
    .where('minute', '<', filter.toMinute)
    .execute();
  return rows.map((row) => ({
    connectionId: row.connection_id,
    environment: row.environment_id,
    minute: row.minute,
    total: Number(row.total),
    failures: Number(row.failures),
    latencyBuckets: row.latency_buckets,
  }));
}

/** Removes the minutes before `beforeMinute`; answers how many. */
export async function pruneMetricMinutes(db: Db, beforeMinute: string): Promise<number> {
  const result = await db
    .deleteFrom('metric_minutes')
    .where('minute', '<', beforeMinute)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
