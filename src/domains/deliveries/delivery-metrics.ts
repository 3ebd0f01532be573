import { Counter, Gauge, type Registry } from 'prom-client';
import type { OutcomeCode } from '../../contracts/outcomes.ts';
import {
  bucketHistogram,
  countInBuckets,
  targetLabelNames,
  type SeriesTarget,
  type TargetLabels,
} from '../../dispatch/engine/index.ts';
import type { CircuitState } from './circuit-breaker.ts';
import { queuedStatuses, type QueueDepthRow } from './queue-depth.repo.ts';

/** Upper bounds (seconds) of the accept → success histogram: a second to a day. */
const latencyBuckets = [0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 86_400];

/** A scrape reads the queue at most this often; scrapes in between get the last answer. */
const defaultQueueCacheMs = 1000;

/** Counts of one stream (a connection in an environment), in plain numbers. */
export interface StreamCounts {
  labels: TargetLabels;
  attempts: Map<OutcomeCode, number>;
  /** accept → success seconds of the deliveries that succeeded, per bucket */
  latency: { counts: Float64Array; sum: number };
  deadLetters: number;
}

export interface DeliveryMetricsDeps {
  registry: Registry;
  /** unfinished deliveries by connection, environment and status (queue-depth.repo.ts) */
  readQueue(): Promise<QueueDepthRow[]>;
  /** the circuit of a stream in this process */
  circuitState(connectionId: string, environmentId: string): CircuitState;
  nowMs?: () => number;
  queueCacheMs?: number;
}

/**
 * Durable delivery as Prometheus series (docs/reference/metrics.md): the queue by status
 * (read from the store at scrape time, one grouped query at most once a second), attempts by
 * outcome, accept → success latency, dead letters, and the circuit of every stream this
 * worker has seen (0 when closed). Labelled as the dispatch metrics are (`targetLabelNames`).
 * Counted in plain numbers, read at scrape time (see dispatch-metrics.ts for why).
 */
export function createDeliveryMetrics(deps: DeliveryMetricsDeps) {
  const nowMs = deps.nowMs ?? Date.now;
  const cacheMs = deps.queueCacheMs ?? defaultQueueCacheMs;
  /** per stream key (connection id, environment): one object, relabelled on a rename */
  const streams = new Map<string, StreamCounts>();
  let queue: { readAtMs: number; rows: Promise<QueueDepthRow[]> } | null = null;

  function readQueue(): Promise<QueueDepthRow[]> {
    const now = nowMs();
    if (!queue || now - queue.readAtMs >= cacheMs) {
      const rows = deps.readQueue();
      queue = { readAtMs: now, rows };
      // a failed read is not kept: the next scrape asks again
      rows.catch(() => {
        if (queue?.rows === rows) queue = null;
      });
    }
    return queue.rows;
  }

  new Gauge({
    name: 'hookline_deliveries',
    help: 'Deliveries not yet succeeded, by status: pending (due or waiting for a retry), in_flight (claimed by a worker), paused (connection disabled), failed (dead letter, waiting for a replay)',
    labelNames: [...targetLabelNames, 'status'] as const,
    registers: [deps.registry],
    async collect() {
      const rows = await readQueue();
      this.reset();
      // every status of every stream seen here or in the queue, so a drained queue reads 0
      // rather than vanishing; one label set per stream (the worker's, when it knows it)
      const labelsByStream = new Map<string, TargetLabels>();
      const labelsOf = (key: string, fallback: () => TargetLabels): TargetLabels => {
        let labels = labelsByStream.get(key);
        if (!labels) {
          labels = streams.get(key)?.labels ?? fallback();
          labelsByStream.set(key, labels);
          for (const status of queuedStatuses) this.set({ ...labels, status }, 0);
        }
        return labels;
      };
      for (const [key, stream] of streams) labelsOf(key, () => stream.labels);
      for (const row of rows) {
        const labels = labelsOf(`${row.connectionId}\u0000${row.environment}`, () => ({
          connection_id: row.connectionId,
          connection: row.connection,
          project: row.project ?? '',
          environment: row.environment,
        }));
        this.set({ ...labels, status: row.status }, row.count);
      }
    },
  });

  new Counter({
    name: 'hookline_delivery_attempts_total',
    help: 'Delivery attempts by connection, environment and outcome code',
    labelNames: [...targetLabelNames, 'outcome'] as const,
    registers: [deps.registry],
    collect() {
      this.reset();
      for (const stream of streams.values()) {
        for (const [outcome, count] of stream.attempts) {
          this.inc({ ...stream.labels, outcome }, count);
        }
      }
    },
  });

  new Counter({
    name: 'hookline_delivery_dead_letters_total',
    help: 'Deliveries that ended failed (the dead letter): not retryable, out of attempts, or impossible to send',
    labelNames: targetLabelNames,
    registers: [deps.registry],
    collect() {
      this.reset();
      for (const stream of streams.values()) this.inc(stream.labels, stream.deadLetters);
    },
  });

  new Gauge({
    name: 'hookline_delivery_circuit_open',
    help: 'Whether deliveries to a connection in an environment are held by an open circuit (1), probing (0.5) or flowing (0), for every stream this process has sent',
    labelNames: targetLabelNames,
    registers: [deps.registry],
    collect() {
      this.reset();
      for (const stream of streams.values()) {
        const state = deps.circuitState(stream.labels.connection_id, stream.labels.environment);
        this.set(stream.labels, state === 'open' ? 1 : state === 'half_open' ? 0.5 : 0);
      }
    },
  });

  deps.registry.registerMetric(
    bucketHistogram({
      name: 'hookline_delivery_latency_seconds',
      help: 'Time from a delivery being accepted (or replayed) to its successful attempt',
      bounds: latencyBuckets,
      *series() {
        for (const stream of streams.values()) {
          yield { labels: stream.labels, counts: stream.latency.counts, sum: stream.latency.sum };
        }
      },
    }),
  );

  function streamOf(ref: {
    connectionId: string;
    name: string;
    project?: string | null;
    environmentId: string;
  }): StreamCounts {
    const key = `${ref.connectionId}\u0000${ref.environmentId}`;
    let stream = streams.get(key);
    const project = ref.project === undefined ? stream?.labels.project : (ref.project ?? '');
    if (!stream) {
      stream = {
        labels: {
          connection_id: ref.connectionId,
          connection: ref.name,
          project: project ?? '',
          environment: ref.environmentId,
        },
        attempts: new Map(),
        latency: { counts: new Float64Array(latencyBuckets.length + 1), sum: 0 },
        deadLetters: 0,
      };
      streams.set(key, stream);
    } else if (stream.labels.connection !== ref.name || stream.labels.project !== project) {
      stream.labels = { ...stream.labels, connection: ref.name, project: project ?? '' };
    }
    return stream;
  }

  return {
    /**
     * The counts of a deployed target's stream, made when first seen; a rename relabels it.
     * Without a project (a delivery whose connection is gone) the last known one is kept.
     */
    stream: (target: SeriesTarget | Omit<SeriesTarget, 'project'>) => streamOf(target),

    /** One attempt's outcome. */
    attempt(stream: StreamCounts, outcome: OutcomeCode): void {
      stream.attempts.set(outcome, (stream.attempts.get(outcome) ?? 0) + 1);
    },

    /** A delivery succeeded `seconds` after it was accepted (or replayed). */
    succeeded(stream: StreamCounts, seconds: number): void {
      countInBuckets(latencyBuckets, stream.latency, seconds);
    },

    /** A delivery ended failed. */
    deadLetter(stream: StreamCounts): void {
      stream.deadLetters += 1;
    },
  };
}

export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;
