import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { InvokeResult, TestResult } from '../../contracts/invoke.ts';
import {
  addConnectionRef,
  connectionPath as path,
  parseHeaderFlag,
  type RefOptions,
} from '../connection-input.ts';
import { printWarnings } from '../connection-view.ts';
import {
  addOutputOptions,
  collect,
  emit,
  outputFormat,
  UsageError,
  type CliContext,
} from '../context.ts';
import { formatFields, formatTable } from '../output.ts';

interface CallOptions extends RefOptions {
  env: string;
  data?: string;
  param?: string[];
  header?: string[];
}

/** A call that was made but did not succeed: its answer is printed, the exit code is 1. */
export class CallFailed extends Error {
  constructor(outcome: string) {
    super(`the call ended ${outcome}`);
    this.name = 'CallFailed';
  }
}

/** `connections invoke`, `connections test`, `connections metrics`, on the `connections` group. */
export function register(group: Command, ctx: CliContext): void {
  const callOptions = (command: Command) =>
    addOutputOptions(
      addConnectionRef(command)
        .requiredOption('--env <environment>', 'the environment to call in')
        .option('--data <body>', 'the body: JSON or text, @file to read a file, @- for stdin')
        .option('--param <name=value>', 'a {{param.NAME}} value (repeatable)', collect)
        .option('--header <header>', "an extra header, 'Name: value' (repeatable)", collect),
    );

  callOptions(group.command('invoke'))
    .description('call the deployed revision now and show what came back (exit 1 unless OK)')
    .action((connection: string, options: CallOptions) => call(ctx, connection, 'invoke', options));

  callOptions(group.command('test'))
    .description(
      'Test Connection: one real call of the latest revision with timings, TLS peer and a hint',
    )
    .action((connection: string, options: CallOptions) => call(ctx, connection, 'test', options));

  addOutputOptions(addConnectionRef(group.command('metrics')))
    .description('calls by outcome, latency percentiles and pool state, per environment')
    .action((connection: string, options: RefOptions) => metrics(ctx, connection, options));
}

/** `--data`: `@file`, `@-` (stdin), JSON text (sent as that JSON), or any other text as is. */
export function readCallBody(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  let text = data;
  if (data.startsWith('@')) {
    const file = data.slice(1);
    try {
      text = readFileSync(file === '-' ? 0 : file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
    }
  }
  // sent as a string, so the server signs and sends these exact bytes (no re-serialization)
  return text;
}

/** `--param name=value` flags (invoke, test, send) as the call's params. */
export function parseParams(pairs: string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new UsageError(`--param wants name=value, not '${pair}'`);
    params[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return params;
}

async function call(ctx: CliContext, ref: string, action: 'invoke' | 'test', options: CallOptions) {
  const headers: Record<string, string> = {};
  for (const text of options.header ?? []) {
    const header = parseHeaderFlag(text);
    headers[header.name] = header.value;
  }
  const answer = await ctx
    .client()
    .request<InvokeResult & Partial<TestResult>>('POST', path(ref, `/${action}`), {
      query: { project: options.project },
      body: {
        environment: options.env,
        body: readCallBody(options.data),
        params: parseParams(options.param),
        headers,
      },
    });
  printWarnings(ctx.io, answer.warnings);
  await emit(ctx.io, outputFormat(options), answer, () => describeCall(answer));
  if (answer.outcome !== 'OK') throw new CallFailed(answer.outcome);
}

function ms(value: number | null): string {
  return value === null ? '-' : `${value} ms`;
}

function describeCall(answer: InvokeResult & Partial<TestResult>): string {
  const fields: Array<[string, string]> = [
    ['Outcome', answer.outcome],
    ['Status', answer.status === null ? '-' : String(answer.status)],
    ['URL', answer.url],
    ['Revision', String(answer.connection.revision)],
    ['Attempts', String(answer.attempts)],
    [
      'Timings',
      `dns ${ms(answer.timings.dnsMs)}, connect ${ms(answer.timings.connectMs)}, tls ${ms(answer.timings.tlsMs)}, first byte ${ms(answer.timings.firstByteMs)}, total ${ms(answer.timings.totalMs)}`,
    ],
  ];
  if (answer.tlsPeer) {
    fields.push([
      'TLS peer',
      `${answer.tlsPeer.subject ?? '-'} (issuer ${answer.tlsPeer.issuer ?? '-'}, until ${answer.tlsPeer.validTo ?? '-'})`,
    ]);
  }
  if (answer.message) fields.push(['Message', answer.message]);
  if (answer.hint) fields.push(['Hint', answer.hint]);
  fields.push(['Trace id', answer.traceId]);
  const body =
    answer.body === ''
      ? ''
      : `\n\n${answer.bodyEncoding === 'base64' ? '(base64) ' : ''}${answer.body}${answer.truncated ? `\n… (${answer.sizeBytes} bytes in all)` : ''}`;
  return formatFields(fields) + body;
}

interface MetricsAnswer {
  connection: { id: string; name: string };
  environments: Array<{
    environment: string;
    total: number;
    counts: Record<string, number>;
    timeoutRate: number;
    latencyMs: { p50: number; p95: number; p99: number } | null;
    pool: { connected: number; free: number; pending: number; running: number } | null;
  }>;
}

async function metrics(ctx: CliContext, ref: string, options: RefOptions) {
  const answer = await ctx.client().request<MetricsAnswer>('GET', path(ref, '/metrics'), {
    query: { project: options.project },
  });
  await emit(ctx.io, outputFormat(options), answer, () =>
    answer.environments.length === 0
      ? `no calls of ${answer.connection.name} since the server started`
      : formatTable(
          ['environment', 'calls', 'outcomes', 'p50', 'p95', 'p99', 'timeouts', 'pool'],
          answer.environments.map((row) => [
            row.environment,
            String(row.total),
            Object.entries(row.counts)
              .map(([code, n]) => `${code} ${n}`)
              .join(', '),
            row.latencyMs ? `${row.latencyMs.p50.toFixed(1)} ms` : '-',
            row.latencyMs ? `${row.latencyMs.p95.toFixed(1)} ms` : '-',
            row.latencyMs ? `${row.latencyMs.p99.toFixed(1)} ms` : '-',
            `${(row.timeoutRate * 100).toFixed(1)}%`,
            row.pool
              ? `${row.pool.connected} open, ${row.pool.running} busy, ${row.pool.pending} waiting`
              : '-',
          ]),
        ),
  );
}
