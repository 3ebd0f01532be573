import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError, validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  Delivery,
  DeliveryBatchIn,
  DeliveryDetail,
  DeliveryIn,
  DeliveryListQuery,
  DeliveryReplayIn,
  DeliveryReplayResult,
  DeliveryStatus,
} from '../../contracts/deliveries.ts';
import { maxReplayPerCall } from '../../contracts/deliveries.ts';
import { describeBodySecrets, secretReferencesInBody } from '../../dispatch/render/index.ts';
import { createMessageId } from '../../dispatch/signing/index.ts';
import type { Store, Tx } from '../../store/create-store.ts';
import type { WriteBatcher } from '../../store/write-batcher.ts';
import type { HeaderSeal } from './header-seal.ts';
import type { EnvironmentParams } from '../../contracts/connections.ts';
import { isValidHeaderValue } from '../../contracts/headers.ts';
import { parseTemplate } from '../../contracts/templates.ts';
import { findRevision, type ConnectionService } from '../connections/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import {
  claimIdempotencyKey,
  countReplayable,
  findDelivery,
  hasReplayable,
  pruneFinished,
  replayDeliveries,
  insertDeliveries,
  isConnectionEnabled,
  listAttempts,
  listDeliveries,
  resumePaused,
  toDelivery,
  type DeliveryRow,
  type EarlierKey,
} from './delivery.repo.ts';

/** An Idempotency-Key names the first delivery it was sent with for this long. */
export const idempotencyKeyTtlMs = 24 * 60 * 60 * 1000;

export interface DeliveryServiceDeps {
  store: Store;
  clock: Clock;
  connections: ConnectionService;
  environments: EnvironmentService;
  /** the store's group commit, shared with the delivery workers */
  writes: WriteBatcher;
  /** seals the call's credential headers before they are stored */
  headerSeal: HeaderSeal;
  /** an accept committed: workers may look for due deliveries now rather than at their next poll */
  onAccepted?: () => void;
}

type CallPart = Pick<DeliveryIn, 'body' | 'params' | 'headers'>;

/**
 * Durable delivery, the accepting side (DESIGN §1 Delivery): a delivery is committed to the
 * store before the API answers 202, and from then on the workers own it. Accepting for a
 * disabled connection parks it as `paused`; one not deployed to the environment is refused,
 * since nothing could ever send it.
 */
