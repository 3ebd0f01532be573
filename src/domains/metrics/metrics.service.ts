import type { Clock } from '../../core/clock.ts';
import type { CircuitDetail, MetricsOut } from '../../contracts/metrics.ts';
import type { ConnectionMetrics, UnflushedMinutes } from '../../dispatch/engine/index.ts';
import type { Store } from '../../store/create-store.ts';
import {
  addMetricMinutes,
  pruneMetricMinutes,
  readMetricMinutes,
  type MetricMinuteRow,
} from './metric-minutes.repo.ts';
import {
  decodeBuckets,
  encodeBuckets,
  foldMinutes,
  quietPoints,
  rangeSteps,
  rangeWindow,
  type MetricRange,
  type MinuteCounts,
} from './metric-range.ts';
import type { CircuitDescription } from '../deliveries/index.ts';

/** The in-memory side: the dispatch engine's per-target counts (engine.metrics). */
export interface MetricsSource {
  forConnection(connectionId: string): ConnectionMetrics[];
  unflushedMinutes(connectionId?: string): UnflushedMinutes[];
  markFlushed(flushed: UnflushedMinutes): void;
}

export interface MetricsOptions {
  /** how often the minutes counted in memory are added to the store (and at stop) */
  flushIntervalMs: number;
  /** stored minutes older than this go at the retention sweep */
  retentionMs: number;
}

/**
 * 15 s: a restart or a crash loses at most that much of the charts, and a busy server writes
 * one statement per 15 s rather than one per call. 7 days: the longest range the API offers.
 */
export const defaultMetricsOptions: MetricsOptions = {
  flushIntervalMs: 15_000,
  retentionMs: 7 * 86_400_000,
};

/** rows per INSERT: 6 values each stays far below SQLite's 32,766 bound variables */
const rowsPerStatement = 500;

export interface MetricsServiceDeps {
  store: Store;
  clock: Clock;
  source: MetricsSource;
  /** the connection of an id or name (throws NOT_FOUND) */
  findConnection(
    idOrName: string,
    options: { project?: string },
  ): Promise<{ id: string; name: string }>;
  /** the delivery circuit of a connection in an environment, explained */
  circuitDetail?: (connectionId: string, environmentId: string) => CircuitDescription;
  options?: Partial<MetricsOptions>;
  onError?: (error: unknown) => void;
}

const closedCircuit: CircuitDescription = {
  state: 'closed',
  consecutiveFailures: 0,
  failureThreshold: 0,
  openedAtMs: null,
  openedBy: null,
  retryAtMs: null,
  openForMs: 0,
};

function circuitOut(circuit: CircuitDescription): CircuitDetail {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    state: circuit.state,
    consecutiveFailures: circuit.consecutiveFailures,
    failureThreshold: circuit.failureThreshold,
    openedAt: iso(circuit.openedAtMs),
    openedBy: circuit.openedBy,
    retryAt: iso(circuit.retryAtMs),
    openForMs: circuit.openForMs,
  };
}

/**
 * A connection's metrics over a range (issue 14 §7): what this process counted since it
 * started (by outcome, latency, pool, circuit) and, per environment, calls, failures and
 * latency over time from the stored per-minute rows plus the minutes not flushed yet. The
 * flush runs in the background (`start`), never on a call's path: a try only adds to the
 * engine's in-memory minute.
 */
