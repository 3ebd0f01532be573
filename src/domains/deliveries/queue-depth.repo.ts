import type { Db } from '../../store/create-store.ts';

/** The statuses a queue-depth gauge shows: every delivery not yet succeeded. */
export const queuedStatuses = ['pending', 'in_flight', 'paused', 'failed'] as const;
export type QueuedStatus = (typeof queuedStatuses)[number];

export interface QueueDepthRow {
  connectionId: string;
  /** the connection's current name (the name it was accepted under if it is gone) */
  connection: string;
  /** null: a global connection (or one that is gone) */
  project: string | null;
  environment: string;
  status: QueuedStatus;
  count: number;
}

/**
 * Unfinished deliveries by connection, environment and status, in one grouped query: it reads
 * the `deliveries_status` index (status, id) for the four statuses only, never the succeeded
 * rows that make up most of the table. Scrapes call it at most once a second (delivery-metrics.ts).
 */
export async function countQueuedDeliveries(db: Db): Promise<QueueDepthRow[]> {
  const rows = await db
    .selectFrom('deliveries as d')
    .leftJoin('connections as c', 'c.id', 'd.connection_id')
    .select([
      'd.connection_id',
      'd.environment_id',
      'd.status',
      'c.name',
      'c.project_id',
      (eb) => eb.fn.max('d.connection_name').as('accepted_name'),
      (eb) => eb.fn.countAll<number | string>().as('count'),
    ])
    .where('d.status', 'in', [...queuedStatuses])
    .groupBy(['d.connection_id', 'd.environment_id', 'd.status', 'c.name', 'c.project_id'])
    .execute();
  return rows.map((row) => ({
    connectionId: row.connection_id,
    connection: row.name ?? row.accepted_name,
    project: row.project_id,
    environment: row.environment_id,
    status: row.status as QueuedStatus,
    count: Number(row.count),
  }));
}
