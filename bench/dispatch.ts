/**
 * Dispatch benchmark (issue "outbound runtime"): every figure is a ratio against a baseline
 * run in the same process and the same run, against a local target in a separate process
 * (nginx when installed — a Node target saturates first and hides the client's cost).
 *
 *   (a) the dispatch engine called as a library vs raw undici `Pool.request` with the same
 *       headers, HTTP and HTTPS, concurrency 1, 16 and 64
 *       (goal: ≥ 0.85× raw throughput at 64, ≤ 1 ms added p99)
 *   (b) `POST /api/v1/connections/{id}/invoke` through the real API vs a minimal Fastify route
 *       that calls undici directly (goal: ≥ 0.8×)
 *   (c) keep-alive vs a new connection per request
 *
 *   npm run bench:dispatch                 the full run (about 2–3 minutes)
 *   npm run bench:dispatch -- --quick      a ~15 s smoke run of the harness; do not quote it
 *   npm run bench:dispatch -- --parts=a    only some parts (a, b, c), e.g. under --cpu-prof
 *   npm run bench:dispatch -- --target=node   the Node fallback target even when nginx is here
 *
 * Prints a Markdown report to paste into bench/RESULTS.md (progress goes to stderr).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { PairPlan, PairRow } from './lib/dispatch-compare.ts';
import { measureKeepAlive } from './lib/dispatch-keep-alive.ts';
import { addedMs, fineRatio, formatGoal, formatPairTable } from './lib/dispatch-report.ts';
import { startLocalTarget, type LocalTarget } from './lib/dispatch-target.ts';
import { mebibytes } from './lib/report.ts';

const quick = process.argv.includes('--quick');
const partsArgument = process.argv.find((arg) => arg.startsWith('--parts='));
const forceNodeTarget = process.argv.includes('--target=node');
const parts = new Set((partsArgument?.slice('--parts='.length) ?? 'a,b,c').split(','));

// Full: counts that keep the whole run under 3 minutes on 2 cores; --quick only checks the
// harness (a few hundred calls per figure are too few for a p99).
const plans = quick
  ? {
      library: { requests: 1_000, rounds: 4, warmUpRequests: 200 },
      api: { requests: 600, rounds: 4, warmUpRequests: 100 },
      keepAlive: { requests: 200, rounds: 2, warmUpRequests: 20 },
      engineTest: { requests: 100, rounds: 2, warmUpRequests: 10 },
    }
  : ({
      library: { requests: 20_000, rounds: 10, warmUpRequests: 2_000 },
      // rounds of 1,000 calls: at ~15,000/s a round of 500 lasted 30 ms, too short to steady
      api: { requests: 12_000, rounds: 12, warmUpRequests: 1_000 },
      keepAlive: { requests: 2_000, rounds: 4, warmUpRequests: 50 },
      engineTest: { requests: 1_000, rounds: 4, warmUpRequests: 20 },
    } satisfies Record<string, PairPlan>);
const libraryConcurrencies = [1, 16, 64];
const apiConcurrencies = [1, 16, 64];
const keepAliveCases = [
  { protocol: 'https', concurrency: 1 },
  { protocol: 'https', concurrency: 16 },
  { protocol: 'http', concurrency: 16 },
] as const;

const log = (message: string) => process.stderr.write(`${message}\n`);
const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

function undiciVersion(): string {
  const file = new URL('../node_modules/undici/package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}

// Loaded when a part runs: a part whose code does not load yet reports "not yet" and the
// others still run.
const loadLibrary = () => import('./lib/dispatch-library.ts');
const loadApi = () => import('./lib/dispatch-api.ts');
const loadApiLoad = () => import('./lib/dispatch-api-load.ts');

/** Part (a) as report lines; "not yet" when the engine does not load. */
async function runLibraryPart(target: LocalTarget): Promise<string[]> {
  let library: Awaited<ReturnType<typeof loadLibrary>>;
  try {
    library = await loadLibrary();
  } catch (error) {
    return [`Not yet: the dispatch engine does not load (${firstLine(error)}).`];
  }
  log('(a) engine vs raw undici…');
  const rows = await library.measureLibrary({
    target,
    protocols: ['http', 'https'],
    concurrencies: libraryConcurrencies,
    plan: plans.library,
  });
  const lines = [
    formatPairTable(rows, {
      what: 'Target',
      subject: 'Engine',
      baseline: 'Raw undici',
      ratio: 'Engine ÷ raw (req/s)',
    }),
    '',
  ];
  for (const row of rows.filter((candidate) => candidate.concurrency === 64)) {
    const share = row.subject.perSecond / row.baseline.perSecond;
    lines.push(
      formatGoal(`${row.label} at 64: ≥ 0.85× raw throughput`, share >= 0.85, fineRatio(share)),
    );
  }
  for (const row of rows) {
    const added = row.subject.p99Ms - row.baseline.p99Ms;
    if (added > 1) {
      lines.push(
        formatGoal(
          `${row.label} at ${row.concurrency}: ≤ 1 ms added p99`,
          false,
          `${addedMs(added)} ms`,
        ),
      );
    }
  }
  const worstAdded = Math.max(...rows.map((row) => row.subject.p99Ms - row.baseline.p99Ms));
  lines.push(
    formatGoal('≤ 1 ms added p99, every row', worstAdded <= 1, `worst ${addedMs(worstAdded)} ms`),
  );
  return lines;
}