export function createDeliveryService(deps: DeliveryServiceDeps) {
  const { store, clock } = deps;

  async function resolve(idOrName: string, environment: string, options: { project?: string }) {
    let environmentId: string;
    try {
      environmentId = (await deps.environments.get(environment)).id;
    } catch (error) {
      if (error instanceof AppError && error.code === 'NOT_FOUND') {
        throw validationFailed([
          { path: 'environment', message: `unknown environment '${environment}'` },
        ]);
      }
      throw error;
    }
    const connection = await deps.connections.get(idOrName, options);
    const deployment = connection.deployments?.[environmentId];
    if (!deployment) {
      throw new AppError(
        'CONNECTION_NOT_DEPLOYED',
        `connection '${connection.name}' is not deployed to environment '${environmentId}'; deploy a revision to it first`,
        { id: connection.id, environment: environmentId },
      );
    }
    const revision = await findRevision(store.db, connection.id, deployment.revision);
    const deployed = revision?.spec.environments[environmentId];
    return { connection, environmentId, deployed };
  }

  /**
   * A delivery that could never be sent is refused now, not dead-lettered later: every
   * `{{param.NAME}}` of the deployed revision's URL and header values, and of a text body,
   * needs a value in `params` (at `<prefix>params.NAME`), a param that fills a header needs a
   * value RFC 9110 allows there (else every attempt would be INVALID_REQUEST), and a body may not
   * use secrets (at `<prefix>body`: the engine would refuse it when sending).
   */
  function checkParams(
    deployed: EnvironmentParams | undefined,
    calls: ReadonlyArray<CallPart>,
    pathOf: (index: number) => string,
  ): void {
    const configured = deployed
      ? paramNamesIn([deployed.url, ...deployed.headers.map((h) => h.value)])
      : new Set<string>();
    const inHeaders = new Map<string, string>();
    for (const header of deployed?.headers ?? []) {
      for (const name of paramNamesIn([header.value])) {
        if (!inHeaders.has(name)) inHeaders.set(name, header.name);
      }
    }
    const problems: Array<{ path: string; message: string }> = [];
    calls.forEach((call, index) => {
      const secrets = secretReferencesInBody(call.body);
      if (secrets.length > 0) {
        problems.push({
          path: `${pathOf(index)}body`,
          message: describeBodySecrets(secrets.map((name) => `secret.${name}`)),
        });
      }
      if (!deployed) return;
      const needed = new Set(configured);
      if (typeof call.body === 'string')
        for (const name of paramNamesIn([call.body])) needed.add(name);
      for (const name of needed) {
        const value = call.params?.[name];
        if (value === undefined) {
          problems.push({
            path: `${pathOf(index)}params.${name}`,
            message: `the deployed revision uses {{param.${name}}}: give it a value`,
          });
        } else if (inHeaders.has(name) && !isValidHeaderValue(String(value))) {
          problems.push({
            path: `${pathOf(index)}params.${name}`,
            message: `{{param.${name}}} fills header '${inHeaders.get(name)}': a header value may only hold visible ASCII, space, tab and Latin-1 characters (RFC 9110)`,
          });
        }
      }
    });
    if (problems.length > 0) throw validationFailed(problems.slice(0, 100));
  }

  function rowOf(
    connection: { id: string; name: string; enabled: boolean },
    environmentId: string,
    deployed: EnvironmentParams | undefined,
    call: CallPart,
    nowIso: string,
    nowMs: number,
  ): DeliveryRow {
    const status: DeliveryStatus = connection.enabled ? 'pending' : 'paused';
    const ordered = deployed?.delivery?.ordered ?? false;
    const id = createId('dlv', nowMs);
    return {
      id,
      connection_id: connection.id,
      connection_name: connection.name,
      environment_id: environmentId,
      status,
      message_id: createMessageId(),
      body: call.body === undefined ? null : JSON.stringify(call.body),
      params: JSON.stringify(call.params ?? {}),
      // credentials among them sealed: the store never holds them in clear
      headers: deps.headerSeal.seal(id, call.headers ?? {}),
      attempts: 0,
      replay_base: 0,
      replayed_at: null,
      // FIFO is decided when accepted: a later redeploy does not reorder what is queued
      ordered: store.dialect === 'postgres' ? ordered : Number(ordered),
      next_attempt_at: nowIso,
      lease_token: null,
      lease_until: null,
      last_outcome: null,
      last_status: null,
      reason: connection.enabled ? null : 'the connection is disabled; enabling it resumes this',
      created_at: nowIso,
      updated_at: nowIso,
      finished_at: null,
    };
  }

  /**
   * Paused or pending as the connection is at the commit, not as it was read before: an enable
   * that lands in between (and resumes the paused ones before this row exists) is not missed.
   */
  async function withEnabledNow(tx: Tx, row: DeliveryRow): Promise<DeliveryRow> {
    return withStatus(row, await isConnectionEnabled(tx, row.connection_id));
  }

  function withStatus(row: DeliveryRow, enabled: boolean): DeliveryRow {
    // (mutated in place: the caller answers with row.status)
    row.status = enabled ? 'pending' : 'paused';
    row.reason = enabled ? null : 'the connection is disabled; enabling it resumes this';
    return row;
  }

  return {
    /**
     * Accepts one delivery. With an `idempotencyKey` already sent for this connection and
     * environment in the last 24 h, answers that delivery (duplicate: true) and stores nothing.
     */
    async accept(
      idOrName: string,
      input: DeliveryIn,
      options: { project?: string; idempotencyKey?: string } = {},
    ): Promise<{ id: string; status: DeliveryStatus; duplicate: boolean }> {
      const { connection, environmentId, deployed } = await resolve(
        idOrName,
        input.environment,
        options,
      );
      checkParams(deployed, [input], () => '');
      const now = clock.now();
      const nowIso = now.toISOString();
      const row = rowOf(connection, environmentId, deployed, input, nowIso, now.getTime());
      // concurrent accepts share a commit (and its fsync): see store/write-batcher.ts
      type Answer =
        { id: string; status: DeliveryStatus; duplicate: boolean } | { reused: EarlierKey };
      const answer = await deps.writes.run(async (tx): Promise<Answer> => {
        if (options.idempotencyKey !== undefined) {
          const fingerprint = fingerprintOf(environmentId, input, row.body);
          const earlier = await claimIdempotencyKey(tx, {
            connectionId: connection.id,
            environmentId,
            key: options.idempotencyKey,
            deliveryId: row.id,
            fingerprint,
            nowIso,
            expiresAt: new Date(now.getTime() + idempotencyKeyTtlMs).toISOString(),
          });
          if (earlier !== null) {
            // Stripe's rule: a key names one request; another request under it is refused,
            // not answered as a duplicate that silently drops what was sent now
            if (earlier.fingerprint !== null && earlier.fingerprint !== fingerprint) {
              return { reused: earlier };
            }
            const first = await findDelivery(tx, earlier.deliveryId);
            if (first) {
              return { id: first.id, status: first.status as DeliveryStatus, duplicate: true };
            }
          }
        }
        await insertDeliveries(tx, [await withEnabledNow(tx, row)]);
        return { id: row.id, status: row.status as DeliveryStatus, duplicate: false };
      });
      if ('reused' in answer) {
        throw new AppError(
          'IDEMPOTENCY_KEY_REUSED',
          `this Idempotency-Key was sent in the last 24 h with a different request (body, params, headers or environment) and names delivery '${answer.reused.deliveryId}'; use a new key for a new request`,
          { deliveryId: answer.reused.deliveryId },
        );
      }
      if (!answer.duplicate) deps.onAccepted?.();
      return answer;
    },

    /** Accepts up to 1,000 deliveries in one transaction: all of them, or none. */
    async acceptBatch(
      idOrName: string,
      input: DeliveryBatchIn,
      options: { project?: string } = {},
    ): Promise<{ items: Array<{ id: string; status: DeliveryStatus }> }> {
      const { connection, environmentId, deployed } = await resolve(
        idOrName,
        input.environment,
        options,
      );
      checkParams(deployed, input.items, (index) => `items[${index}].`);
      const now = clock.now();
      const nowIso = now.toISOString();
      const rows = input.items.map((item) =>
        rowOf(connection, environmentId, deployed, item, nowIso, now.getTime()),
      );
      await store.transaction(async (tx) => {
        const enabled = await isConnectionEnabled(tx, connection.id);
        await insertDeliveries(
          tx,
          rows.map((row) => withStatus(row, enabled)),
        );
      });
      deps.onAccepted?.();
      return { items: rows.map((row) => ({ id: row.id, status: row.status as DeliveryStatus })) };
    },

    /** One delivery with every attempt made. */
    async get(id: string): Promise<DeliveryDetail> {
      const row = await findDelivery(store.db, id);
      if (!row) throw new AppError('NOT_FOUND', `no delivery '${id}'`);
      const delivery = toDelivery(row);
      return { ...delivery, attemptLog: await listAttempts(store.db, id) };
    },

    /** Newest first, filtered; `next` continues the list. */
    async list(query: DeliveryListQuery): Promise<{ items: Delivery[]; next: string | null }> {
      const afterId = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      const rows = await listDeliveries(store.db, {
        ...query,
        // stored as UTC ISO text (SQLite compares text): the same form here
        from: query.from && new Date(query.from).toISOString(),
        to: query.to && new Date(query.to).toISOString(),
        afterId,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toDelivery),
        next: rows.length > query.limit && last ? encodeCursor(last.id) : null,
      };
    },

    /**
     * Sends a succeeded or failed delivery again: a new attempt of the same delivery (same id,
     * same webhook-id), due now, with the retry policy counting afresh.
     */
    async replay(id: string): Promise<Delivery> {
      const nowIso = clock.now().toISOString();
      const replayed = await store.transaction(async (tx) => {
        const row = await findDelivery(tx, id);
        if (!row) throw new AppError('NOT_FOUND', `no delivery '${id}'`);
        if (row.status !== 'failed' && row.status !== 'succeeded') {
          throw new AppError(
            'DELIVERY_NOT_FINISHED',
            `delivery '${id}' is ${row.status}: only a succeeded or failed delivery can be replayed`,
            { id, status: row.status },
          );
        }
        await replayDeliveries(tx, { ids: [id], status: row.status }, nowIso, 1);
        return (await findDelivery(tx, id)) as DeliveryRow;
      });
      deps.onAccepted?.();
      return toDelivery(replayed);
    },

    /**
     * Bulk replay: up to `limit` matching finished deliveries, oldest first; `more` if others
     * match. A dry run changes nothing and answers how many match (up to maxReplayPerCall).
     */
    async replayMatching(input: DeliveryReplayIn): Promise<DeliveryReplayResult> {
      const nowIso = clock.now().toISOString();
      const filter = {
        connection: input.connection,
        environment: input.environment,
        status: input.status,
        from: input.from && new Date(input.from).toISOString(),
        to: input.to && new Date(input.to).toISOString(),
        after: input.after,
      };
      if (input.dryRun) {
        // one more than the cap tells "more than that" from "exactly that"
        const counted = await countReplayable(store.db, filter, maxReplayPerCall + 1);
        const more = counted > maxReplayPerCall;
        return {
          replayed: 0,
          ids: [],
          matching: Math.min(counted, maxReplayPerCall),
          more,
          next: null,
        };
      }
      const ids = await store.transaction((tx) =>
        replayDeliveries(tx, filter, nowIso, input.limit),
      );
      // oldest first by id: the rest are after the last one replayed now (one replayed now
      // that has already failed again is before it, and not picked twice)
      const last = ids.at(-1);
      const more =
        last !== undefined &&
        ids.length === input.limit &&
        (await hasReplayable(store.db, { ...filter, after: last }));
      if (ids.length > 0) deps.onAccepted?.();
      return { replayed: ids.length, ids, more, next: more ? (last as string) : null };
    },

    /**
     * Retention: removes succeeded deliveries finished more than `retentionMs` ago, and failed
     * ones more than `failedRetentionMs` ago when given.
     */
    async prune(retentionMs: number, failedRetentionMs?: number): Promise<number> {
      const now = clock.now();
      return pruneFinished(
        store.db,
        (work) => store.transaction(work),
        {
          succeededBefore: new Date(now.getTime() - retentionMs).toISOString(),
          failedBefore:
            failedRetentionMs === undefined
              ? undefined
              : new Date(now.getTime() - failedRetentionMs).toISOString(),
        },
        now.toISOString(),
      );
    },

    /** A connection changed (maybe enabled): its paused deliveries are due again. */
    async resumePaused(connectionId: string): Promise<number> {
      const resumed = await resumePaused(store.db, connectionId, clock.now().toISOString());
      if (resumed > 0) deps.onAccepted?.();
      return resumed;
    },
  };
}

