import type { WorkloadRow } from './api-workload.ts';
import type { LoadResult } from './run-load.ts';

const fixed = (value: number, digits: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const perSecond = (value: number) => fixed(value, value < 100 ? 1 : 0);
export const milliseconds = (value: number) => fixed(value, value < 10 ? 2 : 1);
export const ratio = (value: number) => `${fixed(value, value < 10 ? 1 : 0)}×`;
export const mebibytes = (bytes: number) => `${fixed(bytes / 1024 / 1024, 1)} MiB`;

/**
 * One Markdown row per operation and concurrency: Hookline's figures, the baseline's, and the
 * ratios — how many times the baseline's throughput and Hookline's median latency.
 */
export function formatComparison(
  hookline: readonly WorkloadRow[],
  baseline: readonly WorkloadRow[],
): string {
  const lines = [
    '| Operation | Conc. | Requests | Hookline req/s | p50 ms | p95 ms | p99 ms | Baseline req/s | Baseline p50 ms | Cost × (req/s) | Cost × (p50) |',
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  ];
  for (const row of hookline) {
    const base = baseline.find((candidate) => candidate.key === row.key)?.result;
    const r: LoadResult = row.result;
    lines.push(
      `| ${row.operation} | ${r.concurrency} | ${r.requests.toLocaleString('en')} | ${perSecond(r.perSecond)} | ${milliseconds(r.p50Ms)} | ${milliseconds(r.p95Ms)} | ${milliseconds(r.p99Ms)} | ` +
        (base
          ? `${perSecond(base.perSecond)} | ${milliseconds(base.p50Ms)} | ${ratio(base.perSecond / r.perSecond)} | ${ratio(r.p50Ms / base.p50Ms)} |`
          : 'n/a | n/a | n/a | n/a |'),
    );
  }
  return lines.join('\n');
}
