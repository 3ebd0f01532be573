import { Counter, Gauge, Registry } from 'prom-client';
import { bucketHistogram } from './bucket-histogram.ts';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import type { PoolKey, PoolStatsRow } from './agent-registry.ts';
import { createLatencyWindow, type LatencyWindow } from './latency-window.ts';
import { createMinuteHistory, type MinuteDelta, type MinuteHistory } from './minute-history.ts';

/** Upper bounds (seconds) of the duration histogram's buckets. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The label names of every per-target series, in the order they are written. */
export const targetLabelNames = ['connection_id', 'connection', 'project', 'environment'] as const;

/**
 * The labels every series of a target carries. `connection_id` tells two connections of the
 * same name in different projects apart (one scrape must never hold the same series twice:
 * Prometheus drops one); `connection` is the name for people; `project` is the project's id,
 * empty for a global connection (Prometheus stores an empty label as no label).
 */
// a type, not an interface: label sets are records of strings to prom-client
export type TargetLabels = Readonly<Record<(typeof targetLabelNames)[number], string>>;

/** What a series is named by: a deployed target (its id, name, project and environment). */
export interface SeriesTarget {
  connectionId: string;
  name: string;
  project: string | null;
  environmentId: string;
}

/**
 * One target's counts. The engine keeps it with the prepared target, so a try adds to plain
 * numbers with no lookup and no label set built per call.
 */
export interface SeriesState {
  /** fixed while the name and project stay; replaced when they change */
  labels: TargetLabels;
  environment: string;
  counts: Map<OutcomeCode, number>;
  latency: LatencyWindow;
  /** tries per duration bucket (not cumulative); the last slot is above every bound */
  buckets: Float64Array;
  durationSumSeconds: number;
  /** the last recentTries tries, 1 = not OK (a ring; `recentCount` of them are filled) */
  recent: Uint8Array;
  recentNext: number;
  recentCount: number;
  lastOutcome: OutcomeCode;
  lastAtMs: number;
  /** the last hour, minute by minute */
  history: MinuteHistory;
}

/** How many of a target's latest tries decide its health. */
export const recentTries = 20;

/**
 * A target's health from its latest tries: `failing` when the last one failed and at least
 * half of the recent ones did, `degraded` when any recent one failed, `ok` when none did.
 */
export type Health = 'ok' | 'degraded' | 'failing';

export interface HealthRow {
  connectionId: string;
  connection: string;
  environment: string;
  health: Health;
  lastOutcome: OutcomeCode;
  lastAt: string;
  recentTries: number;
  recentFailures: number;
}

/** What a target's minutes gained since they were last written to the store. */
export interface UnflushedMinutes {
  connectionId: string;
  environment: string;
  minutes: MinuteDelta[];
}

export interface ConnectionMetrics {
  environment: string;
  total: number;
  counts: Partial<Record<OutcomeCode, number>>;
  /** share of tries that ended REQUEST_TIMEOUT or CONNECT_TIMEOUT, 0–1 */
  timeoutRate: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
  pool: { connected: number; free: number; pending: number; running: number } | null;
}

/**
 * Per connection and environment: tries by outcome, latency, timeouts and pool state — as
 * Prometheus series (names prefixed hookline_, labels `targetLabelNames` and outcome) and
 * as the JSON of GET /connections/{id}/metrics. docs/reference/metrics.md lists them.
 *
 * A try is counted in plain numbers (a Map entry, a bucket slot, the latency window) of the
 * target's series, which the engine keeps with the prepared target (the label set is made
 * once per target, not per call), and prom-client reads them at scrape time: its
 * `labels().inc()` and `observe()` hash the label set on every call (~2 µs, a measurable
 * share of the dispatch engine's own cost, bench/dispatch.ts). prom-client still names,
 * escapes and formats every series.
 */
