import type { Metric } from 'prom-client';

/** One series of a histogram counted by hand: its labels, its bucket counts and their sum. */
export interface BucketSeries {
  labels: Readonly<Record<string, string>>;
  /** counts per bucket, not cumulative; one more slot than bounds (above every bound) */
  counts: Float64Array;
  sum: number;
}

/** Adds `value` to the bucket it falls in (`le` is "less or equal") and to the sum. */
export function countInBuckets(
  bounds: readonly number[],
  series: { counts: Float64Array; sum: number },
  value: number,
): void {
  let bucket = 0;
  while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket += 1;
  series.counts[bucket] = (series.counts[bucket] as number) + 1;
  series.sum += value;
}

/**
 * A Prometheus histogram read from plain bucket counts at scrape time. prom-client has no
 * public way to set a histogram's buckets, so this is the metric object its registry asks
 * for (`get()` with `_bucket` (cumulative, `le`), `_sum` and `_count` values); the registry
 * does the text exposition and label escaping.
 */
export function bucketHistogram(options: {
  name: string;
  help: string;
  bounds: readonly number[];
  series: () => Iterable<BucketSeries>;
}): Metric {
  const { name, help, bounds } = options;
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
      for (const { labels, counts, sum } of options.series()) {
        let cumulative = 0;
        bounds.forEach((upperBound, index) => {
          cumulative += counts[index] as number;
          values.push({
            value: cumulative,
            labels: { ...labels, le: upperBound },
            metricName: `${name}_bucket`,
          });
        });
        const count = cumulative + (counts[bounds.length] as number);
        values.push(
          { value: count, labels: { ...labels, le: '+Inf' }, metricName: `${name}_bucket` },
          { value: sum, labels: { ...labels }, metricName: `${name}_sum` },
          { value: count, labels: { ...labels }, metricName: `${name}_count` },
        );
      }
      return { name, help, type, aggregator: metric.aggregator, values };
    },
  };
  // the registry only calls name, type and get(); the cast stands for the rest of Metric
  return metric as unknown as Metric;
}