/** Part (b) as report lines; "not yet" with what is missing when the API cannot invoke. */
async function runApiPart(target: LocalTarget, dir: string): Promise<string[]> {
  let api: Awaited<ReturnType<typeof loadApi>>;
  let load: Awaited<ReturnType<typeof loadApiLoad>>;
  try {
    api = await loadApi();
    load = await loadApiLoad();
  } catch (error) {
    return [`Not yet: the API does not load (${firstLine(error)}).`];
  }
  log('(b) invoke through the API vs Fastify + undici…');
  const sides = await api.startApiSides({ dataDir: join(dir, 'data'), origin: target.httpOrigin });
  if ('missing' in sides) {
    return [`Not yet: the API cannot invoke a deployed connection — ${sides.missing}`];
  }
  let rows: PairRow[];
  try {
    rows = await load.runInvokeLoadInChild({
      subject: sides.subject,
      baseline: sides.baseline,
      concurrencies: apiConcurrencies,
      plan: plans.api,
    });
  } finally {
    await sides.close();
  }
  const lines = [
    formatPairTable(rows, {
      what: 'Target',
      subject: 'Invoke API',
      baseline: 'Fastify + undici',
      ratio: 'API ÷ baseline (req/s)',
    }),
    '',
  ];
  for (const row of rows) {
    const share = row.subject.perSecond / row.baseline.perSecond;
    lines.push(
      formatGoal(
        `at ${row.concurrency}: ≥ 0.8× the baseline's throughput`,
        share >= 0.8,
        fineRatio(share),
      ),
    );
  }
  return lines;
}

