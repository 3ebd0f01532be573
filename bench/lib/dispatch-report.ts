import type { PairRow } from './dispatch-compare.ts';
import { milliseconds, perSecond } from './report.ts';

/** A throughput ratio with two decimals: 0.85 and 0.8 must read apart. */
export const fineRatio = (value: number) => `${value.toFixed(value < 10 ? 2 : 0)}×`;

/** Signed milliseconds: "+0.21" / "−0.05". */
export const addedMs = (value: number) => `${value < 0 ? '−' : '+'}${Math.abs(value).toFixed(2)}`;

/**
 * One Markdown row per comparison: both sides' throughput and latency, the subject's
 * throughput as a share of the baseline's, and what the subject adds at p50 and p99.
 */
export function formatPairTable(
  rows: readonly PairRow[],
  names: { what: string; subject: string; baseline: string; ratio: string },
): string {
  const withCpu = rows.every((row) => row.cpuUsPerCall !== undefined);
  const lines = [
    `| ${names.what} | Conc. | Requests each | ${names.subject} req/s | p50 ms | p99 ms | ${names.baseline} req/s | p50 ms | p99 ms | ${names.ratio} | Added p50 ms | Added p99 ms |` +
      (withCpu ? ` ${names.subject} CPU µs/call | ${names.baseline} CPU µs/call |` : ''),
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |' +
      (withCpu ? ' --: | --: |' : ''),
  ];
  for (const row of rows) {
    const s = row.subject;
    const b = row.baseline;
    const cpu = row.cpuUsPerCall;
    lines.push(
      `| ${row.label} | ${row.concurrency} | ${s.requests.toLocaleString('en')} | ${perSecond(s.perSecond)} | ${milliseconds(s.p50Ms)} | ${milliseconds(s.p99Ms)} | ` +
        `${perSecond(b.perSecond)} | ${milliseconds(b.p50Ms)} | ${milliseconds(b.p99Ms)} | ` +
        `${fineRatio(s.perSecond / b.perSecond)} | ${addedMs(s.p50Ms - b.p50Ms)} | ${addedMs(s.p99Ms - b.p99Ms)} |` +
        (withCpu && cpu ? ` ${cpu.subject.toFixed(0)} | ${cpu.baseline.toFixed(0)} |` : ''),
    );
  }
  return lines.join('\n');
}

/** A goal line: "met" or "MISSED" with the figure that decided it. */
export function formatGoal(what: string, met: boolean, figure: string): string {
  return `- ${what}: **${met ? 'met' : 'MISSED'}** (${figure})`;
}
