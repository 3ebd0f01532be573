/**
 * The time ranges of GET /connections/{id}/metrics and how minutes fold into their points:
 * 1 h → 60 one-minute points, 24 h → 96 fifteen-minute points, 7 d → 168 one-hour points.
 * Points are aligned to whole steps in UTC (a 15-minute point starts at :00, :15, :30 or :45)
 * and the last one holds `now`; percentiles come from the summed histograms of a point's
 * minutes, never from averaging the minutes' percentiles.
 */
import {
  latencyBucketCount,
  latencyPercentiles,
  type LatencyPercentiles,
} from '../../dispatch/engine/index.ts';
import {
  metricRangeStepMinutes,
  metricRanges,
  type MetricRange,
} from '../../contracts/metric-ranges.ts';

const minuteMs = 60_000;

/** A range's step and number of points. */
export const rangeSteps: Readonly<Record<MetricRange, { stepMinutes: number; points: number }>> = {
  '1h': { stepMinutes: metricRangeStepMinutes['1h'], points: 60 },
  '24h': { stepMinutes: metricRangeStepMinutes['24h'], points: 96 },
  '7d': { stepMinutes: metricRangeStepMinutes['7d'], points: 168 },
};

export { metricRanges, type MetricRange };

/** One minute of one environment, with its histogram as counts per bucket. */
export interface MinuteCounts {
  environment: string;
  startMs: number;
  total: number;
  failures: number;
  buckets: ArrayLike<number>;
}

export interface RangePoint {
  /** the point's start, ISO-8601 UTC */
  minute: string;
  total: number;
  failures: number;
  latencyMs: LatencyPercentiles | null;
}

/** The window a range covers at `nowMs`: [fromMs, toMs), whole steps, the last holding now. */
export function rangeWindow(range: MetricRange, nowMs: number): { fromMs: number; toMs: number } {
  const { stepMinutes, points } = rangeSteps[range];
  const stepMs = stepMinutes * minuteMs;
  const toMs = nowMs - (nowMs % stepMs) + stepMs;
  return { fromMs: toMs - points * stepMs, toMs };
}

/** Encodes counts per bucket as the stored "bucket:count" pairs (zero buckets left out). */
export function encodeBuckets(buckets: ArrayLike<number>): string {
  const pairs: string[] = [];
  for (let i = 0; i < buckets.length; i += 1) {
    const count = buckets[i] ?? 0;
    if (count > 0) pairs.push(`${i}:${count}`);
  }
  return pairs.join(',');
}

/** Decodes stored pairs, summing a bucket that repeats; unknown or malformed pairs are skipped. */
export function decodeBuckets(text: string): Uint32Array {
  const buckets = new Uint32Array(latencyBucketCount);
  for (const pair of text.split(',')) {
    const colon = pair.indexOf(':');
    if (colon <= 0) continue;
    const bucket = Number(pair.slice(0, colon));
    const count = Number(pair.slice(colon + 1));
    if (!Number.isInteger(bucket) || bucket < 0 || bucket >= latencyBucketCount) continue;
    if (!Number.isFinite(count) || count <= 0) continue;
    buckets[bucket] = (buckets[bucket] as number) + count;
  }
  return buckets;
}

/**
 * Folds minutes into the range's points, per environment (every environment that has a
 * minute in the window), oldest first, quiet points as zeros. Minutes outside the window are
 * ignored.
 */
export function foldMinutes(
  range: MetricRange,
  nowMs: number,
  minutes: Iterable<MinuteCounts>,
): Map<string, RangePoint[]> {
  const { stepMinutes, points } = rangeSteps[range];
  const stepMs = stepMinutes * minuteMs;
  const { fromMs, toMs } = rangeWindow(range, nowMs);
  const sums = new Map<
    string,
    Array<{ total: number; failures: number; buckets: Uint32Array } | undefined>
  >();
  for (const minute of minutes) {
    if (minute.startMs < fromMs || minute.startMs >= toMs) continue;
    let slots = sums.get(minute.environment);
    if (!slots) {
      slots = new Array(points);
      sums.set(minute.environment, slots);
    }
    const index = Math.floor((minute.startMs - fromMs) / stepMs);
    let slot = slots[index];
    if (!slot) {
      slot = { total: 0, failures: 0, buckets: new Uint32Array(latencyBucketCount) };
      slots[index] = slot;
    }
    slot.total += minute.total;
    slot.failures += minute.failures;
    for (let i = 0; i < latencyBucketCount; i += 1) {
      slot.buckets[i] = (slot.buckets[i] as number) + (minute.buckets[i] ?? 0);
    }
  }
  const out = new Map<string, RangePoint[]>();
  for (const [environment, slots] of sums) {
    const series: RangePoint[] = [];
    for (let index = 0; index < points; index += 1) {
      const slot = slots[index];
      series.push({
        minute: new Date(fromMs + index * stepMs).toISOString(),
        total: slot?.total ?? 0,
        failures: slot?.failures ?? 0,
        latencyMs: slot ? latencyPercentiles(slot.buckets, slot.total) : null,
      });
    }
    out.set(environment, series);
  }
  return out;
}

/** The zero series of a range, for an environment with nothing in the window. */
export function quietPoints(range: MetricRange, nowMs: number): RangePoint[] {
  const { stepMinutes, points } = rangeSteps[range];
  const { fromMs } = rangeWindow(range, nowMs);
  return Array.from({ length: points }, (_, index) => ({
    minute: new Date(fromMs + index * stepMinutes * minuteMs).toISOString(),
    total: 0,
    failures: 0,
    latencyMs: null,
  }));
}