/** Part (c) as report lines: raw undici, plus the engine's Test Connection path when it loads. */
async function runKeepAlivePart(target: LocalTarget): Promise<string[]> {
  log('(c) keep-alive vs a new connection per request…');
  const rows = await measureKeepAlive({ target, cases: keepAliveCases, plan: plans.keepAlive });
  const lines = [
    formatPairTable(rows, {
      what: 'Raw undici',
      subject: 'Keep-alive',
      baseline: 'New connection',
      ratio: 'Keep-alive ÷ new (req/s)',
    }),
  ];
  try {
    const library = await loadLibrary();
    const row = await library.measureEngineTestVsInvoke({
      target,
      concurrency: 1,
      plan: plans.engineTest,
    });
    lines.push(
      '',
      'Through the engine: invoke (the deployed pool) vs Test Connection (prepares the target and opens a new connection every call):',
      '',
      formatPairTable([row], {
        what: 'Engine',
        subject: 'Invoke',
        baseline: 'Test',
        ratio: 'Invoke ÷ test (req/s)',
      }),
    );
  } catch (error) {
    lines.push('', `Engine invoke vs Test Connection: not yet (${firstLine(error)}).`);
  }
  return lines;
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadBefore = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'hookline-bench-dispatch-'));
  let target: LocalTarget | undefined;
  // the target is a separate process: it must stop with us, however we stop
  const stopNow = () => {
    target?.killNow();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopNow);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping the target`);
      void (target?.close() ?? Promise.resolve()).finally(() => process.exit(130));
    });
  }

  try {
    log('starting the target…');
    target = await startLocalTarget(dir, { forceNode: forceNodeTarget });
    log(`target: ${target.description}`);
    const sections: string[] = [];
    if (parts.has('a')) {
      sections.push(
        '### (a) Dispatch engine as a library vs raw undici `Pool.request`',
        '',
        "A deployed connection (POST, URL `…/hooks/{{param.id}}`, headers `Authorization: Bearer {{secret.TARGET_TOKEN}}`, `Content-Type`, `X-Region: {{var.REGION}}`, standard-webhooks signing) called with `engine.invoke(target, { body, params })`; the baseline sends the same headers (fixed values of the same length, no rendering or signing) and the same JSON body through one undici `Pool` of the same size (24, the engine's server-managed default). Both read the whole answer. Added ms = engine − raw.",
        '',
        ...(await runLibraryPart(target)),
        '',
      );
    }
    if (parts.has('b')) {
      sections.push(
        '### (b) `POST /api/v1/connections/{id}/invoke` through the API vs a minimal Fastify route calling undici',
        '',
        "The real API in this process (SQLite file, services, bearer token; the connection of (a) over HTTP, created and deployed through the API); the baseline is a Fastify route that takes the same body and calls the target with raw undici. Load from a child process over keep-alive HTTP. CPU µs/call is this process's, i.e. the server's, over each side's rounds: with the servers' event loop saturated, the throughput ratio follows it.",
        '',
        ...(await runApiPart(target, dir)),
        '',
      );
    }
    if (parts.has('c')) {
      sections.push(
        '### (c) Keep-alive vs a new connection per request',
        '',
        'Raw undici: one keep-alive `Pool` vs a new `Client` per request, closed after the answer (every TLS handshake a full one: a new client resumes no session). RSA 2048 certificate. Added ms = keep-alive − new connection (negative: keep-alive is that much faster).',
        '',
        ...(await runKeepAlivePart(target)),
        '',
      );
    }

    const cpu = cpus();
    const flags = [
      quick ? '--quick' : '',
      partsArgument ?? '',
      forceNodeTarget ? '--target=node' : '',
    ].filter(Boolean);
    const report = [
      `## Dispatch: engine, invoke API and keep-alive${quick ? ' — quick run, do not quote' : ''}`,
      '',
      `- Date: ${new Date().toISOString()}`,
      `- Command: \`npm run bench:dispatch${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}\``,
      `- Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${mebibytes(totalmem())} memory, ${platform()} ${release()}; load average before the run ${loadBefore.map((value) => value.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`,
      `- Node ${process.version}, undici ${undiciVersion()}`,
      `- Target: ${target.description}, on 127.0.0.1 (HTTP and HTTPS)`,
      `- Each figure gathered over rounds alternating subject and baseline (${plans.library.rounds} in (a), ${plans.api.rounds} in (b), ${plans.keepAlive.rounds} in (c)) after a warm-up of each`,
      '',
      ...sections,
      `- Whole run: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`,
    ];
    process.stdout.write(`${report.join('\n')}\n`);
  } finally {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
