import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import type { PoolStatsRow } from './agent-registry.ts';
import { createLatencyWindow, type LatencyWindow } from './latency-window.ts';
import { createMinuteHistory, type MinuteHistory, type MinutePoint } from './minute-history.ts';

/** Upper bounds (seconds) of the duration histogram's buckets. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface SeriesState {
  connection: string;
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

export interface ConnectionMetrics {
  environment: string;
  total: number;
  counts: Partial<Record<OutcomeCode, number>>;
  /** share of tries that ended REQUEST_TIMEOUT or CONNECT_TIMEOUT, 0–1 */
  timeoutRate: number;
  latencyMs: { p50: number; p95: number; p99: number } | null;
  pool: { connected: number; free: number; pending: number; running: number } | null;
  /** the last hour, a point per minute, oldest first */
  history: MinutePoint[];
}

/**
 * Per connection and environment: tries by outcome, latency, timeouts and pool state — as
 * Prometheus series (names prefixed hookline_, labels connection, environment, outcome) and
 * as the JSON of GET /connections/{id}/metrics.
 *
 * A try is counted in plain numbers (a Map entry, a bucket slot, the latency window), and
 * prom-client reads them at scrape time: its `labels().inc()` and `observe()` hash the label
 * set on every call (~2 µs, a measurable share of the dispatch engine's own cost,
 * bench/dispatch.ts). prom-client still names, escapes and formats every series.
 */
export function createDispatchMetrics(options: { poolStats: () => PoolStatsRow[] }) {
  const registry = new Registry();
  /** connection id → display name (the label), updated on every try */
  const names = new Map<string, string>();

  new Counter({
    name: 'hookline_requests_total',
    help: 'Outbound requests by connection, environment and outcome code',
    labelNames: ['connection', 'environment', 'outcome'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const state of allSeries()) {
        for (const [outcome, count] of state.counts) {
          this.inc(
            { connection: state.connection, environment: state.environment, outcome },
            count,
          );
        }
      }
    },
  });

  registry.registerMetric(
    durationHistogram(
      'hookline_request_duration_seconds',
      'Outbound request duration, from dispatch to the last byte of the answer',
      allSeries,
    ),
  );

  new Gauge({
    name: 'hookline_pool_connections',
    help: 'Sockets of the keep-alive pools by state (connected, free) and requests (pending, running)',
    labelNames: ['connection', 'environment', 'state'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const row of options.poolStats()) {
        const connection = names.get(row.connectionId) ?? row.connectionId;
        for (const state of ['connected', 'free', 'pending', 'running'] as const) {
          this.inc({ connection, environment: row.environmentId, state }, row[state]);
        }
      }
    },
  });

  /**
   * Series are kept per connection id, then environment (two lookups with the caller's own
   * strings: no key is built per try); a rename carries the counts over to the new label.
   */
  const byConnection = new Map<string, Map<string, SeriesState>>();

  function* allSeries(): Generator<SeriesState> {
    for (const environments of byConnection.values()) yield* environments.values();
  }

  function seriesFor(connectionId: string, connection: string, environment: string): SeriesState {
    let environments = byConnection.get(connectionId);
    if (!environments) {
      environments = new Map();
      byConnection.set(connectionId, environments);
    }
    let state = environments.get(environment);
    if (!state) {
      state = {
        connection,
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
      names.set(connectionId, connection);
    } else if (state.connection !== connection) {
      state.connection = connection;
      names.set(connectionId, connection);
    }
    return state;
  }

  return {
    registry,

    /** One try of `connectionId` (shown as `connection`) in `environment`. */
    record(
      connectionId: string,
      connection: string,
      environment: string,
      outcome: OutcomeCode,
      durationMs: number,
    ): void {
      const state = seriesFor(connectionId, connection, environment);
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
          let failures = 0;
          for (let i = 0; i < state.recentCount; i += 1) failures += state.recent[i] as number;
          const lastFailed = state.lastOutcome !== 'OK';
          rows.push({
            connectionId,
            connection: state.connection,
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
        const timeouts = (counts.REQUEST_TIMEOUT ?? 0) + (counts.CONNECT_TIMEOUT ?? 0);
        const envPools = pools.filter((row) => row.environmentId === state.environment);
        out.push({
          environment: state.environment,
          total,
          counts,
          timeoutRate: total === 0 ? 0 : timeouts / total,
          latencyMs: state.latency.percentiles(),
          history: state.history.points(Date.now()),
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

    /** Prometheus text exposition for GET /metrics. */
    async exposition(): Promise<{ contentType: string; body: string }> {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}

export type DispatchMetrics = ReturnType<typeof createDispatchMetrics>;

/**
 * A Prometheus histogram read from the series' own bucket counts at scrape time. prom-client
 * has no public way to set a histogram's buckets, so this is the metric object its registry
 * asks for (`get()` with `_bucket` (cumulative, `le`), `_sum` and `_count` values); the
 * registry does the text exposition and label escaping.
 */
function durationHistogram(
  name: string,
  help: string,
  allSeries: () => Iterable<SeriesState>,
): Metric {
  // prom-client's typings declare MetricType as a numeric enum; at run time it is the string
  const type = 'histogram';
  const metric = {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    collect: undefined,
    async get() {
      const values: Array<{
        value: number;
        labels: Record<string, string | number>;
        metricName: string;
      }> = [];
      for (const state of allSeries()) {
        const labels = { connection: state.connection, environment: state.environment };
        let cumulative = 0;
        durationBuckets.forEach((upperBound, index) => {
          cumulative += state.buckets[index] as number;
          values.push({
            value: cumulative,
            labels: { ...labels, le: upperBound },
            metricName: `${name}_bucket`,
          });
        });
        const count = cumulative + (state.buckets[durationBuckets.length] as number);
        values.push(
          { value: count, labels: { ...labels, le: '+Inf' }, metricName: `${name}_bucket` },
          { value: state.durationSumSeconds, labels, metricName: `${name}_sum` },
          { value: count, labels, metricName: `${name}_count` },
        );
      }
      return { name, help, type, aggregator: metric.aggregator, values };
    },
  };
  // the registry only calls name, type and get(); the cast stands for the rest of Metric
  return metric as unknown as Metric;
}
