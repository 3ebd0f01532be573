import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { FailureOutcomeCode } from '../../contracts/outcomes.ts';
import { parseExactJson } from '../../core/exact-json.ts';
import type { CallInput, CallResult, DeployedTarget } from '../../dispatch/engine/index.ts';
import type { Store } from '../../store/create-store.ts';
import { createWriteBatcher, type WriteBatcher } from '../../store/write-batcher.ts';
import type { DeliveriesTable } from '../../store/database.ts';
import {
  createCircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitState,
  type CircuitDescription,
} from './circuit-breaker.ts';
import { createDeliveryLimits } from './delivery-limits.ts';
import type { DeliveryMetrics } from './delivery-metrics.ts';
import {
  claimDueDeliveries,
  isConnectionEnabled,
  pruneFinished,
  recordAttempt,
  renewLease,
  releaseClaim,
  type DeliveryRow,
} from './delivery.repo.ts';
import { nextStepAfter } from './delivery-schedule.ts';
import type { HeaderSeal } from './header-seal.ts';

/** How much of an answer an attempt keeps: enough to see what the target said. */
const responseExcerptChars = 2048;
/**
 * What the engine reads of an answer for it: the most those characters can take in UTF-8.
 * The engine masks secrets in these bytes (and past them) before the excerpt is cut.
 */
const responseExcerptBytes = responseExcerptChars * 4;
/** How much of the body sent an attempt keeps (secrets marked): 2 KiB, as of the answer. */
const requestExcerptBytes = 2048;
/** kept between an attempt's longest possible end and its lease's end */
const leaseMarginMs = 10_000;

export interface DeliveryWorkerOptions {
  /** deliveries claimed at a time */
  batchSize: number;
  /** deliveries this worker holds at once (being sent, or waiting for a free connection) */
  maxInFlight: number;
  /**
   * A connection with `poolSize: 0` gets this many sockets (the engine's defaultPoolSize): at
   * most that many of its deliveries are sent at once, so none waits in the pool's queue
   * (where the request deadline would already be running).
   */
  defaultPoolSize: number;
  /** the engine's redirect limit: an attempt that follows redirects may last this many more deadlines */
  maxRedirects: number;
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
  /** failed ones (the dead letter) this long after; null: kept until replayed */
  failedRetentionMs: number | null;
  /** how often pruning runs */
  pruneIntervalMs: number;
  circuitBreaker: Partial<CircuitBreakerOptions>;
}

export const defaultDeliveryWorkerOptions: DeliveryWorkerOptions = {
  batchSize: 64,
  maxInFlight: 256,
  defaultPoolSize: 24,
  maxRedirects: 5,
  pollIntervalMs: 500,
  leaseMs: 120_000,
  unresolvedRetryMs: 5_000,
  retentionMs: 7 * 86_400_000,
  failedRetentionMs: null,
  pruneIntervalMs: 10 * 60_000,
  circuitBreaker: {},
};

/** A circuit opened or closed, for notifications. */
export type CircuitEvent = {
  connectionId: string;
  connection: string;
  environment: string;
} & ({ state: 'open'; outcome: FailureOutcomeCode; openForMs: number } | { state: 'closed' });

