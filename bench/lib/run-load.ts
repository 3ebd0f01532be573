import { performance } from 'node:perf_hooks';

export interface LoadResult {
  requests: number;
  concurrency: number;
  elapsedMs: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sortedMs: readonly number[], fraction: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const rank = Math.min(sortedMs.length, Math.max(1, Math.ceil(fraction * sortedMs.length)));
  return sortedMs[rank - 1]!;
}

/** What one run of `runLoad` saw: every latency, and how long the whole run took. */
export interface LoadSample {
  concurrency: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/**
 * Sends `requests` calls with at most `concurrency` in flight (closed loop: each of the
 * `concurrency` lanes sends its next call when the previous one answered) and times each
 * call from send to the last byte of its answer. `send(i)` throws on a wrong answer, which
 * stops the run: a benchmark that times errors measures nothing.
 */
export async function runLoad(options: {
  requests: number;
  concurrency: number;
  send: (index: number) => Promise<void>;
}): Promise<LoadSample> {
  const { requests, concurrency, send } = options;
  const latenciesMs: number[] = new Array(requests);
  let next = 0;
  const lane = async () => {
    while (next < requests) {
      const index = next++;
      const startedAt = performance.now();
      await send(index);
      latenciesMs[index] = performance.now() - startedAt;
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, requests) }, lane));
  return { concurrency, elapsedMs: performance.now() - startedAt, latenciesMs };
}

/** One figure from several runs of the same measurement (the rounds of an interleaved run). */
export function summarize(samples: readonly LoadSample[]): LoadResult {
  const sorted = samples.flatMap((sample) => sample.latenciesMs).sort((a, b) => a - b);
  const elapsedMs = samples.reduce((sum, sample) => sum + sample.elapsedMs, 0);
  return {
    requests: sorted.length,
    concurrency: samples[0]?.concurrency ?? 0,
    elapsedMs,
    perSecond: (sorted.length / elapsedMs) * 1000,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
  };
}

/** Repeatable "random" picks (mulberry32): both targets get the same sequence. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
