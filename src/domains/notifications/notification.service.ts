import type { Clock } from '../../core/clock.ts';
import { validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  NotificationCode,
  NotificationKind,
  Notification,
  NotificationListQuery,
} from '../../contracts/notifications.ts';
import type { Store } from '../../store/create-store.ts';
import {
  listNotifications,
  upsertNotification,
  type NotificationIncrement,
} from './notification.repo.ts';

/** What happened, as the runtime reports it; messages never carry bodies or header values. */
export interface NotificationEvent {
  kind: NotificationKind;
  connectionId: string | null;
  connection: string | null;
  environment: string | null;
  /** a closed set (contracts/notification-codes.ts): a new code must be added and documented there */
  code: NotificationCode;
  message: string;
}

export interface NotificationServiceDeps {
  store: Store;
  clock: Clock;
  /** how often buffered events are written (a failing target can fail thousands of times a second) */
  flushIntervalMs?: number;
  onFlushError?: (error: unknown) => void;
}

/**
 * The message service (DESIGN §1 Notification). Failures are counted in memory per
 * (kind, connection, environment, code, minute) and written every second as one upsert per
 * key, so a storm costs a handful of writes, never one per failed request.
 */
export function createNotificationService(deps: NotificationServiceDeps) {
  const { store, clock } = deps;
  const pending = new Map<string, NotificationIncrement>();
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), deps.flushIntervalMs ?? 1000);
  timer.unref();

  function flush(): Promise<void> {
    if (pending.size === 0) return flushing;
    const batch = [...pending.values()];
    pending.clear();
    flushing = flushing.then(async () => {
      try {
        await store.transaction(async (tx) => {
          for (const increment of batch) await upsertNotification(tx, increment);
        });
      } catch (error) {
        deps.onFlushError?.(error);
      }
    });
    return flushing;
  }

  return {
    /** Counts one event; written within a second. Never throws, never waits for the store. */
    record(event: NotificationEvent): void {
      const now = clock.now();
      const at = now.toISOString();
      const minute = `${at.slice(0, 16)}Z`;
      const key = [event.kind, event.connectionId, event.environment, event.code, minute].join(
        '\u0000',
      );
      const existing = pending.get(key);
      if (existing) {
        existing.count += 1;
        existing.lastAt = at;
        existing.message = event.message;
        return;
      }
      pending.set(key, {
        id: createId('ntf', now.getTime()),
        ...event,
        count: 1,
        minute,
        firstAt: at,
        lastAt: at,
      });
    },

    flush,

    /** Newest first, cursor-paginated; writes what is buffered first, so a list is current. */
    async list(
      query: NotificationListQuery,
    ): Promise<{ items: Notification[]; next: string | null }> {
      await flush();
      const beforeId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await listNotifications(store.db, {
        limit: query.limit + 1,
        beforeId,
        connectionId: query.connection,
        code: query.code,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page,
        next:
          rows.length > query.limit && last
            ? Buffer.from(`n:${last.id}`).toString('base64url')
            : null,
      };
    },

    async close(): Promise<void> {
      clearInterval(timer);
      await flush();
    },
  };
}

function decodeCursor(cursor: string): string {
  const match = /^n:(ntf_[0-9a-z]{26})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  return match[1] as string;
}

export type NotificationService = ReturnType<typeof createNotificationService>;
