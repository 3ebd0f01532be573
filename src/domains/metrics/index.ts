/** Metrics: a connection's calls over time, stored per minute so that they survive a restart. */
export {
  /**
   * Creates the service: `connectionMetrics()` for GET /connections/{id}/metrics, `start()`
   * to flush the in-memory minutes every 15 s (`hookline serve`), `stop()` to flush the rest
   * before the store closes, `prune()` for the retention sweep.
   */
  createMetricsService,
  defaultMetricsOptions,
  type MetricsOptions,
  type MetricsService,
  type MetricsServiceDeps,
  type MetricsSource,
} from './metrics.service.ts';
export {
  /** 1h / 24h / 7d: step and points of each range */
  rangeSteps,
  type MetricRange,
} from './metric-range.ts';