/** A delivery that ended in the dead letter, for notifications. */
export interface DeliveryFailure {
  id: string;
  connectionId: string;
  connection: string;
  environment: string;
  /** a failure outcome, or why it could not be sent (a notification code) */
  code: FailureOutcomeCode | 'CONNECTION_NOT_DEPLOYED' | 'NOT_FOUND' | 'SEALED_HEADERS_UNREADABLE';
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
  /** the store's group commit, shared with the accepts (default: one of its own) */
  writes?: WriteBatcher;
  /** opens the call headers the accept sealed */
  headerSeal: HeaderSeal;
  /** attempts, accept → success latency and dead letters, for Prometheus */
  metrics?: DeliveryMetrics;
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
    deps.onCircuitChange?.(
      change.state === 'open'
        ? { ...stream, state: 'open', outcome: change.outcome, openForMs: change.openForMs }
        : { ...stream, state: 'closed' },
    );
  });
  const limits = createDeliveryLimits();
  // attempts end many at a time: their records share commits
  const writes = deps.writes ?? createWriteBatcher(store);
  /** claimed deliveries waiting for one of their stream's attempts to end */
  const held = new Map<string, Claimed[]>();
  let heldCount = 0;
  /** per stream: how many may wait here (as many as it has connections), as last seen */
  const holdLimits = new Map<string, number>();
  /** per stream: its rate allows no start before this time (ms) */
  const rateBlockedUntil = new Map<string, number>();
  /** resolved (and replaced) whenever an attempt ends: a full worker waits for room */
  let roomMade: { promise: Promise<void>; resolve: () => void } = Promise.withResolvers();
  let pruneTimer: NodeJS.Timeout | undefined;

  async function prune(): Promise<void> {
    const now = clock.now();
    try {
      await pruneFinished(
        store.db,
        (work) => store.transaction(work),
        {
          succeededBefore: new Date(now.getTime() - options.retentionMs).toISOString(),
          failedBefore:
            options.failedRetentionMs === null
              ? undefined
              : new Date(now.getTime() - options.failedRetentionMs).toISOString(),
        },
        now.toISOString(),
      );
    } catch (error) {
      deps.onError?.(error);
    }
  }

  function wake(): void {
    woken = true;
    wakeUp?.();
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

  async function claim(token: string, limit: number): Promise<DeliveryRow[]> {
    const now = clock.now();
    return claimDueDeliveries(store.db, store.dialect, {
      nowIso: now.toISOString(),
      leaseUntil: new Date(now.getTime() + options.leaseMs).toISOString(),
      token,
      limit,
      skip: streamsToSkip(now.getTime()),
    });
  }

  /**
   * Streams whose rows a claim should leave alone: all their connections busy and as many
   * waiting here as they have connections, or their rate used up until a later time. Claiming
   * them would only hand them back (a write each, again and again).
   */
  function streamsToSkip(nowMs: number): Array<{ connectionId: string; environmentId: string }> {
    const skip: Array<{ connectionId: string; environmentId: string }> = [];
    for (const [key, stream] of streams) {
      const full = (held.get(key)?.length ?? 0) >= (holdLimits.get(key) ?? Infinity);
      const rateUntil = rateBlockedUntil.get(key);
      if (rateUntil !== undefined && rateUntil <= nowMs) rateBlockedUntil.delete(key);
      if (full || (rateUntil !== undefined && rateUntil > nowMs)) {
        skip.push({ connectionId: stream.connectionId, environmentId: stream.environment });
      }
    }
    return skip;
  }

  /**
   * How many rows a claim may take without claiming more than the known streams can hold
   * (what it cannot hold it would have to give back); a few when they are all full.
   */
  function freeHoldRoom(): number {
    let room = 0;
    for (const [key, limit] of holdLimits) {
      // as many sending as it has connections, and as many waiting
      room += Math.max(0, 2 * limit - (held.get(key)?.length ?? 0) - limits.running(key));
    }
    // every known stream full (and so skipped by the claim): a few for the others
    return room > 0 ? room : 4;
  }

  async function release(row: DeliveryRow, token: string, set: Partial<DeliveriesTable>) {
    await writes.run((tx) => releaseClaim(tx, { id: row.id, token, set }));
  }

  /** A claimed delivery, and once known what it goes to. */
  interface Claimed {
    row: DeliveryRow;
    token: string;
    /** when its lease began (ms): a delivery held too long is given back, not sent */
    claimedAtMs: number;
  }

  /** The deployed target of a claimed delivery; null when the claim was ended here instead. */
  async function targetOf({ row, token }: Claimed): Promise<DeployedTarget | null> {
    try {
      return await deps.resolveTarget(row.connection_id, row.environment_id);
    } catch (error) {
      const nowIso = clock.now().toISOString();
      if (error instanceof AppError && error.code === 'CONNECTION_DISABLED') {
        // paused only if still disabled at the commit: an enable in between has already
        // resumed the paused ones, and would not see this one (in flight) otherwise
        await writes.run(async (tx) => {
          const enabled = await isConnectionEnabled(tx, row.connection_id);
          await releaseClaim(tx, {
            id: row.id,
            token,
            set: enabled
              ? { status: 'pending', next_attempt_at: nowIso, updated_at: nowIso }
              : {
                  status: 'paused',
                  reason: 'the connection is disabled; enabling it resumes this',
                  updated_at: nowIso,
                },
          });
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
        countDeadLetter({
          connectionId: row.connection_id,
          name: row.connection_name,
          environmentId: row.environment_id,
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
      return null;
    }
  }

  /**
   * Sends a claimed delivery now if its circuit and limits allow; else holds it until one of
   * its stream's attempts ends (when only the stream's connections are busy, and few are
   * held), or gives it back to the store, due when the circuit or the rate allows.
   */
  async function admit(item: Claimed, wasHeld = false): Promise<void> {
    const { row, token } = item;
    // resolved again for a held one too (cached, so cheap): it may have been disabled,
    // undeployed or redeployed while it waited
    const target = await targetOf(item);
    if (!target) return;
    const key = `${row.connection_id}\u0000${row.environment_id}`;
    streams.set(key, {
      connectionId: row.connection_id,
      connection: target.name,
      environment: row.environment_id,
    });
    const decidedAt = clock.now();
    // held here so long that its lease could run out during the attempt: give it back instead
    if (wasHeld && decidedAt.getTime() - item.claimedAtMs > options.leaseMs / 2) {
      await release(row, token, {
        status: 'pending',
        next_attempt_at: decidedAt.toISOString(),
        updated_at: decidedAt.toISOString(),
      });
      return;
    }
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
    const settings = target.params.delivery;
    const sockets = target.params.poolSize || options.defaultPoolSize;
    holdLimits.set(key, sockets);
    const slot = limits.acquire(
      key,
      {
        maxConcurrency: Math.min(settings?.maxConcurrency ?? sockets, sockets),
        ratePerSecond: settings?.ratePerSecond,
      },
      decidedAt.getTime(),
    );
    if (!slot.ok) {
      if (circuit.probe) breaker.abandonProbe(key);
      const waiting = held.get(key) ?? [];
      if (slot.reason === 'concurrency' && waiting.length < sockets) {
        waiting.push(item);
        held.set(key, waiting);
        heldCount += 1;
        return;
      }
      // claimed before the stream was known to be full, or past its rate: back to the store,
      // due when it may go (claims skip the stream until then)
      const retryAtMs =
        slot.reason === 'rate'
          ? slot.retryAtMs
          : decidedAt.getTime() + Math.max(options.pollIntervalMs, 250);
      if (slot.reason === 'rate') rateBlockedUntil.set(key, slot.retryAtMs);
      await release(row, token, {
        status: 'pending',
        next_attempt_at: new Date(retryAtMs).toISOString(),
        updated_at: decidedAt.toISOString(),
      });
      return;
    }
    track(
      send(item, target, key, circuit.probe).finally(() => {
        limits.release(key);
        // the slot this attempt held goes to the next delivery of its stream waiting here
        const waiting = held.get(key);
        const next = running ? waiting?.shift() : undefined;
        if (next) {
          heldCount -= 1;
          track(admit(next, true));
        }
        // a stream the claims skipped (as many waiting here as it has connections) has room
        // again: claim its next rows now rather than at the next poll
        if ((waiting?.length ?? 0) < (holdLimits.get(key) ?? 0) / 2) wake();
      }),
    );
  }

  async function send(
    { row, token, claimedAtMs }: Claimed,
    target: DeployedTarget,
    key: string,
    probe: boolean,
  ): Promise<void> {
    // the attempt must end inside the lease, or another worker could send it at the same time:
    // extend the lease first when what is left of it is shorter than the longest attempt
    const longestMs =
      target.params.requestTimeoutMs *
        (target.params.followRedirects ? options.maxRedirects + 1 : 1) +
      leaseMarginMs;
    const beforeMs = clock.now().getTime();
    if (claimedAtMs + options.leaseMs < beforeMs + longestMs) {
      const leaseUntil = new Date(beforeMs + Math.max(options.leaseMs, longestMs)).toISOString();
      const renewed = await writes.run((tx) => renewLease(tx, { id: row.id, token, leaseUntil }));
      if (!renewed) {
        // taken over by another worker: it sends it
        if (probe) breaker.abandonProbe(key);
        return;
      }
    }
    let headers: Record<string, string>;
    try {
      headers = deps.headerSeal.open(row.id, row.headers);
    } catch {
      // sealed under another master key (or damaged): sending without them would go out
      // without its credentials; nothing was sent, and a replay works once the key is back
      if (probe) breaker.abandonProbe(key);
      const nowIso = clock.now().toISOString();
      const reason =
        'cannot be sent: its credential headers were sealed under another master key (or are damaged); start Hookline with the key it was accepted under, then replay it';
      if (
        await writes.run((tx) =>
          releaseClaim(tx, {
            id: row.id,
            token,
            set: { status: 'failed', reason, updated_at: nowIso, finished_at: nowIso },
          }),
        )
      ) {
        countDeadLetter(target);
        deps.onFailed?.({
          id: row.id,
          connectionId: row.connection_id,
          connection: row.connection_name,
          environment: row.environment_id,
          code: 'SEALED_HEADERS_UNREADABLE',
          reason,
        });
      }
      return;
    }
    const startedAt = clock.now();
    let result: CallResult;
    try {
      result = await deps.deliver(target, {
        // numbers exactly as the caller wrote them (stored by JSON.stringify, which keeps them)
        body: row.body === null ? undefined : parseExactJson(row.body),
        params: JSON.parse(row.params) as CallInput['params'],
        headers: hasAny(headers) ? headers : undefined,
        messageId: row.message_id,
        previewBytes: responseExcerptBytes,
        requestExcerptBytes: requestExcerptBytes,
      });
    } catch (error) {
      if (probe) breaker.abandonProbe(key);
      throw error;
    }
    breaker.record(key, result.outcome, probe, clock.now().getTime());
    const number = Number(row.attempts) + 1;
    const finishedAt = clock.now();
    // after a replay the policy counts the attempts made since
    const step = nextStepAfter(result, number - Number(row.replay_base), {
      policy: target.params.retry,
      // a replay starts the age afresh
      ageMs: finishedAt.getTime() - Date.parse(row.replayed_at ?? row.created_at),
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
    const recorded = await writes.run((tx) =>
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
          request: result.request ? JSON.stringify(result.request) : null,
        },
      }),
    );
    if (recorded && deps.metrics) {
      const stream = deps.metrics.stream(target);
      deps.metrics.attempt(stream, result.outcome);
      if (step.status === 'succeeded') {
        // from the accept, or from the replay that queued it again
        const acceptedAtMs = Date.parse(row.replayed_at ?? row.created_at);
        deps.metrics.succeeded(stream, Math.max(0, finishedAt.getTime() - acceptedAtMs) / 1000);
      } else if (step.status === 'failed') {
        deps.metrics.deadLetter(stream);
      }
    }
    const { outcome } = result;
    if (recorded && step.status === 'failed' && outcome !== 'OK') {
      deps.onFailed?.({
        id: row.id,
        connectionId: row.connection_id,
        connection: row.connection_name,
        environment: row.environment_id,
        code: outcome,
        reason: step.reason,
      });
    }
  }

  /** A delivery ended in the dead letter without an attempt (it could not be sent). */
  function countDeadLetter(ref: Parameters<DeliveryMetrics['stream']>[0]): void {
    if (deps.metrics) deps.metrics.deadLetter(deps.metrics.stream(ref));
  }

  function track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => deps.onError?.(error));
    inFlight.add(tracked);
    void tracked.finally(() => {
      inFlight.delete(tracked);
      const made = roomMade;
      roomMade = Promise.withResolvers();
      made.resolve();
    });
  }

  /**
   * Claims as many due deliveries as there is room for (`maxInFlight`, held ones included)
   * and starts them without waiting for the ones under way: a slow delivery never holds up
   * the claim of the next.
   */
  async function runLoop(): Promise<void> {
    while (running) {
      // on SQLite a claim and every write settle in microtasks: give I/O (the answers of the
      // deliveries under way) its turn on every round
      await yieldToEventLoop();
      const room = options.maxInFlight - inFlight.size - heldCount;
      if (room < Math.min(options.batchSize, options.maxInFlight) / 4) {
        await roomMade.promise;
        continue;
      }
      let claimed: DeliveryRow[] = [];
      const token = randomUUID();
      try {
        claimed = await claim(token, Math.min(options.batchSize, room, freeHoldRoom()));
      } catch (error) {
        deps.onError?.(error);
      }
      if (claimed.length === 0) {
        await sleep(options.pollIntervalMs);
        continue;
      }
      if (!running) {
        // stopped while claiming: give them back rather than start what stop() will not wait for
        await releaseAll(claimed.map((row) => ({ row, token, claimedAtMs: 0 })));
        break;
      }
      const claimedAtMs = clock.now().getTime();
      for (const row of claimed) track(admit({ row, token, claimedAtMs }));
    }
  }

  /** Gives claimed deliveries back to the store, due now (the worker is stopping). */
  async function releaseAll(items: Claimed[]): Promise<void> {
    const nowIso = clock.now().toISOString();
    await Promise.all(
      items.map(({ row, token }) =>
        release(row, token, { status: 'pending', next_attempt_at: nowIso, updated_at: nowIso }),
      ),
    );
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

    /** The same circuit explained: why it opened, when it tries again. */
    circuitDetail(connectionId: string, environmentId: string): CircuitDescription {
      return breaker.describe(`${connectionId}\u0000${environmentId}`);
    },

    /** Something may be due now: look at once instead of at the next poll. */
    wake,

    /**
     * Stops claiming and waits for the attempts under way; what was claimed and not sent
     * keeps its lease and is taken over when that runs out.
     */
    async stop(): Promise<void> {
      if (!running) return;
      running = false;
      clearInterval(pruneTimer);
      wakeUp?.();
      roomMade.resolve();
      await loop;
      // an attempt that ends starts none (running is false), but admits under way may still
      // start theirs: wait until nothing is left
      while (inFlight.size > 0) await Promise.all([...inFlight]);
      const waiting = [...held.values()].flat();
      held.clear();
      heldCount = 0;
      await releaseAll(waiting);
    },
  };
}

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

function hasAny(headers: Record<string, string>): boolean {
  for (const key in headers) if (Object.hasOwn(headers, key)) return true;
  return false;
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
