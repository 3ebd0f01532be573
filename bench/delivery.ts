/**
 * Durable delivery benchmark (issue "durable delivery"), on the embedded store (a SQLite file,
 * WAL, synchronous=FULL: an accepted delivery survives a power cut):
 *
 *   - accepted per second through the single and the batch API (the worker stopped, so the
 *     accepts are measured alone), next to the disk's floor for one durable commit;
 *   - delivered per second: the worker started on the queue those accepts left, to a local
 *     target in a separate process (nginx when installed);
 *   - p50/p99 from accept to arrival at the target when idle (one at a time);
 *   - the server's RSS.
 * Goals on these 2-core machines: ≥ 5,000 accepted/s through the batch API, ≥ 2,000
 * delivered/s, p99 accept→delivery ≤ 20 ms at low load.
 *
 *   npm run bench:delivery              the full run (about a minute)
 *   npm run bench:delivery -- --quick   a smoke run of the harness; do not quote it
 *
 * Prints a Markdown report to paste into bench/RESULTS.md (progress goes to stderr).
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { runAcceptLoadInChild } from './lib/delivery-load.ts';
import { startLocalTarget, type LocalTarget } from './lib/dispatch-target.ts';
import { createHttpClient, type HttpClient } from './lib/http-client.ts';
import { mebibytes, milliseconds, perSecond } from './lib/report.ts';
import { percentile, type LoadResult } from './lib/run-load.ts';
import { measureSqliteCommitFloor } from './lib/sqlite-commit-floor.ts';
import { startHookline } from './lib/start-hookline.ts';

const quick = process.argv.includes('--quick');
const plan = quick
  ? { single: 500, singleConcurrency: 16, batches: 4, batchSize: 1000, idle: 30, floor: 200 }
  : { single: 5000, singleConcurrency: 16, batches: 30, batchSize: 1000, idle: 300, floor: 1000 };

const log = (message: string) => process.stderr.write(`${message}\n`);

/** A forced full GC, so "live heap" is what the server keeps, not garbage awaiting collection. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const goal = (what: string, met: boolean, figure: string) =>
  `- ${what}: **${met ? 'met' : 'MISSED'}** (${figure})`;

async function must(client: HttpClient, method: string, path: string, body?: unknown) {
  const answer = await client.request(method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  return JSON.parse(answer.text) as { id: string };
}

/** A connection to `origin` (…/hooks/{{param.n}}, standard-webhooks signing), deployed. */
async function deployedConnection(client: HttpClient, name: string, origin: string) {
  const created = await must(client, 'POST', '/api/v1/connections', {
    name,
    environments: {
      development: {
        method: 'POST',
        url: `${origin}/hooks/{{param.n}}`,
        headers: [{ name: 'Content-Type', value: 'application/json' }],
        signing: { scheme: 'standard-webhooks', secret: '{{secret.BENCH_SIGNING}}' },
      },
    },
  });
  await must(client, 'POST', `/api/v1/connections/${created.id}/deploy`, {
    environment: 'development',
  });
  return created.id;
}

