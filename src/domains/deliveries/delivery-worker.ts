import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { CallInput, CallResult, DeployedTarget } from '../../dispatch/engine/index.ts';
import type { Store } from '../../store/create-store.ts';
import type { DeliveriesTable } from '../../store/database.ts';
import {
  createCircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.ts';
import { createDeliveryLimits } from './delivery-limits.ts';
import {
  claimDueDeliveries,
  pruneSucceeded,
  recordAttempt,
  releaseClaim,
  type DeliveryRow,
} from './delivery.repo.ts';
import { nextStepAfter } from './delivery-schedule.ts';

/** How much of an answer an attempt keeps: enough to see what the target said. */
const responseExcerptChars = 2048;

export interface DeliveryWorkerOptions {
  /** deliveries claimed at a time */
  batchSize: number;
  /** how often the store is asked when nothing was due (an accept in this process wakes it at once) */
  pollIntervalMs: number;
  /**
   * How long a claim holds a delivery: past it, a worker that died mid-attempt lets another
   * take the delivery over. Longer than the longest attempt (requestTimeoutMs ≤ 60 s).
   */
  leaseMs: number;
  /** when the target cannot be resolved for a passing reason (the store), try again after this */
  unresolvedRetryMs: number;
  /** succeeded deliveries are pruned this long after they finished */
  retentionMs: number;
  /** how often pruning runs */
  pruneIntervalMs: number;
  circuitBreaker: Partial<CircuitBreakerOptions>;
}

export const defaultDeliveryWorkerOptions: DeliveryWorkerOptions = {
  batchSize: 64,
  pollIntervalMs: 500,
  leaseMs: 120_000,
  unresolvedRetryMs: 5_000,
  retentionMs: 7 * 86_400_000,
  pruneIntervalMs: 10 * 60_000,
  circuitBreaker: {},
};

/** A circuit opened or closed, for notifications. */
export interface CircuitEvent {
  connectionId: string;
  connection: string;
  environment: string;
  state: 'open' | 'closed';
  outcome?: string;
  openForMs?: number;
}

/** A delivery that ended in the dead letter, for notifications. */
export interface DeliveryFailure {
  id: string;
  connectionId: string;
  connection: string;
  environment: string;
  code: string;
  reason: string;
}

export interface DeliveryWorkerDeps {
  store: Store;
  clock: Clock;
  /** one attempt through the deployed pool (DispatchEngine.deliver) */
  deliver(target: DeployedTarget, input: CallInput): Promise<CallResult>;
  /** the deployed revision; throws NOT_FOUND, CONNECTION_NOT_DEPLOYED or CONNECTION_DISABLED */
  resolveTarget(connectionId: string, environmentId: string): Promise<DeployedTarget>;
  onFailed?: (failure: DeliveryFailure) => void;
  onCircuitChange?: (event: CircuitEvent) => void;
  /** a store error in the loop (logged by main.ts); the loop goes on */
  onError?: (error: unknown) => void;
  options?: Partial<DeliveryWorkerOptions>;
  random?: () => number;
}

/**
 * The sending side of durable delivery: claims due deliveries under a lease, sends each
 * through the dispatch engine with its own webhook-id, records the attempt and what comes
 * next (DESIGN §2 step 6 and the connection's retry policy) in one transaction with the
 * lease still held. A worker killed mid-attempt loses nothing: its leases run out and the
 * deliveries are due again (at least once; a repeat carries the same webhook-id).
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps) {
  const { store, clock } = deps;
  const options = { ...defaultDeliveryWorkerOptions, ...deps.options };
  let running = false;
  let loop: Promise<void> | null = null;
  let wakeUp: (() => void) | null = null;
  let woken = false;
  const inFlight = new Set<Promise<void>>();
  /** who a circuit key stands for (notifications name the connection) */
  const streams = new Map<
    string,
    { connectionId: string; connection: string; environment: string }
  >();
  const breaker = createCircuitBreaker(options.circuitBreaker, (change) => {
    const stream = streams.get(change.key);
    if (!stream) return;
    deps.onCircuitChange?.({
      ...stream,
      state: change.state,
      outcome: change.outcome,
      openForMs: change.openForMs,
    });
  });
  const limits = createDeliveryLimits();
  let pruneTimer: NodeJS.Timeout | undefined;

  async function prune(): Promise<void> {
    const now = clock.now();
    try {
      await pruneSucceeded(
        store.db,
        new Date(now.getTime() - options.retentionMs).toISOString(),
        now.toISOString(),
      );
    } catch (error) {
      deps.onError?.(error);
    }
  }

  function sleep(ms: number): Promise<void> {
    if (woken) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function claim(token: string): Promise<DeliveryRow[]> {
    const now = clock.now();
    return claimDueDeliveries(store.db, store.dialect, {
      nowIso: now.toISOString(),
      leaseUntil: new Date(now.getTime() + options.leaseMs).toISOString(),
      token,
      limit: options.batchSize,
    });
  }

  async function release(row: DeliveryRow, token: string, set: Partial<DeliveriesTable>) {
    await releaseClaim(store.db, { id: row.id, token, set });
  }

  async function attempt(row: DeliveryRow, token: string): Promise<void> {
    let target: DeployedTarget;
    try {
      target = await deps.resolveTarget(row.connection_id, row.environment_id);
    } catch (error) {
      const nowIso = clock.now().toISOString();
      if (error instanceof AppError && error.code === 'CONNECTION_DISABLED') {
        await release(row, token, {
          status: 'paused',
          reason: 'the connection is disabled; enabling it resumes this',
          updated_at: nowIso,
        });
      } else if (
        error instanceof AppError &&
        (error.code === 'CONNECTION_NOT_DEPLOYED' || error.code === 'NOT_FOUND')
      ) {
        const reason = `cannot be sent: ${error.message}`;
        await release(row, token, {
          status: 'failed',
          reason,
          updated_at: nowIso,
          finished_at: nowIso,
        });
        deps.onFailed?.({
          id: row.id,
          connectionId: row.connection_id,
          connection: row.connection_name,
          environment: row.environment_id,
          code: error.code,
          reason,
        });
      } else {
        deps.onError?.(error);
        await release(row, token, {
          status: 'pending',
          next_attempt_at: new Date(
            clock.now().getTime() + options.unresolvedRetryMs,
          ).toISOString(),
          updated_at: nowIso,
        });
      }
      return;
    }

    const key = `${row.connection_id}\u0000${row.environment_id}`;
    streams.set(key, {
      connectionId: row.connection_id,
      connection: target.name,
      environment: row.environment_id,
    });
    const decidedAt = clock.now();
    const circuit = breaker.decide(key, decidedAt.getTime());
    if (!circuit.send) {
      // deferred, not failed: the attempt is not spent while the target is known to be sick
      await release(row, token, {
        status: 'pending',
        next_attempt_at: new Date(circuit.retryAtMs).toISOString(),
        reason: `waiting: the circuit to this target is open after repeated failures; the next try is due ${new Date(circuit.retryAtMs).toISOString()}`,
        updated_at: decidedAt.toISOString(),
      });
      return;
    }
    const slot = limits.acquire(key, target.params.delivery, decidedAt.getTime());
    if (!slot.ok) {
      if (circuit.probe) breaker.abandonProbe(key);
      await release(row, token, {
        status: 'pending',
        next_attempt_at: new Date(slot.retryAtMs).toISOString(),
        updated_at: decidedAt.toISOString(),
      });
      return;
    }

    const startedAt = clock.now();
    let result: CallResult;
    try {
      result = await deps.deliver(target, {
        body: row.body === null ? undefined : (JSON.parse(row.body) as unknown),
        params: JSON.parse(row.params) as CallInput['params'],
        headers: headersOf(row.headers),
        messageId: row.message_id,
      });
    } catch (error) {
      if (circuit.probe) breaker.abandonProbe(key);
      throw error;
    } finally {
      limits.release(key);
    }
    breaker.record(key, result.outcome, circuit.probe, clock.now().getTime());
    const number = Number(row.attempts) + 1;
    const finishedAt = clock.now();
    // after a replay the policy counts the attempts made since
    const step = nextStepAfter(result, number - Number(row.replay_base), {
      policy: target.params.retry,
      ageMs: finishedAt.getTime() - Date.parse(row.created_at),
      random: deps.random,
    });
    const nowIso = finishedAt.toISOString();
    const set: Partial<DeliveriesTable> = {
      status: step.status,
      attempts: number,
      last_outcome: result.outcome,
      last_status: result.status,
      updated_at: nowIso,
      reason: step.status === 'failed' ? step.reason : null,
      ...(step.status === 'pending'
        ? { next_attempt_at: new Date(finishedAt.getTime() + step.waitMs).toISOString() }
        : { finished_at: nowIso }),
    };
    const recorded = await store.transaction((tx) =>
      recordAttempt(tx, {
        id: row.id,
        token,
        set,
        attempt: {
          delivery_id: row.id,
          number,
          started_at: startedAt.toISOString(),
          outcome: result.outcome,
          status: result.status,
          duration_ms: result.timings.totalMs,
          message: result.message,
          response: result.status === null ? null : JSON.stringify(excerptOf(result)),
        },
      }),
    );
    if (recorded && step.status === 'failed') {
      deps.onFailed?.({
        id: row.id,
        connectionId: row.connection_id,
        connection: row.connection_name,
        environment: row.environment_id,
        code: result.outcome,
        reason: step.reason,
      });
    }
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  async function runLoop(): Promise<void> {
    while (running) {
      let claimed: DeliveryRow[] = [];
      const token = randomUUID();
      try {
        claimed = await claim(token);
      } catch (error) {
        deps.onError?.(error);
      }
      if (claimed.length === 0) {
        await sleep(options.pollIntervalMs);
        continue;
      }
      const batch = claimed.map((row) =>
        attempt(row, token).catch((error: unknown) => deps.onError?.(error)),
      );
      for (const work of batch) track(work);
      await Promise.all(batch);
    }
  }

  return {
    /** Starts the loop (idempotent). */
    start(): void {
      if (running) return;
      running = true;
      loop = runLoop();
      void prune();
      pruneTimer = setInterval(() => void prune(), options.pruneIntervalMs);
      pruneTimer.unref();
    },

    /** The circuit of a connection in an environment, in this process. */
    circuitState(connectionId: string, environmentId: string): CircuitState {
      return breaker.state(`${connectionId}\u0000${environmentId}`);
    },

    /** Every circuit that is not closed, with whom it is about (Prometheus). */
    openCircuits(): Array<{ connection: string; environment: string; state: CircuitState }> {
      return breaker.notClosed().flatMap(({ key, state }) => {
        const stream = streams.get(key);
        return stream
          ? [{ connection: stream.connection, environment: stream.environment, state }]
          : [];
      });
    },

    /** Something may be due now: look at once instead of at the next poll. */
    wake(): void {
      woken = true;
      wakeUp?.();
    },

    /**
     * Stops claiming and waits for the attempts under way; what was claimed and not sent
     * keeps its lease and is taken over when that runs out.
     */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      clearInterval(pruneTimer);
      wakeUp?.();
      await loop;
      await Promise.all(inFlight);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

function headersOf(json: string): Record<string, string> | undefined {
  const headers = JSON.parse(json) as Record<string, string>;
  for (const key in headers) if (Object.hasOwn(headers, key)) return headers;
  return undefined;
}

function excerptOf(result: CallResult) {
  const truncated = result.body.length > responseExcerptChars;
  return {
    headers: result.headers,
    body: truncated ? result.body.slice(0, responseExcerptChars) : result.body,
    bodyEncoding: result.bodyEncoding,
    truncated: truncated || result.truncated,
  };
}
