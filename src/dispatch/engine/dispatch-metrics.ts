import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import type { PoolStatsRow } from './agent-registry.ts';
import { createLatencyWindow, type LatencyWindow } from './latency-window.ts';

interface SeriesState {
  connection: string;
  environment: string;
  counts: Map<OutcomeCode, number>;
  latency: LatencyWindow;
  requestsCounter: Map<OutcomeCode, Counter.Internal>;
  durationHistogram: Histogram.Internal<'connection' | 'environment'>;
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
 * Prometheus series (names prefixed hookline_, labels connection, environment, outcome) and
 * as the JSON of GET /connections/{id}/metrics. Label children are cached per series, so
 * recording a try is a few Map lookups, not label hashing.
 */
export function createDispatchMetrics(options: { poolStats: () => PoolStatsRow[] }) {
  const registry = new Registry();
  const requests = new Counter({
    name: 'hookline_requests_total',
    help: 'Outbound requests by connection, environment and outcome code',
    labelNames: ['connection', 'environment', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'hookline_request_duration_seconds',
    help: 'Outbound request duration, from dispatch to the last byte of the answer',
    labelNames: ['connection', 'environment'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const series = new Map<string, SeriesState>();
  /** connection id → display name (the label), updated on every try */
  const names = new Map<string, string>();

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

  function seriesFor(connectionId: string, connection: string, environment: string): SeriesState {
    const key = `${connectionId}\u0000${environment}`;
    let state = series.get(key);
    if (!state || state.connection !== connection) {
      names.set(connectionId, connection);
      state = {
        connection,
        environment,
        counts: state?.counts ?? new Map(),
        latency: state?.latency ?? createLatencyWindow(),
        requestsCounter: new Map(),
        durationHistogram: duration.labels({ connection, environment }),
      };
      series.set(key, state);
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
      let counter = state.requestsCounter.get(outcome);
      if (!counter) {
        counter = requests.labels({ connection, environment, outcome });
        state.requestsCounter.set(outcome, counter);
      }
      counter.inc();
      state.durationHistogram.observe(durationMs / 1000);
    },

    /** The metrics of one connection, one entry per environment it was called in. */
    forConnection(connectionId: string): ConnectionMetrics[] {
      const pools = options.poolStats().filter((row) => row.connectionId === connectionId);
      const out: ConnectionMetrics[] = [];
      for (const [key, state] of series) {
        if (!key.startsWith(`${connectionId}\u0000`)) continue;
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