export function createMetricsService(deps: MetricsServiceDeps) {
  const options = { ...defaultMetricsOptions, ...deps.options };
  const { store, clock, source } = deps;
  let timer: NodeJS.Timeout | undefined;
  /** the flush under way: flushes never overlap, and a reader waits for it (below) */
  let flushing: Promise<void> | undefined;
  /** counts the flushes started, so a reader can tell one began while it read */
  let flushesStarted = 0;

  async function writeOnce(): Promise<void> {
    const targets = source.unflushedMinutes();
    if (targets.length === 0) return;
    const rows: MetricMinuteRow[] = [];
    for (const target of targets) {
      for (const minute of target.minutes) {
        rows.push({
          connectionId: target.connectionId,
          environment: target.environment,
          minute: new Date(minute.startMs).toISOString(),
          total: minute.total,
          failures: minute.failures,
          latencyBuckets: encodeBuckets(minute.buckets),
        });
      }
    }
    await store.transaction(async (tx) => {
      for (let from = 0; from < rows.length; from += rowsPerStatement) {
        await addMetricMinutes(tx, rows.slice(from, from + rowsPerStatement));
      }
    });
    // committed: only now are these counts "stored" (a failed write leaves them unflushed,
    // and the next flush sends them again)
    for (const target of targets) source.markFlushed(target);
  }

  function flush(): Promise<void> {
    if (!flushing) flushesStarted += 1;
    flushing ??= writeOnce().finally(() => {
      flushing = undefined;
    });
    return flushing;
  }

  /**
   * The minutes of one connection in the window: stored ones plus the unflushed ones. A flush
   * commits its rows before it marks them flushed: a read that overlaps one could count them
   * twice, so it waits for the flush and reads again (a flush is every 15 s: rarely needed).
   */
  async function minutesOf(connectionId: string, fromMs: number, toMs: number) {
    const window = {
      connectionId,
      fromMinute: new Date(fromMs).toISOString(),
      toMinute: new Date(toMs).toISOString(),
    };
    let stored: MetricMinuteRow[];
    for (;;) {
      await flushing?.catch(() => undefined);
      const started = flushesStarted;
      stored = await readMetricMinutes(store.db, window);
      if (flushing === undefined && started === flushesStarted) break;
    }
    const minutes: MinuteCounts[] = stored.map((row) => ({
      environment: row.environment,
      startMs: Date.parse(row.minute),
      total: row.total,
      failures: row.failures,
      buckets: decodeBuckets(row.latencyBuckets),
    }));
    for (const target of source.unflushedMinutes(connectionId)) {
      for (const minute of target.minutes) {
        minutes.push({ environment: target.environment, ...minute });
      }
    }
    return minutes;
  }

  return {
    options,

    /** Counts, latency, pool and circuit per environment, with `range` of history. */
    async connectionMetrics(
      idOrName: string,
      query: { project?: string; range: MetricRange },
    ): Promise<MetricsOut> {
      const connection = await deps.findConnection(idOrName, { project: query.project });
      const nowMs = clock.now().getTime();
      const { fromMs, toMs } = rangeWindow(query.range, nowMs);
      const history = foldMinutes(query.range, nowMs, await minutesOf(connection.id, fromMs, toMs));
      const live = new Map(source.forConnection(connection.id).map((m) => [m.environment, m]));
      const environments = [...new Set([...live.keys(), ...history.keys()])].sort();
      return {
        connection: { id: connection.id, name: connection.name },
        range: query.range,
        stepMinutes: rangeSteps[query.range].stepMinutes,
        environments: environments.map((environment) => {
          const circuit = deps.circuitDetail?.(connection.id, environment) ?? closedCircuit;
          const counted = live.get(environment);
          return {
            environment,
            total: counted?.total ?? 0,
            counts: counted?.counts ?? {},
            timeoutRate: counted?.timeoutRate ?? 0,
            latencyMs: counted?.latencyMs ?? null,
            pool: counted?.pool ?? null,
            circuit: circuit.state,
            circuitDetail: circuitOut(circuit),
            history: history.get(environment) ?? quietPoints(query.range, nowMs),
          };
        }),
      };
    },

    /** Adds what was counted in memory since the last flush to the store. */
    flush,

    /** Removes stored minutes past the retention; answers how many. */
    async prune(retentionMs = options.retentionMs): Promise<number> {
      const before = new Date(clock.now().getTime() - retentionMs).toISOString();
      return pruneMetricMinutes(store.db, before);
    },

    /** Flushes every `flushIntervalMs` until stopped (idempotent; an unref'd timer). */
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        flush().catch((error: unknown) => deps.onError?.(error));
      }, options.flushIntervalMs);
      timer.unref();
    },

    /** Stops the timer and flushes what is left (before the store closes). */
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await flush().catch((error: unknown) => deps.onError?.(error));
    },
  };
}

export type MetricsService = ReturnType<typeof createMetricsService>;