/** Deliveries by status, straight from the store (the API pages 500 at a time). */
async function countByStatus(
  db: Awaited<ReturnType<typeof startHookline>>['services']['store']['db'],
): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('deliveries')
    .select(['status', sql<number>`count(*)`.as('count')])
    .groupBy('status')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-delivery-'));
  let target: LocalTarget | undefined;
  process.once('exit', () => target?.killNow());
  try {
    log('measuring the SQLite commit floor…');
    const floor = measureSqliteCommitFloor(join(dir, 'floor.sqlite'), plan.floor);
    log('starting the target and Hookline…');
    target = await startLocalTarget(dir);
    const hookline = await startHookline(join(dir, 'data'));
    const { services } = hookline;
    const client = createHttpClient({
      baseUrl: hookline.url,
      maxSockets: 4,
      headers: { authorization: `Bearer ${hookline.token}` },
    });
    try {
      await must(client, 'POST', '/api/v1/secrets', {
        name: 'BENCH_SIGNING',
        value: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      });
      const throughputConnection = await deployedConnection(
        client,
        'bench-delivery',
        target.httpOrigin,
      );

      // 1. accepts alone: the worker is not running yet
      log(`single accepts: ${plan.single} at ${plan.singleConcurrency} at once…`);
      const single = await runAcceptLoadInChild({
        url: hookline.url,
        token: hookline.token,
        connectionId: throughputConnection,
        mode: 'single',
        requests: plan.single,
        concurrency: plan.singleConcurrency,
        batchSize: 1,
        firstNumber: 0,
      });
      log(`batch accepts: ${plan.batches} × ${plan.batchSize}…`);
      const batch = await runAcceptLoadInChild({
        url: hookline.url,
        token: hookline.token,
        connectionId: throughputConnection,
        mode: 'batch',
        requests: plan.batches,
        concurrency: 2,
        batchSize: plan.batchSize,
        firstNumber: plan.single,
      });
      const queued = plan.single + plan.batches * plan.batchSize;

      // 2. the worker on that queue
      log(`delivering ${queued} queued deliveries…`);
      const deliverStartedAt = performance.now();
      services.deliveryWorker.start();
      let counts: Record<string, number> = {};
      for (;;) {
        counts = await countByStatus(services.store.db);
        const finished = (counts.succeeded ?? 0) + (counts.failed ?? 0);
        if (finished >= queued) break;
        if (performance.now() - deliverStartedAt > 300_000) {
          throw new Error(`still delivering after 5 minutes: ${JSON.stringify(counts)}`);
        }
        await sleep(50);
      }
      const deliverSeconds = (performance.now() - deliverStartedAt) / 1000;
      if ((counts.failed ?? 0) > 0) throw new Error(`${counts.failed} deliveries failed`);

      // 3. idle: one at a time, from the accept's send to the arrival at the target
      log(`accept → delivery when idle: ${plan.idle} deliveries, one at a time…`);
      const arrivedAt = new Map<number, number>();
      const timingTarget = createServer((request, response) => {
        arrivedAt.set(Number(request.url?.split('/').pop()), performance.now());
        request.resume();
        request.on('end', () => response.writeHead(200).end());
      });
      timingTarget.listen(0, '127.0.0.1');
      await once(timingTarget, 'listening');
      const address = timingTarget.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const idleConnection = await deployedConnection(
        client,
        'bench-delivery-idle',
        `http://127.0.0.1:${port}`,
      );
      const latenciesMs: number[] = [];
      for (let n = 0; n < plan.idle; n++) {
        const sentAt = performance.now();
        await must(client, 'POST', `/api/v1/connections/${idleConnection}/deliveries`, {
          environment: 'development',
          body: { n },
          params: { n },
        });
        while (!arrivedAt.has(n)) await sleep(1);
        latenciesMs.push((arrivedAt.get(n) as number) - sentAt);
        await sleep(10);
      }
      timingTarget.close();
      latenciesMs.sort((a, b) => a - b);
      const idle = { p50: percentile(latenciesMs, 0.5), p99: percentile(latenciesMs, 0.99) };

      const rss = process.memoryUsage().rss;
      collectGarbage();
      const liveHeap = process.memoryUsage().heapUsed;
      const peakRss = process.resourceUsage().maxRSS * 1024;
      const acceptedPerSecond = (result: LoadResult, perCall: number) => result.perSecond * perCall;
      const batchAccepted = acceptedPerSecond(batch, plan.batchSize);
      const delivered = queued / deliverSeconds;
      const cpu = cpus();
      const report = [
        `## Durable delivery${quick ? ' — quick run, do not quote' : ''}`,
        '',
        `- Date: ${new Date().toISOString()}`,
        `- Command: \`npm run bench:delivery${quick ? ' -- --quick' : ''}\``,
        `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${mebibytes(totalmem())} memory, ${platform()} ${release()}; load average before the run ${loadBefore.map((value) => value.toFixed(2)).join(' / ')}`,
        `- Node ${process.version}; store: SQLite file, WAL, synchronous=FULL (every acknowledged accept survives a power cut); target: ${target.description}`,
        `- The disk's floor for one durable commit (node:sqlite, one small insert per transaction): ${perSecond(floor.perSecond)} commits/s, p50 ${milliseconds(floor.p50Ms)} ms`,
        '',
        '| Measure | Calls | Conc. | Calls/s | Deliveries/s | p50 ms | p99 ms |',
        '| --- | --: | --: | --: | --: | --: | --: |',
        `| Accept, single | ${single.requests.toLocaleString('en')} | ${single.concurrency} | ${perSecond(single.perSecond)} | ${perSecond(single.perSecond)} | ${milliseconds(single.p50Ms)} | ${milliseconds(single.p99Ms)} |`,
        `| Accept, batch of ${plan.batchSize} | ${batch.requests} | ${batch.concurrency} | ${perSecond(batch.perSecond)} | ${perSecond(batchAccepted)} | ${milliseconds(batch.p50Ms)} | ${milliseconds(batch.p99Ms)} |`,
        `| Delivered (worker on a queue of ${queued.toLocaleString('en')}) | — | — | — | ${perSecond(delivered)} | — | — |`,
        `| Accept → arrival at the target, idle (${plan.idle}, one at a time) | — | 1 | — | — | ${milliseconds(idle.p50)} | ${milliseconds(idle.p99)} |`,
        '',
        `- Server RSS after the run: ${mebibytes(rss)} (peak ${mebibytes(peakRss)}); live heap after a full GC ${mebibytes(liveHeap)}; ${queued.toLocaleString('en')} deliveries and their attempts in the store`,
        '',
        goal(
          '≥ 5,000 accepted/s through the batch API',
          batchAccepted >= 5000,
          perSecond(batchAccepted),
        ),
        goal('≥ 2,000 delivered/s', delivered >= 2000, perSecond(delivered)),
        goal(
          'p99 accept → delivery ≤ 20 ms at low load',
          idle.p99 <= 20,
          `${milliseconds(idle.p99)} ms`,
        ),
        '',
        `- Whole run: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
      ];
      process.stdout.write(`${report.join('\n')}\n`);
    } finally {
      client.close();
      await hookline.close();
    }
  } finally {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
