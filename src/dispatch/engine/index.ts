/** The dispatch engine: the one way Hookline makes an outbound call (DESIGN §2). */
export {
  createDispatchEngine,
  defaultEngineOptions,
  type CallInput,
  type CallResult,
  type DeployedTarget,
  type DispatchEngine,
  type EngineOptions,
  type FailureEvent,
  type TargetSources,
  type TlsMaterial,
} from './dispatch-engine.ts';
export {
  targetLabelNames,
  type ConnectionMetrics,
  type Health,
  type HealthRow,
  type SeriesTarget,
  type TargetLabels,
  type UnflushedMinutes,
} from './dispatch-metrics.ts';
export { type MinuteDelta } from './minute-history.ts';
export {
  latencyBucketCount,
  latencyPercentiles,
  type LatencyPercentiles,
} from './latency-buckets.ts';
export { bucketHistogram, countInBuckets, type BucketSeries } from './bucket-histogram.ts';
