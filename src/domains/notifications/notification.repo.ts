import {
  notificationCodes,
  type Notification,
  type NotificationCode,
} from '../../contracts/notifications.ts';
import type { Db } from '../../store/create-store.ts';
import type { NotificationsTable } from '../../store/database.ts';

/** One aggregated notification row: `count` more of (kind, connection, environment, code) in a minute. */
export interface NotificationIncrement {
  id: string;
  kind: Notification['kind'];
  connectionId: string | null;
  connection: string | null;
  environment: string | null;
  code: NotificationCode;
  message: string;
  count: number;
  minute: string;
  firstAt: string;
  lastAt: string;
}

const knownCodes: ReadonlySet<string> = new Set(notificationCodes);

/**
 * A row's code. Rows written before the codes were a closed set (issue 13) may hold `OK`
 * (circuit closed, approval decided), `CIRCUIT_OPEN`, `SEALED_HEADERS` or
 * `APPROVAL_NOT_PENDING` (approval expired): read as the codes that replaced them.
 */
function codeOf(row: NotificationsTable): NotificationCode {
  if (knownCodes.has(row.code)) {
    if (row.code === 'APPROVAL_NOT_PENDING' && row.kind === 'approval_expired') {
      return 'APPROVAL_EXPIRED';
    }
    return row.code as NotificationCode;
  }
  if (row.kind === 'circuit_closed') return 'CIRCUIT_CLOSED';
  if (row.kind === 'approval_decided') {
    return /\brejected\b/.test(row.message) ? 'APPROVAL_REJECTED' : 'APPROVAL_APPROVED';
  }
  if (row.code === 'SEALED_HEADERS') return 'SEALED_HEADERS_UNREADABLE';
  // CIRCUIT_OPEN: opened without a known outcome; the sick outcomes all mean a failing target
  return 'HTTP_5XX';
}

function toNotification(row: NotificationsTable): Notification {
  return {
    id: row.id,
    kind: row.kind as Notification['kind'],
    connectionId: row.connection_id === '' ? null : row.connection_id,
    connection: row.connection_name,
    environment: row.environment_id === '' ? null : row.environment_id,
    code: codeOf(row),
    message: row.message,
    count: Number(row.count),
    minute: row.minute,
    firstAt: row.first_at,
    lastAt: row.last_at,
  };
}

/**
 * Adds to the row of the same (kind, connection, environment, code, minute), or starts it:
 * a storm of one failure stays one line per minute. '' stands for "none" in the key columns,
 * so the unique index treats them as equal (NULLs never are).
 */
export async function upsertNotification(db: Db, increment: NotificationIncrement): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: increment.id,
      kind: increment.kind,
      connection_id: increment.connectionId ?? '',
      connection_name: increment.connection,
      environment_id: increment.environment ?? '',
      code: increment.code,
      message: increment.message,
      count: increment.count,
      minute: increment.minute,
      first_at: increment.firstAt,
      last_at: increment.lastAt,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['kind', 'connection_id', 'environment_id', 'code', 'minute'])
        .doUpdateSet((eb) => ({
          count: eb('notifications.count', '+', eb.ref('excluded.count')),
          last_at: eb.ref('excluded.last_at'),
          message: eb.ref('excluded.message'),
          connection_name: eb.ref('excluded.connection_name'),
        })),
    )
    .execute();
}

export async function listNotifications(
  db: Db,
  filter: { limit: number; beforeId?: string; connectionId?: string; code?: string },
): Promise<Notification[]> {
  let query = db.selectFrom('notifications').selectAll();
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  if (filter.connectionId !== undefined)
    query = query.where('connection_id', '=', filter.connectionId);
  if (filter.code !== undefined) query = query.where('code', '=', filter.code);
  const rows = await query.orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toNotification);
}
