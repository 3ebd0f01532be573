import type { Clock } from '../../core/clock.ts';
import { systemActor, type Actor } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { AuditRecord } from '../../contracts/audit.ts';
import type { Db, Store } from '../../store/create-store.ts';
import {
  insertAuditRecord,
  listAuditRecords,
  listAuditRecordsAfter,
  pruneAuditRecords,
  type AuditFilter,
  type AuditMatch,
} from './audit.repo.ts';
import { maskSecrets } from './mask-secrets.ts';

export interface AuditEntry {
  actor: Actor;
  action: string;
  targetType: string;
  targetId: string;
  targetName?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Records per query when exporting: the export holds one page at a time, however long the log
 * (a page of 500 is ~0.5 MB of JSON at 1 KB a record, and one indexed range scan by seq).
 */
export const exportPageSize = 500;

export function createAuditService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  return {
    /** Writes one audit record in the caller's transaction, so the change and its record land together. */
    async record(db: Db, entry: AuditEntry): Promise<void> {
      await insertAuditRecord(db, {
        id: createId('aud'),
        at: clock.now().toISOString(),
        actor: entry.actor.name,
        action: entry.action,
        targetType: entry.targetType,
        targetId: entry.targetId,
        targetName: entry.targetName ?? null,
        before: entry.before === undefined ? null : maskSecrets(entry.before),
        after: entry.after === undefined ? null : maskSecrets(entry.after),
      });
    },

    /**
     * Retention: removes the records older than `retentionMs` (HOOKLINE_AUDIT_RETENTION_DAYS),
     * a chunk per transaction so a large backlog never holds the store for long, and records
     * that it did (who: system; how many; the cutoff). Answers how many were removed. Export
     * what must be kept first (GET /audit/export).
     */
    async prune(retentionMs: number, chunk = 1000): Promise<number> {
      const now = clock.now();
      const before = new Date(now.getTime() - retentionMs).toISOString();
      let removed = 0;
      for (;;) {
        const deleted = await store.transaction((tx) => pruneAuditRecords(tx, before, chunk));
        removed += deleted;
        if (deleted < chunk) break;
        // node:sqlite answers synchronously: let the API in between chunks
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (removed > 0) {
        await insertAuditRecord(store.db, {
          id: createId('aud'),
          at: clock.now().toISOString(),
          actor: systemActor.name,
          action: 'audit.prune',
          targetType: 'audit',
          targetId: 'audit',
          targetName: null,
          before: null,
          after: { removed, olderThan: before },
        });
      }
      return removed;
    },

    /** Newest first, cursor-paginated. */
    async list(
      filter: Omit<AuditFilter, 'beforeSeq'> & { cursor?: string },
    ): Promise<{ items: AuditRecord[]; next: string | null }> {
      const beforeSeq = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
      const rows = await listAuditRecords(store.db, {
        ...filter,
        beforeSeq,
        limit: filter.limit + 1,
      });
      const page = rows.slice(0, filter.limit);
      const last = page.at(-1);
      return {
        items: page.map(({ seq: _seq, ...record }) => record),
        next:
          rows.length > filter.limit && last
            ? Buffer.from(`a:${last.seq}`).toString('base64url')
            : null,
      };
    },

    /**
     * Every record that matches, oldest first, read `exportPageSize` at a time by seq, so a
     * caller streaming them holds one page at a time.
     */
    async *exportRecords(filter: AuditMatch): AsyncGenerator<AuditRecord> {
      let afterSeq = 0;
      for (;;) {
        const rows = await listAuditRecordsAfter(store.db, {
          ...filter,
          afterSeq,
          limit: exportPageSize,
        });
        yield* rows.map(({ seq: _seq, ...record }) => record);
        const last = rows.at(-1);
        if (!last || rows.length < exportPageSize) return;
        afterSeq = last.seq;
      }
    },
  };
}

function decodeCursor(cursor: string): number {
  const match = /^a:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match)
    throw new AppError('VALIDATION_FAILED', 'cursor is not valid', {
      problems: [{ path: 'query.cursor', message: 'not a cursor from this list' }],
    });
  return Number(match[1]);
}

export type AuditService = ReturnType<typeof createAuditService>;