export type DeliveryService = ReturnType<typeof createDeliveryService>;

/** Opaque cursor: base64url of `v:<last id shown>`. */
function encodeCursor(id: string): string {
  return Buffer.from(`v:${id}`).toString('base64url');
}

function decodeCursor(text: string): string {
  const match = /^v:(dlv_[0-9a-z]{26})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
  return match[1] as string;
}

/**
 * What an Idempotency-Key remembers of its request: the SHA-256 of the environment, the body
 * exactly as it will be sent (its stored JSON text, numbers as written), the params and the
 * call's headers (names ignoring case), each in a fixed order — so the same request sent again
 * matches whatever order its client wrote the params or headers in.
 */
function fingerprintOf(environmentId: string, call: CallPart, bodyText: string | null): string {
  const params = Object.entries(call.params ?? {}).sort(([a], [b]) => (a < b ? -1 : 1));
  const headers = Object.entries(call.headers ?? {})
    .map(([name, value]) => [name.toLowerCase(), value])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([environmentId, bodyText, params, headers]))
    .digest('hex');
}

/** The `{{param.NAME}}` names used in `texts` (a text with a syntax problem uses none). */
function paramNamesIn(texts: readonly string[]): Set<string> {
  const names = new Set<string>();
  for (const text of texts) {
    const parsed = parseTemplate(text);
    if ('problem' in parsed) continue;
    for (const reference of parsed.references) {
      if (reference.namespace === 'param') names.add(reference.name);
    }
  }
  return names;
}
