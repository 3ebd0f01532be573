import type {
  Delivery,
  DeliveryAttempt,
  DeliveryListQuery,
  DeliveryStatus,
} from '../../contracts/deliveries.ts';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Db, Dialect, Tx } from '../../store/create-store.ts';
import type { DeliveriesTable, DeliveryAttemptsTable } from '../../store/database.ts';

export type DeliveryRow = DeliveriesTable;

export function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    connection: { id: row.connection_id, name: row.connection_name },
    environment: row.environment_id,
    status: row.status as DeliveryStatus,
    messageId: row.message_id,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastOutcome: (row.last_outcome as OutcomeCode | null) ?? null,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    reason: row.reason,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

function toAttempt(row: DeliveryAttemptsTable): DeliveryAttempt {
  return {
    number: Number(row.number),
    startedAt: row.started_at,
    outcome: row.outcome as OutcomeCode,
    status: row.status === null ? null : Number(row.status),
    durationMs: Number(row.duration_ms),
    message: row.message,
    response:
      row.response === null ? null : (JSON.parse(row.response) as DeliveryAttempt['response']),
    request: row.request ? (JSON.parse(row.request) as DeliveryAttempt['request']) : null,
  };
}

export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<void> {
  // a batch of 1,000 rows × 19 columns passes SQLite's 32,766 bound parameters: chunks
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('deliveries')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

/** A live Idempotency-Key record met by a claim. */
export interface EarlierKey {
  deliveryId: string;
  environmentId: string;
  /** of the request it was first sent with; null: stored before the column existed */
  fingerprint: string | null;
}

/**
 * Records `key` for (connection, environment) as naming `deliveryId` until `expiresAt`, with
 * the request's `fingerprint`, unless a live record of the key exists for the connection (in
 * this environment or another): then answers that record. An expired record is taken over.
 * Inside the accept's transaction, so a key and its delivery commit together.
 */
export async function claimIdempotencyKey(
  db: Db,
  claim: {
    connectionId: string;
    environmentId: string;
    key: string;
    deliveryId: string;
    fingerprint: string;
    nowIso: string;
    expiresAt: string;
  },
): Promise<EarlierKey | null> {
  // the same key in another environment of the connection is another request (Stripe's rule)
  const elsewhere = await db
    .selectFrom('delivery_idempotency_keys')
    .select(['delivery_id', 'environment_id', 'fingerprint'])
    .where('connection_id', '=', claim.connectionId)
    .where('key', '=', claim.key)
    .where('environment_id', '!=', claim.environmentId)
    .where('expires_at', '>', claim.nowIso)
    .executeTakeFirst();
  if (elsewhere) return toEarlierKey(elsewhere);
  const inserted = await db
    .insertInto('delivery_idempotency_keys')
    .values({
      connection_id: claim.connectionId,
      environment_id: claim.environmentId,
      key: claim.key,
      delivery_id: claim.deliveryId,
      expires_at: claim.expiresAt,
      fingerprint: claim.fingerprint,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['connection_id', 'environment_id', 'key'])
        .doUpdateSet({
          delivery_id: claim.deliveryId,
          expires_at: claim.expiresAt,
          fingerprint: claim.fingerprint,
        })
        // only an expired record is taken over; a live one stays and is answered
        .where('delivery_idempotency_keys.expires_at', '<=', claim.nowIso),
    )
    .returning('delivery_id')
    .executeTakeFirst();
  if (inserted) return null;
  const existing = await db
    .selectFrom('delivery_idempotency_keys')
    .select(['delivery_id', 'environment_id', 'fingerprint'])
    .where('connection_id', '=', claim.connectionId)
    .where('environment_id', '=', claim.environmentId)
    .where('key', '=', claim.key)
    .executeTakeFirstOrThrow();
  return toEarlierKey(existing);
}

function toEarlierKey(row: {
  delivery_id: string;
  environment_id: string;
  fingerprint: string | null;
}): EarlierKey {
  return {
    deliveryId: row.delivery_id,
    environmentId: row.environment_id,
    fingerprint: row.fingerprint,
  };
}

export async function findDelivery(db: Db, id: string): Promise<DeliveryRow | undefined> {
  return db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAttempts(db: Db, deliveryId: string): Promise<DeliveryAttempt[]> {
  const rows = await db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('number')
    .execute();
  return rows.map(toAttempt);
}

/** Newest first; `afterId`: the last id of the previous page. */
export async function listDeliveries(
  db: Db,
  query: Omit<DeliveryListQuery, 'cursor'> & { afterId?: string },
): Promise<DeliveryRow[]> {
  let select = db.selectFrom('deliveries').selectAll();
  if (query.connection) select = select.where('connection_id', '=', query.connection);
  if (query.environment) select = select.where('environment_id', '=', query.environment);
  if (query.status) select = select.where('status', '=', query.status);
  if (query.from) select = select.where('created_at', '>=', query.from);
  if (query.to) select = select.where('created_at', '<', query.to);
  if (query.afterId) select = select.where('id', '<', query.afterId);
  return select
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

/**
 * Takes up to `limit` due deliveries for one worker: in-flight ones whose lease ran out (their
 * worker died) first, then pending ones whose time has come, earliest first. Each comes back
 * in_flight under `token` until `leaseUntil`. Two statements, each answered from its own index
 * in due order (one with an OR of both sorted every match: ~10 ms per claim at 35,000
 * queued). PostgreSQL skips rows another worker is claiming at the same moment; SQLite runs
 * one write at a time anyway.
 */
export async function claimDueDeliveries(
  db: Db,
  dialect: Dialect,
  claim: {
    nowIso: string;
    leaseUntil: string;
    token: string;
    limit: number;
    /** streams this worker cannot send more of right now (their rows stay untouched) */
    skip?: ReadonlyArray<{ connectionId: string; environmentId: string }>;
  },
): Promise<DeliveryRow[]> {
  const expired = await claimRows(db, dialect, claim, 'in_flight', claim.limit);
  if (expired.length >= claim.limit) return expired;
  const due = await claimRows(db, dialect, claim, 'pending', claim.limit - expired.length);
  return [...expired, ...due];
}

const maxSkippedStreams = 200;

async function claimRows(
  db: Db,
  dialect: Dialect,
  claim: Parameters<typeof claimDueDeliveries>[2],
  from: 'pending' | 'in_flight',
  limit: number,
): Promise<DeliveryRow[]> {
  // a bounded list: SQLite refuses an expression tree deeper than 1,000 (then the rest are
  // claimed and given back, as before the list existed)
  const skip = (claim.skip ?? []).slice(0, maxSkippedStreams);
  const timeColumn = from === 'pending' ? 'next_attempt_at' : 'lease_until';
  return db
    .updateTable('deliveries')
    .set({
      status: 'in_flight',
      lease_token: claim.token,
      lease_until: claim.leaseUntil,
      updated_at: claim.nowIso,
    })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('deliveries')
        .select('id')
        .where('status', '=', from)
        .where(timeColumn, '<=', claim.nowIso)
        // FIFO: an ordered delivery waits while an earlier one of its stream is unfinished
        .where((w) =>
          w.or([
            w('ordered', '=', dialect === 'postgres' ? false : 0),
            w.not(
              w.exists(
                w
                  .selectFrom('deliveries as earlier')
                  .select('earlier.id')
                  .whereRef('earlier.connection_id', '=', 'deliveries.connection_id')
                  .whereRef('earlier.environment_id', '=', 'deliveries.environment_id')
                  .whereRef('earlier.id', '<', 'deliveries.id')
                  .where('earlier.status', 'in', ['pending', 'in_flight', 'paused']),
              ),
            ),
          ]),
        )
        .$if(skip.length > 0, (select) =>
          select.where((w) =>
            w.not(
              w.or(
                skip.map((stream) =>
                  w.and([
                    w('connection_id', '=', stream.connectionId),
                    w('environment_id', '=', stream.environmentId),
                  ]),
                ),
              ),
            ),
          ),
        )
        .orderBy(timeColumn)
        .limit(limit)
        .$if(dialect === 'postgres', (select) => select.forUpdate().skipLocked()),
    )
    .returningAll()
    .execute();
}

/** One attempt's record and what the delivery becomes; false when the lease was lost. */
export async function recordAttempt(
  db: Db,
  update: {
    id: string;
    token: string;
    attempt: DeliveryAttemptsTable;
    set: Partial<DeliveriesTable>;
  },
): Promise<boolean> {
  if (!(await releaseClaim(db, update))) return false;
  await db.insertInto('delivery_attempts').values(update.attempt).execute();
  return true;
}

/** Ends a claim without an attempt (paused, or the connection is gone); false when lost. */
export async function releaseClaim(
  db: Db,
  update: { id: string; token: string; set: Partial<DeliveriesTable> },
): Promise<boolean> {
  const changed = await db
    .updateTable('deliveries')
    .set({ ...update.set, lease_token: null, lease_until: null })
    .where('id', '=', update.id)
    .where('status', '=', 'in_flight')
    .where('lease_token', '=', update.token)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/** A connection's paused deliveries become due now (it may have been enabled). */
export async function resumePaused(db: Db, connectionId: string, nowIso: string): Promise<number> {
  const changed = await db
    .updateTable('deliveries')
    .set({ status: 'pending', next_attempt_at: nowIso, updated_at: nowIso, reason: null })
    .where('connection_id', '=', connectionId)
    .where('status', '=', 'paused')
    .executeTakeFirst();
  return Number(changed.numUpdatedRows);
}

/** The deliveries a bulk replay or a list may pick: by connection, environment, status and time. */
export interface DeliveryFilter {
  connection?: string;
  environment?: string;
  status?: string;
  /** created at or after (ISO) */
  from?: string;
  /** created before (ISO) */
  to?: string;
  /** only ids after this one (a bulk replay's cursor) */
  after?: string;
}

/**
 * Queues finished deliveries again as new attempts of the same deliveries (same id, same
 * webhook-id): due now, the retry policy counting afresh from here. Only succeeded or failed
 * ones; answers the ids replayed (at most `limit`, oldest first).
 */
function matching(db: Db, filter: DeliveryFilter & { ids?: readonly string[] }) {
  const statuses = (filter.status ? [filter.status] : ['failed']).filter(
    (status) => status === 'failed' || status === 'succeeded',
  );
  return db
    .selectFrom('deliveries')
    .select('id')
    .where('status', 'in', statuses.length > 0 ? statuses : ['failed'])
    .$if(filter.ids !== undefined, (q) => q.where('id', 'in', filter.ids as string[]))
    .$if(filter.connection !== undefined, (q) =>
      q.where('connection_id', '=', filter.connection as string),
    )
    .$if(filter.environment !== undefined, (q) =>
      q.where('environment_id', '=', filter.environment as string),
    )
    .$if(filter.from !== undefined, (q) => q.where('created_at', '>=', filter.from as string))
    .$if(filter.to !== undefined, (q) => q.where('created_at', '<', filter.to as string))
    .$if(filter.after !== undefined, (q) => q.where('id', '>', filter.after as string));
}

/** Whether any finished delivery matches (a bulk replay has more to do). */
export async function hasReplayable(db: Db, filter: DeliveryFilter): Promise<boolean> {
  return (await matching(db, filter).limit(1).executeTakeFirst()) !== undefined;
}

/**
 * How many finished deliveries match, counted up to `cap` (a bulk replay's dry run): the count
 * stops there so a dead letter of millions costs one bounded scan, not a full one.
 */
export async function countReplayable(
  db: Db,
  filter: DeliveryFilter,
  cap: number,
): Promise<number> {
  const row = await db
    .selectFrom(matching(db, filter).limit(cap).as('picked'))
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function replayDeliveries(
  db: Db,
  filter: DeliveryFilter & { ids?: readonly string[] },
  nowIso: string,
  limit: number,
): Promise<string[]> {
  if (filter.ids !== undefined && filter.ids.length === 0) return [];
  const picked = await matching(db, filter).orderBy('id').limit(limit).execute();
  const ids = picked.map((row) => row.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('deliveries')
    .set((eb) => ({
      status: 'pending',
      next_attempt_at: nowIso,
      updated_at: nowIso,
      finished_at: null,
      reason: null,
      replay_base: eb.ref('attempts'),
      replayed_at: nowIso,
    }))
    .where('id', 'in', ids)
    .where('status', 'in', ['failed', 'succeeded'])
    .execute();
  return ids;
}

/**
 * Retention: succeeded deliveries (and their attempts) finished before `succeededBefore` go,
 * and failed ones finished before `failedBefore` when given (by default the dead letter stays
 * until replayed), in chunks so a large backlog never holds the store for long; expired
 * Idempotency-Keys go too. Answers how many deliveries were removed.
 */
export async function pruneFinished(
  db: Db,
  transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>,
  cutoffs: { succeededBefore: string; failedBefore?: string },
  nowIso: string,
  chunk = 1000,
): Promise<number> {
  let removed = 0;
  const passes: Array<[string, string]> = [['succeeded', cutoffs.succeededBefore]];
  if (cutoffs.failedBefore !== undefined) passes.push(['failed', cutoffs.failedBefore]);
  for (const [status, before] of passes) {
    for (;;) {
      const ids = (
        await db
          .selectFrom('deliveries')
          .select('id')
          .where('status', '=', status)
          .where('finished_at', '<', before)
          .limit(chunk)
          .execute()
      ).map((row) => row.id);
      if (ids.length === 0) break;
      // a delivery replayed since the SELECT is pending again: the deletes check once more
      const deleted = await transaction(async (tx) => {
        const gone = await tx
          .deleteFrom('deliveries')
          .where('id', 'in', ids)
          .where('status', '=', status)
          .where('finished_at', '<', before)
          .returning('id')
          .execute();
        const goneIds = gone.map((row) => row.id);
        if (goneIds.length > 0) {
          await tx.deleteFrom('delivery_attempts').where('delivery_id', 'in', goneIds).execute();
        }
        return goneIds.length;
      });
      removed += deleted;
      if (ids.length < chunk) break;
      // node:sqlite answers synchronously: let the API and the worker in between chunks
      await yieldToEventLoop();
    }
  }
  await db.deleteFrom('delivery_idempotency_keys').where('expires_at', '<=', nowIso).execute();
  return removed;
}

/**
 * Extends a claim's lease (the attempt about to start may outlast it); false when the claim
 * was lost — another worker took the delivery over — and the attempt must not be made.
 */
export async function renewLease(
  db: Db,
  lease: { id: string; token: string; leaseUntil: string },
): Promise<boolean> {
  const changed = await db
    .updateTable('deliveries')
    .set({ lease_until: lease.leaseUntil })
    .where('id', '=', lease.id)
    .where('status', '=', 'in_flight')
    .where('lease_token', '=', lease.token)
    .executeTakeFirst();
  return Number(changed.numUpdatedRows) > 0;
}

/** Whether the connection is enabled now, read in the caller's transaction (false: gone). */
export async function isConnectionEnabled(db: Db, connectionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('connections')
    .select('enabled')
    .where('id', '=', connectionId)
    .executeTakeFirst();
  return row !== undefined && Boolean(row.enabled);
}
