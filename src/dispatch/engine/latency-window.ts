/**
 * The last `capacity` latencies of one (connection, environment), for p50/p95/p99 that
 * describe recent traffic exactly (a Prometheus histogram's buckets only bound them).
 * 1,024 samples × 8 bytes per series: small enough to keep for every pool.
 */
export function createLatencyWindow(capacity = 1024) {
  const samples = new Float64Array(capacity);
  let count = 0;
  let next = 0;
  return {
    add(ms: number): void {
      samples[next] = ms;
      next = (next + 1) % capacity;
      if (count < capacity) count += 1;
    },
    /** nearest-rank percentiles over the window; null when empty */
    percentiles(): { p50: number; p95: number; p99: number } | null {
      if (count === 0) return null;
      const sorted = samples.slice(0, count).sort();
      const rank = (p: number) => sorted[Math.min(count - 1, Math.ceil(p * count) - 1)] as number;
      return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99) };
    },
    get count(): number {
      return count;
    },
  };
}

export type LatencyWindow = ReturnType<typeof createLatencyWindow>;
