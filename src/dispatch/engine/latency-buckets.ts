/**
 * The latency histogram of the per-minute metrics: 64 log-spaced buckets (0.5 ms × 1.2^i, up
 * to ~48 s) and one above them. A percentile read from it is the bucket's upper bound, within
 * 20 % of the true one. The stored minutes (metric_minutes.latency_buckets) use these indexes:
 * changing the bounds would misread every stored row.
 */
export const latencyBucketCount = 65;
const boundedBuckets = latencyBucketCount - 1;
const firstBoundMs = 0.5;
const growth = 1.2;
const logGrowth = Math.log(growth);

export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** The bucket a call of `ms` falls in. */
export function latencyBucketOf(ms: number): number {
  if (ms <= firstBoundMs) return 0;
  const index = Math.ceil(Math.log(ms / firstBoundMs) / logGrowth);
  return Math.min(index, boundedBuckets);
}

function upperBoundMs(bucket: number): number {
  // rounded to what a chart shows
  return Math.round(firstBoundMs * growth ** bucket * 100) / 100;
}

function percentile(buckets: ArrayLike<number>, total: number, p: number): number {
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let bucket = 0; bucket < latencyBucketCount; bucket += 1) {
    seen += buckets[bucket] ?? 0;
    if (seen >= rank) return upperBoundMs(bucket);
  }
  return upperBoundMs(boundedBuckets);
}

/** p50, p95 and p99 of `total` calls counted in `buckets`; null when there were none. */
export function latencyPercentiles(
  buckets: ArrayLike<number>,
  total: number,
): LatencyPercentiles | null {
  if (total <= 0) return null;
  return {
    p50: percentile(buckets, total, 0.5),
    p95: percentile(buckets, total, 0.95),
    p99: percentile(buckets, total, 0.99),
  };
}
