/**
 * Management API benchmark: create / get / list latency and throughput of the real API over
 * the embedded store (a SQLite file), against a same-run baseline that does the same HTTP and
 * JSON work without Hookline's logic, so every figure comes with its ratio.
 *
 *   npm run bench:api              10,000 connections × 3 environments (under 2 minutes)
 *   npm run bench:api -- --quick   1,000 connections, fewer requests (a smoke run)
 *
 * Prints a Markdown report to paste into bench/RESULTS.md (progress goes to stderr).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { WorkloadPlan } from './lib/api-workload.ts';
import { formatComparison, mebibytes, milliseconds, perSecond, ratio } from './lib/report.ts';
import { measureSqliteCommitFloor } from './lib/sqlite-commit-floor.ts';
import { startBaseline } from './lib/start-baseline.ts';
import { startHookline } from './lib/start-hookline.ts';
import { runWorkloadInChild } from './lib/workload-process.ts';

const quick = process.argv.includes('--quick');
// Full: the "Foundation" issue's scale (10,000 connections); the request counts keep the
// whole run under 2 minutes on a 2-core machine. --quick checks the harness; do not quote it.
const plan: WorkloadPlan = quick
  ? { connections: 1_000, getRequests: 1_000, listRequests: 100, concurrency: 16, rounds: 4 }
  : { connections: 10_000, getRequests: 5_000, listRequests: 1_000, concurrency: 16, rounds: 10 };
const floorCommits = quick ? 200 : 1_000;

/** A forced full GC, so "live heap" is what the server keeps, not garbage awaiting collection. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-'));
  const log = (message: string) => process.stderr.write(`${message}\n`);
  try {
    log('measuring the SQLite commit floor…');
    const floorBefore = measureSqliteCommitFloor(join(dir, 'floor-before.sqlite'), floorCommits);

    const hookline = await startHookline(join(dir, 'data'));
    const baseline = await startBaseline();
    const rssAtStart = process.memoryUsage().rss;
    let rows;
    let memory;
    try {
      log(`Hookline and baseline, ${plan.connections} connections each…`);
      rows = await runWorkloadInChild({ hookline, baseline }, plan);
      memory = process.memoryUsage();
    } finally {
      await baseline.close();
    }
    collectGarbage();
    const liveHeap = process.memoryUsage().heapUsed;
    const fileBytes = sizeOf(hookline.file);
    const walBytes = sizeOf(`${hookline.file}-wal`);
    await hookline.close();
    // again after: on a shared disk the fsync time drifts, and creates ride on it
    const floorAfter = measureSqliteCommitFloor(join(dir, 'floor-after.sqlite'), floorCommits);

    const create = rows.hookline.find((row) => row.key === 'create')!.result;
    const cpu = cpus();
    const report = [
      `## Management API on the embedded store (SQLite)${quick ? ' — quick run, do not quote' : ''}`,
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Command: \`npm run bench:api${quick ? ' -- --quick' : ''}\``,
      `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${mebibytes(totalmem())} memory, ${platform()} ${release()}`,
      `- Node: ${process.version}`,
      `- Workload: ${plan.connections.toLocaleString('en')} connections × 3 environments (POST, https URL with \`{{param.id}}\`, 2 headers incl. \`Authorization: Bearer {{secret.TOKEN}}\`), created at concurrency ${plan.concurrency}, then read and listed at concurrency 1 and ${plan.concurrency}; keep-alive HTTP from a child process; each figure gathered over ${plan.rounds} rounds alternating Hookline and the baseline`,
      '- Baseline: a bare Fastify app in the same process serving the same routes with the same JSON from in-memory Maps (no validation, auth, store, audit or revision). Cost × = how many times better the baseline did.',
      '',
      formatComparison(rows.hookline, rows.baseline),
      '',
      `- SQLite commit floor (node:sqlite, WAL, synchronous=FULL, one 1.5 KB insert per transaction, ${floorCommits.toLocaleString('en')} commits, before / after the load): ${perSecond(floorBefore.perSecond)} / ${perSecond(floorAfter.perSecond)} commits/s, p50 ${milliseconds(floorBefore.p50Ms)} / ${milliseconds(floorAfter.p50Ms)} ms, p99 ${milliseconds(floorBefore.p99Ms)} / ${milliseconds(floorAfter.p99Ms)} ms. Hookline completed a create every ${milliseconds(1000 / create.perSecond)} ms: ${ratio((2 * 1000) / create.perSecond / (1000 / floorBefore.perSecond + 1000 / floorAfter.perSecond))} the mean time of a bare commit.`,
      `- Memory: RSS ${mebibytes(rssAtStart)} once both servers started, ${mebibytes(memory.rss)} after the load (heap ${mebibytes(memory.heapUsed)} used of ${mebibytes(memory.heapTotal)}); Hookline's live heap after a forced GC, baseline closed: ${mebibytes(liveHeap)}`,
      `- SQLite after the load: file ${mebibytes(fileBytes)} + WAL ${mebibytes(walBytes)}`,
      `- Whole run: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
    ];
    process.stdout.write(`${report.join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