export function createDispatchMetrics(options: { poolStats: () => PoolStatsRow[] }) {
  const registry = new Registry();
  new Counter({
    name: 'hookline_requests_total',
    help: 'Outbound requests (tries of invoke and delivery attempts) by connection, environment and outcome code',
    labelNames: [...targetLabelNames, 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const state of allSeries()) {
        for (const [outcome, count] of state.counts) this.inc({ ...state.labels, outcome }, count);
      }
    },
  });

  registry.registerMetric(
    bucketHistogram({
      name: 'hookline_request_duration_seconds',
      help: 'Outbound request duration, from dispatch to the last byte of the answer',
      bounds: durationBuckets,
      *series() {
        for (const state of allSeries()) {
          yield { labels: state.labels, counts: state.buckets, sum: state.durationSumSeconds };
        }
      },
    }),
  );

  /**
   * Pools, summed over a connection's revisions in an environment (a redeploy's old pool
   * drains beside the new one): sockets by state (busy + free = open sockets) and requests
   * by state (running on a socket, pending for one). Two metrics, since sockets and requests
   * are not parts of one whole.
   */
  const poolTotals = () => {
    const totals = new Map<
      string,
      { labels: TargetLabels; row: Omit<PoolStatsRow, keyof PoolKey> }
    >();
    for (const row of options.poolStats()) {
      const key = `${row.connectionId}\u0000${row.environmentId}`;
      let total = totals.get(key);
      if (!total) {
        total = {
          labels: labelsOf(row.connectionId, row.environmentId),
          row: { connected: 0, free: 0, pending: 0, running: 0, inFlight: 0 },
        };
        totals.set(key, total);
      }
      total.row.connected += row.connected;
      total.row.free += row.free;
      total.row.pending += row.pending;
      total.row.running += row.running;
    }
    return totals.values();
  };

  new Gauge({
    name: 'hookline_pool_sockets',
    help: 'Open sockets of the keep-alive pools by state: busy (carrying a request) or free',
    labelNames: [...targetLabelNames, 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, row } of poolTotals()) {
        this.set({ ...labels, state: 'busy' }, Math.max(0, row.connected - row.free));
        this.set({ ...labels, state: 'free' }, row.free);
      }
    },
  });

  new Gauge({
    name: 'hookline_pool_requests',
    help: 'Requests in the keep-alive pools by state: running (on a socket) or pending (waiting for one)',
    labelNames: [...targetLabelNames, 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const { labels, row } of poolTotals()) {
        this.set({ ...labels, state: 'running' }, row.running);
        this.set({ ...labels, state: 'pending' }, row.pending);
      }
    },
  });

  /**
   * Series are kept per connection id, then environment; a rename or a move to global carries
   * the counts over to the new labels.
   */
  const byConnection = new Map<string, Map<string, SeriesState>>();

  function* allSeries(): Generator<SeriesState> {
    for (const environments of byConnection.values()) yield* environments.values();
  }

  /** The labels of a pool's connection: as its latest series says, or the id alone. */
  function labelsOf(connectionId: string, environment: string): TargetLabels {
    const state = byConnection.get(connectionId)?.get(environment);
    if (state) return state.labels;
    const known = byConnection.get(connectionId)?.values().next().value;
    return {
      connection_id: connectionId,
      connection: known?.labels.connection ?? connectionId,
      project: known?.labels.project ?? '',
      environment,
    };
  }

  /** The series of a target: made on its first try, relabelled when its name or project changed. */
  function seriesOf(target: SeriesTarget): SeriesState {
    const { connectionId, environmentId: environment } = target;
    const project = target.project ?? '';
    let environments = byConnection.get(connectionId);
    if (!environments) {
      environments = new Map();
      byConnection.set(connectionId, environments);
    }
    let state = environments.get(environment);
    if (!state) {
      state = {
        labels: { connection_id: connectionId, connection: target.name, project, environment },
        environment,
        counts: new Map(),
        latency: createLatencyWindow(),
        buckets: new Float64Array(durationBuckets.length + 1),
        durationSumSeconds: 0,
        recent: new Uint8Array(recentTries),
        recentNext: 0,
        recentCount: 0,
        lastOutcome: 'OK',
        lastAtMs: 0,
        history: createMinuteHistory(),
      };
      environments.set(environment, state);
    } else if (state.labels.connection !== target.name || state.labels.project !== project) {
      state.labels = { connection_id: connectionId, connection: target.name, project, environment };
    }
    return state;
  }

  return {
    registry,

    seriesOf,

    /** One try of the target whose series is `state` (from `seriesOf`, kept by the caller). */
    record(state: SeriesState, outcome: OutcomeCode, durationMs: number): void {
      state.counts.set(outcome, (state.counts.get(outcome) ?? 0) + 1);
      state.latency.add(durationMs);
      const seconds = durationMs / 1000;
      let bucket = 0;
      while (bucket < durationBuckets.length && seconds > (durationBuckets[bucket] as number)) {
        bucket += 1;
      }
      state.buckets[bucket] = (state.buckets[bucket] as number) + 1;
      state.durationSumSeconds += seconds;
      state.recent[state.recentNext] = outcome === 'OK' ? 0 : 1;
      state.recentNext = (state.recentNext + 1) % recentTries;
      if (state.recentCount < recentTries) state.recentCount += 1;
      state.lastOutcome = outcome;
      state.lastAtMs = Date.now();
      state.history.add(state.lastAtMs, outcome === 'OK', durationMs);
    },

    /** Every target called since start, with its health from its latest tries. */
    health(): HealthRow[] {
      const rows: HealthRow[] = [];
      for (const [connectionId, environments] of byConnection) {
        for (const state of environments.values()) {
          // a series is made when its target is prepared: one never tried is not listed
          if (state.recentCount === 0) continue;
          let failures = 0;
          for (let i = 0; i < state.recentCount; i += 1) failures += state.recent[i] as number;
          const lastFailed = state.lastOutcome !== 'OK';
          rows.push({
            connectionId,
            connection: state.labels.connection,
            environment: state.environment,
            health:
              lastFailed && failures * 2 >= state.recentCount
                ? 'failing'
                : failures > 0
                  ? 'degraded'
                  : 'ok',
            lastOutcome: state.lastOutcome,
            lastAt: new Date(state.lastAtMs).toISOString(),
            recentTries: state.recentCount,
            recentFailures: failures,
          });
        }
      }
      return rows;
    },

    /** The metrics of one connection, one entry per environment it was called in. */
    forConnection(connectionId: string): ConnectionMetrics[] {
      const pools = options.poolStats().filter((row) => row.connectionId === connectionId);
      const out: ConnectionMetrics[] = [];
      for (const state of byConnection.get(connectionId)?.values() ?? []) {
        const counts = Object.fromEntries(state.counts) as Partial<Record<OutcomeCode, number>>;
        const total = [...state.counts.values()].reduce((sum, n) => sum + n, 0);
        if (total === 0) continue; // prepared, never tried: not "called in" yet
        const timeouts = (counts.REQUEST_TIMEOUT ?? 0) + (counts.CONNECT_TIMEOUT ?? 0);
        const envPools = pools.filter((row) => row.environmentId === state.environment);
        out.push({
          environment: state.environment,
          total,
          counts,
          timeoutRate: total === 0 ? 0 : timeouts / total,
          latencyMs: state.latency.percentiles(),
          pool:
            envPools.length === 0
              ? null
              : envPools.reduce(
                  (sum, row) => ({
                    connected: sum.connected + row.connected,
                    free: sum.free + row.free,
                    pending: sum.pending + row.pending,
                    running: sum.running + row.running,
                  }),
                  { connected: 0, free: 0, pending: 0, running: 0 },
                ),
        });
      }
      return out.sort((a, b) => a.environment.localeCompare(b.environment));
    },

    /**
     * Per target, what its minutes gained since the last flush (Test Connection of a draft is
     * left out: it is no connection). `connectionId` narrows to one connection (a reader).
     */
    unflushedMinutes(connectionId?: string): UnflushedMinutes[] {
      const out: UnflushedMinutes[] = [];
      for (const [id, environments] of byConnection) {
        if (id === 'draft' || (connectionId !== undefined && id !== connectionId)) continue;
        for (const state of environments.values()) {
          const minutes = state.history.unflushed();
          if (minutes.length > 0)
            out.push({ connectionId: id, environment: state.environment, minutes });
        }
      }
      return out;
    },

    /** The deltas of `unflushedMinutes` are in the store now. */
    markFlushed(flushed: UnflushedMinutes): void {
      const history = byConnection.get(flushed.connectionId)?.get(flushed.environment)?.history;
      for (const minute of flushed.minutes) history?.markFlushed(minute);
    },

    /** Prometheus text exposition for GET /metrics. */
    async exposition(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type DispatchMetrics = ReturnType<typeof createDispatchMetrics>;
