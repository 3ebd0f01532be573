/**
 * The last hour of one target, minute by minute: calls, failures and latency percentiles, for
 * the console's "over time" charts. Latency is kept as a histogram of 64 log-spaced buckets per
 * minute (0.5 ms × 1.2^i, up to ~48 s, and one above): 260 bytes a minute, ~16 KB an hour per
 * target, and a percentile within 20 % of the true one — enough for a chart; the exact recent
 * percentiles stay those of the latency window.
 */
const bucketCount = 64;
const firstBoundMs = 0.5;
const growth = 1.2;
const logGrowth = Math.log(growth);
const minuteMs = 60_000;

export interface MinutePoint {
  /** the minute's start, ISO-8601 UTC */
  minute: string;
  total: number;
  failures: number;
  /** null in a minute without calls */
  latencyMs: { p50: number; p95: number; p99: number } | null;
}

interface MinuteSlot {
  startMs: number;
  total: number;
  failures: number;
  /** calls per latency bucket; the last one is above every bound */
  buckets: Uint32Array;
}

function bucketOf(ms: number): number {
  if (ms <= firstBoundMs) return 0;
  const index = Math.ceil(Math.log(ms / firstBoundMs) / logGrowth);
  return Math.min(index, bucketCount);
}

function upperBoundMs(bucket: number): number {
  return firstBoundMs * growth ** bucket;
}

function percentile(slot: MinuteSlot, p: number): number {
  const rank = Math.max(1, Math.ceil(p * slot.total));
  let seen = 0;
  for (let bucket = 0; bucket <= bucketCount; bucket += 1) {
    seen += slot.buckets[bucket] as number;
    // the bucket's upper bound, rounded to what a chart shows
    if (seen >= rank) return Math.round(upperBoundMs(bucket) * 100) / 100;
  }
  return Math.round(upperBoundMs(bucketCount) * 100) / 100;
}

export function createMinuteHistory(minutes = 60) {
  const slots: Array<MinuteSlot | undefined> = new Array(minutes);

  return {
    add(nowMs: number, ok: boolean, durationMs: number): void {
      const startMs = nowMs - (nowMs % minuteMs);
      const index = Math.floor(startMs / minuteMs) % minutes;
      let slot = slots[index];
      if (!slot || slot.startMs !== startMs) {
        slot = slot ?? {
          startMs,
          total: 0,
          failures: 0,
          buckets: new Uint32Array(bucketCount + 1),
        };
        slot.startMs = startMs;
        slot.total = 0;
        slot.failures = 0;
        slot.buckets.fill(0);
        slots[index] = slot;
      }
      slot.total += 1;
      if (!ok) slot.failures += 1;
      const bucket = bucketOf(durationMs);
      slot.buckets[bucket] = (slot.buckets[bucket] as number) + 1;
    },

    /** Every minute of the last hour up to `nowMs`, oldest first; quiet minutes as zeros. */
    points(nowMs: number): MinutePoint[] {
      const currentStart = nowMs - (nowMs % minuteMs);
      const out: MinutePoint[] = [];
      for (let back = minutes - 1; back >= 0; back -= 1) {
        const startMs = currentStart - back * minuteMs;
        const slot = slots[Math.floor(startMs / minuteMs) % minutes];
        const live = slot && slot.startMs === startMs && slot.total > 0 ? slot : undefined;
        out.push({
          minute: new Date(startMs).toISOString(),
          total: live?.total ?? 0,
          failures: live?.failures ?? 0,
          latencyMs: live
            ? {
                p50: percentile(live, 0.5),
                p95: percentile(live, 0.95),
                p99: percentile(live, 0.99),
              }
            : null,
        });
      }
      return out;
    },
  };
}

export type MinuteHistory = ReturnType<typeof createMinuteHistory>;
