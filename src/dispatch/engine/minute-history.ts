/**
 * The last hour of one target, minute by minute: calls, failures and latency percentiles, for
 * the console's "over time" charts. Latency is kept as a histogram of 64 log-spaced buckets per
 * minute (0.5 ms × 1.2^i, up to ~48 s, and one above): 260 bytes a minute, ~16 KB an hour per
 * target, and a percentile within 20 % of the true one — enough for a chart; the exact recent
 * percentiles stay those of the latency window.
 *
 * What has been written to the store is remembered per minute (`flushed*`), so a background
 * flush sends only what came since (`unflushed`, then `markFlushed` once the write committed)
 * and a reader adds to the stored minutes exactly what is not stored yet. The try itself
 * (`add`) does no more than before: the bookkeeping is the flush's, every 15 s.
 */
import {
  latencyBucketCount,
  latencyBucketOf,
  latencyPercentiles,
  type LatencyPercentiles,
} from './latency-buckets.ts';

const minuteMs = 60_000;

export interface MinutePoint {
  /** the minute's start, ISO-8601 UTC */
  minute: string;
  total: number;
  failures: number;
  /** null in a minute without calls */
  latencyMs: LatencyPercentiles | null;
}

/** What one minute gained since it was last flushed. */
export interface MinuteDelta {
  startMs: number;
  total: number;
  failures: number;
  /** calls per latency bucket (latencyBucketCount of them) */
  buckets: Uint32Array;
}

interface MinuteSlot {
  startMs: number;
  total: number;
  failures: number;
  /** calls per latency bucket; the last one is above every bound */
  buckets: Uint32Array;
  flushedTotal: number;
  flushedFailures: number;
  /** made at the slot's first flush: the hot path never allocates it */
  flushedBuckets: Uint32Array | undefined;
}

export function createMinuteHistory(minutes = 60) {
  const slots: Array<MinuteSlot | undefined> = new Array(minutes);

  const slotAt = (startMs: number): MinuteSlot | undefined => {
    const slot = slots[Math.floor(startMs / minuteMs) % minutes];
    return slot && slot.startMs === startMs ? slot : undefined;
  };

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
          buckets: new Uint32Array(latencyBucketCount),
          flushedTotal: 0,
          flushedFailures: 0,
          flushedBuckets: undefined,
        };
        slot.startMs = startMs;
        slot.total = 0;
        slot.failures = 0;
        slot.buckets.fill(0);
        slot.flushedTotal = 0;
        slot.flushedFailures = 0;
        slot.flushedBuckets?.fill(0);
        slots[index] = slot;
      }
      slot.total += 1;
      if (!ok) slot.failures += 1;
      const bucket = latencyBucketOf(durationMs);
      slot.buckets[bucket] = (slot.buckets[bucket] as number) + 1;
    },

    /** Every minute of the last hour up to `nowMs`, oldest first; quiet minutes as zeros. */
    points(nowMs: number): MinutePoint[] {
      const currentStart = nowMs - (nowMs % minuteMs);
      const out: MinutePoint[] = [];
      for (let back = minutes - 1; back >= 0; back -= 1) {
        const startMs = currentStart - back * minuteMs;
        const slot = slotAt(startMs);
        const live = slot && slot.total > 0 ? slot : undefined;
        out.push({
          minute: new Date(startMs).toISOString(),
          total: live?.total ?? 0,
          failures: live?.failures ?? 0,
          latencyMs: live ? latencyPercentiles(live.buckets, live.total) : null,
        });
      }
      return out;
    },

    /** What each minute gained since its last flush (minutes with nothing new are left out). */
    unflushed(): MinuteDelta[] {
      const out: MinuteDelta[] = [];
      for (const slot of slots) {
        if (!slot || slot.total === slot.flushedTotal) continue;
        const buckets = new Uint32Array(latencyBucketCount);
        for (let i = 0; i < latencyBucketCount; i += 1) {
          buckets[i] = (slot.buckets[i] as number) - (slot.flushedBuckets?.[i] ?? 0);
        }
        out.push({
          startMs: slot.startMs,
          total: slot.total - slot.flushedTotal,
          failures: slot.failures - slot.flushedFailures,
          buckets,
        });
      }
      return out;
    },

    /**
     * A delta from `unflushed` is in the store now. Ignored when its minute's slot was reused
     * meanwhile (the slot's counts started again from zero).
     */
    markFlushed(delta: MinuteDelta): void {
      const slot = slotAt(delta.startMs);
      if (!slot) return;
      slot.flushedTotal += delta.total;
      slot.flushedFailures += delta.failures;
      slot.flushedBuckets ??= new Uint32Array(latencyBucketCount);
      for (let i = 0; i < latencyBucketCount; i += 1) {
        slot.flushedBuckets[i] = (slot.flushedBuckets[i] as number) + (delta.buckets[i] as number);
      }
    },
  };
}

export type MinuteHistory = ReturnType<typeof createMinuteHistory>;
