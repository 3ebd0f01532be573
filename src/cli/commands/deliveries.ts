// `hookline send` hands one call over for durable delivery (stored by the server before its
// 202, then sent and retried by the workers); `hookline deliveries list|show|replay` look after
// what was handed over. Exit codes beyond main.ts's 0/1/2: `send --wait` exits 1 when the
// delivery failed and 3 (`exitCodes.timedOut`) when --timeout ran out first.
import { parseExactJson } from '../../core/exact-json.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { Option, type Command } from 'commander';
import type { Connection } from '../../contracts/connections.ts';
import type {
  Delivery,
  DeliveryDetail,
  DeliveryReplayResult,
  DeliveryStatus,
} from '../../contracts/deliveries.ts';
import { isIdWithPrefix } from '../../core/ids.ts';
import {
  addConnectionRef,
  connectionPath,
  parseHeaderFlag,
  type RefOptions,
} from '../connection-input.ts';
import {
  addOutputOptions,
  collect,
  emit,
  outputFormat,
  parsePositiveInt,
  UsageError,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { printListPage, type ListOptions as PageOptions } from '../list-command.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';
import { parseParams, readCallBody } from './connection-runtime.ts';

const base = '/api/v1/deliveries';
const path = (id: string, action = '') => `${base}/${encodeURIComponent(id)}${action}`;

// A copy, not an import: the contract module loads zod (~0.3 s per command). The type check
// below fails when the contract's statuses and this list differ.
const deliveryStatuses = ['pending', 'in_flight', 'succeeded', 'failed', 'paused'] as const;
const statusesInStep: [DeliveryStatus, (typeof deliveryStatuses)[number]] extends [
  (typeof deliveryStatuses)[number],
  DeliveryStatus,
]
  ? true
  : false = true;
void statusesInStep;

/** The finished states a bulk replay picks from (DeliveryReplayIn.status). */
const replayableStatuses = ['failed', 'succeeded'] as const;

const defaultWaitSeconds = 60;
// The first poll soon (a 2xx target usually answers within a few ms of the accept), then
// doubling up to 1 s: a --wait on a retrying delivery asks about once a second, not 20 times.
const firstPollMs = 50;
const maxPollMs = 1000;
// The API's default per call (DeliveryReplayIn.limit): one call queues this many at most.
const replayBatchSize = 1000;

/** `send --wait`: the delivery failed (dead letter). Exit code 1. */
export class DeliveryFailed extends Error {
  constructor(id: string, reason: string | null) {
    super(`delivery ${id} failed: ${reason ?? 'no reason given'}`);
    this.name = 'DeliveryFailed';
  }
}

/** `send --wait`: --timeout ran out before the delivery finished. Exit code 3 (main.ts). */
export class WaitTimedOut extends Error {
  constructor(delivery: Delivery, timeoutSeconds: number) {
    super(
      `delivery ${delivery.id} is still ${delivery.status} after ${timeoutSeconds} s; it goes on without us: hookline deliveries show ${delivery.id}`,
    );
    this.name = 'WaitTimedOut';
  }
}

interface SendOptions extends RefOptions {
  env: string;
  data?: string;
  param?: string[];
  header?: string[];
  idempotencyKey?: string;
  wait?: boolean;
  timeout?: number;
}

/** The filters `deliveries list` and `deliveries replay --all` share. */
interface FilterOptions {
  connection?: string;
  project?: string;
  env?: string;
  from?: string;
  to?: string;
}

interface ListOptions extends PageOptions, FilterOptions {
  status?: DeliveryStatus;
}

interface ReplayOptions extends OutputOptions, FilterOptions {
  all?: boolean;
  status?: (typeof replayableStatuses)[number];
}

type Accepted = Pick<Delivery, 'id' | 'status'> & { duplicate: boolean };

export function register(program: Command, ctx: CliContext): void {
  addOutputOptions(
    addConnectionRef(program.command('send'))
      .description(
        'hand one call over for durable delivery: exit 0 once accepted, or with --wait once it succeeded',
      )
      .requiredOption('--env <environment>', 'the environment to deliver in')
      .option(
        '--data <json>',
        'the body as JSON: inline, @file, or - for stdin; a JSON string is sent as that text',
      )
      .option('--param <name=value>', 'a {{param.NAME}} value (repeatable)', collect)
      .option('--header <header>', "an extra header, 'Name: value' (repeatable)", collect)
      .option(
        '--idempotency-key <key>',
        'sent as Idempotency-Key: a retried send with the same key (within 24 h) is accepted once',
      )
      .option('--wait', 'wait for the final outcome: exit 1 if it failed, 3 on --timeout')
      .option(
        '--timeout <seconds>',
        `with --wait: stop waiting after this long (default ${defaultWaitSeconds})`,
        parsePositiveInt,
      ),
  ).action((connection: string, options: SendOptions) => sendDelivery(ctx, connection, options));

  const group = program
    .command('deliveries')
    .description('durable deliveries: list them, show their attempts, send them again');

  addOutputOptions(
    filterOptions(group.command('list').description('list deliveries, newest first'))
      .addOption(
        new Option('--status <status>', 'only those in this state').choices(deliveryStatuses),
      )
      .option('--limit <n>', 'at most this many (one page; at most 500)', parsePositiveInt)
      .option('--cursor <cursor>', 'continue after an earlier page')
      .option('--all', 'follow every page'),
  ).action((options: ListOptions) => listDeliveries(ctx, options));

  addOutputOptions(
    group
      .command('show')
      .description('show one delivery and every attempt made')
      .argument('<id>', 'the delivery id (dlv_…)'),
  ).action((id: string, options: OutputOptions) => showDelivery(ctx, id, options));

  addOutputOptions(
    filterOptions(
      group
        .command('replay')
        .description(
          'send a succeeded or failed delivery again (same webhook-id); --all: every one that matches',
        )
        .argument('[id]', 'the delivery id (dlv_…)')
        .option('--all', 'every finished delivery that matches the filters (default: failed)'),
    ).addOption(
      new Option('--status <status>', 'with --all: which finished ones (default: failed)').choices(
        replayableStatuses,
      ),
    ),
  ).action((id: string | undefined, options: ReplayOptions) => replayDeliveries(ctx, id, options));
}

function filterOptions(command: Command): Command {
  return command
    .option('--connection <connection>', 'only those of this connection (id or name)')
    .option('--project <project>', 'when naming the connection: the project it is in')
    .option('--env <environment>', 'only those in this environment')
    .option('--from <time>', 'accepted at or after this time (ISO-8601)')
    .option('--to <time>', 'accepted before this time (ISO-8601)');
}

export async function sendDelivery(ctx: CliContext, ref: string, options: SendOptions) {
  if (options.timeout !== undefined && !options.wait) {
    throw new UsageError('--timeout goes with --wait');
  }
  const format = outputFormat(options);
  const accepted = await ctx
    .client()
    .request<Accepted>('POST', connectionPath(ref, '/deliveries'), {
      query: { project: options.project },
      body: {
        environment: options.env,
        body: parseJsonData(options.data),
        params: parseParams(options.param),
        headers: parseHeaders(options.header),
      },
      headers:
        options.idempotencyKey === undefined
          ? undefined
          : { 'idempotency-key': options.idempotencyKey },
    });
  const acceptedLine = accepted.duplicate
    ? `already accepted with this Idempotency-Key: delivery ${accepted.id} (${accepted.status})`
    : `accepted delivery ${accepted.id} (${accepted.status})`;
  if (!options.wait) {
    await emit(ctx.io, format, accepted, () => acceptedLine);
    return;
  }
  // --json/-o print one document: the delivery as it ended (or as it was when time ran out)
  if (format === 'table') ctx.io.print(acceptedLine);
  const timeoutSeconds = options.timeout ?? defaultWaitSeconds;
  const { delivery, finished } = await waitForOutcome(ctx, accepted.id, timeoutSeconds * 1000);
  await emit(ctx.io, format, delivery, () => describeOutcome(delivery));
  if (!finished) throw new WaitTimedOut(delivery, timeoutSeconds);
  if (delivery.status === 'failed') throw new DeliveryFailed(delivery.id, delivery.reason);
}

/**
 * `--data`: JSON, inline or read from `@file` or `-`/`@-` (stdin), sent as the value it
 * parses to, so a JSON string is sent as its text. Not JSON is a usage error, caught before
 * anything is stored.
 */
function parseJsonData(data: string | undefined): unknown {
  if (data === undefined) return undefined;
  const text = readCallBody(data === '-' ? '@-' : data) as string;
  try {
    // numbers as written: the request's JSON.stringify writes them back unchanged
    return parseExactJson(text);
  } catch (error) {
    const source = data.startsWith('@') && data !== '@-' ? data.slice(1) : '--data';
    throw new UsageError(
      `${source} is not valid JSON (${(error as Error).message}); to send text, give it as a JSON string: '"text"'`,
    );
  }
}

function parseHeaders(texts: string[] | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const text of texts ?? []) {
    const header = parseHeaderFlag(text);
    headers[header.name] = header.value;
  }
  return headers;
}

/** Polls until succeeded or failed; `paused` (connection disabled) is waited through. */
async function waitForOutcome(
  ctx: CliContext,
  id: string,
  timeoutMs: number,
): Promise<{ delivery: DeliveryDetail; finished: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let pollMs = firstPollMs;
  let previous: DeliveryStatus | undefined;
  for (;;) {
    const delivery = await ctx.client().request<DeliveryDetail>('GET', path(id));
    if (delivery.status === 'succeeded' || delivery.status === 'failed') {
      return { delivery, finished: true };
    }
    if (delivery.status === 'paused' && previous !== 'paused') {
      ctx.io.warn(`delivery ${id} is paused (${cell(delivery.reason ?? '')}): still waiting`);
    }
    previous = delivery.status;
    const leftMs = deadline - Date.now();
    if (leftMs <= 0) return { delivery, finished: false };
    await sleep(Math.min(pollMs, leftMs));
    pollMs = Math.min(pollMs * 2, maxPollMs);
  }
}

export async function listDeliveries(ctx: CliContext, options: ListOptions) {
  const filters = {
    connection: await resolveConnectionId(ctx, options),
    environment: options.env,
    status: options.status,
    from: options.from,
    to: options.to,
  };
  await printListPage<Delivery>(ctx, { base, plural: 'deliveries', filters }, options, (items) =>
    formatTable(
      ['id', 'connection', 'env', 'status', 'attempts', 'last', 'updated'],
      items.map((d) => [
        d.id,
        cell(d.connection.name),
        d.environment,
        d.status,
        String(d.attempts),
        describeLast(d),
        formatTime(d.updatedAt),
      ]),
    ),
  );
}

export async function showDelivery(ctx: CliContext, id: string, options: OutputOptions) {
  const delivery = await ctx.client().request<DeliveryDetail>('GET', path(id));
  await emit(ctx.io, outputFormat(options), delivery, () => describeDelivery(delivery));
}

export async function replayDeliveries(
  ctx: CliContext,
  id: string | undefined,
  options: ReplayOptions,
) {
  if (id !== undefined && options.all) {
    throw new UsageError('pass a delivery id or --all, not both');
  }
  if (id === undefined && !options.all) {
    throw new UsageError('pass a delivery id, or --all to replay every failed one that matches');
  }
  if (id === undefined) return replayAll(ctx, options);
  const filters = ['connection', 'project', 'env', 'status', 'from', 'to'] as const;
  const given = filters.filter((name) => options[name] !== undefined);
  if (given.length > 0) {
    const flags = given.map((name) => `--${name}`).join(', ');
    throw new UsageError(`${flags} ${given.length === 1 ? 'goes' : 'go'} with --all`);
  }
  const delivery = await ctx.client().request<Delivery>('POST', path(id, '/replay'));
  await emit(
    ctx.io,
    outputFormat(options),
    delivery,
    () => `replayed delivery ${delivery.id}: ${delivery.status} (webhook-id ${delivery.messageId})`,
  );
}

/**
 * `POST /deliveries/replay` until it answers `more: false`, with progress on stderr; each call
 * continues after the last delivery the previous one replayed (`after`), so one that fails
 * again while this runs is not sent a second time.
 */
async function replayAll(ctx: CliContext, options: ReplayOptions) {
  const status = options.status ?? 'failed';
  const filter = {
    connection: await resolveConnectionId(ctx, options),
    environment: options.env,
    status,
    from: options.from,
    to: options.to,
    limit: replayBatchSize,
  };
  const client = ctx.client();
  const ids: string[] = [];
  let after: string | undefined;
  for (;;) {
    const answer: DeliveryReplayResult = await client.request<DeliveryReplayResult>(
      'POST',
      `${base}/replay`,
      { body: { ...filter, after } },
    );
    ids.push(...answer.ids);
    if (answer.replayed > 0) ctx.io.warn(`replayed ${ids.length}…`);
    if (!answer.more || answer.next === null) break;
    after = answer.next;
  }
  const plural = ids.length === 1 ? 'delivery' : 'deliveries';
  await emit(ctx.io, outputFormat(options), { replayed: ids.length, ids, more: false }, () =>
    ids.length === 0
      ? `no ${status} deliveries to replay`
      : `replayed ${ids.length} ${status} ${plural}`,
  );
}

/** `--connection`: an id as given; a name looked up (GET /connections/{name}) for its id. */
async function resolveConnectionId(
  ctx: CliContext,
  options: FilterOptions,
): Promise<string | undefined> {
  const ref = options.connection;
  if (ref === undefined) {
    if (options.project !== undefined) throw new UsageError('--project goes with --connection');
    return undefined;
  }
  if (isIdWithPrefix(ref, 'con') && options.project === undefined) return ref;
  const connection = await ctx.client().request<Connection>('GET', connectionPath(ref), {
    query: { project: options.project },
  });
  return connection.id;
}

/** `HTTP_4XX 422`, `CONNECT_TIMEOUT`, or `-` before the first attempt. */
function describeLast(delivery: Delivery): string {
  if (delivery.lastOutcome === null) return '-';
  return delivery.lastStatus === null
    ? delivery.lastOutcome
    : `${delivery.lastOutcome} ${delivery.lastStatus}`;
}

/** `2025-11-13 10:04:05Z`: attempts a few seconds apart need the seconds. */
function formatSeconds(iso: string): string {
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(iso)
    ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`
    : iso;
}

function describeOutcome(delivery: Delivery): string {
  const fields: Array<[string, string]> = [
    ['Delivery', delivery.id],
    ['Status', delivery.status],
    ['Attempts', String(delivery.attempts)],
    ['Last outcome', describeLast(delivery)],
  ];
  if (delivery.reason) fields.push(['Reason', cell(delivery.reason)]);
  if (delivery.nextAttemptAt) fields.push(['Next attempt', formatSeconds(delivery.nextAttemptAt)]);
  return formatFields(fields);
}

function describeDelivery(delivery: DeliveryDetail): string {
  const fields = formatFields([
    ['Id', delivery.id],
    ['Connection', `${cell(delivery.connection.name)} (${delivery.connection.id})`],
    ['Environment', delivery.environment],
    ['Status', delivery.status],
    ['Message id', delivery.messageId],
    ['Attempts', String(delivery.attempts)],
    ['Last outcome', describeLast(delivery)],
    ['Next attempt', delivery.nextAttemptAt ? formatSeconds(delivery.nextAttemptAt) : '-'],
    ['Reason', cell(delivery.reason ?? '-')],
    ['Created', formatSeconds(delivery.createdAt)],
    ['Updated', formatSeconds(delivery.updatedAt)],
    ['Finished', delivery.finishedAt ? formatSeconds(delivery.finishedAt) : '-'],
  ]);
  if (delivery.attemptLog.length === 0) return `${fields}\n\n(no attempts yet)`;
  const attempts = formatTable(
    ['n', 'started', 'outcome', 'status', 'ms', 'message'],
    delivery.attemptLog.map((attempt) => [
      String(attempt.number),
      formatSeconds(attempt.startedAt),
      attempt.outcome,
      attempt.status === null ? '-' : String(attempt.status),
      String(Math.round(attempt.durationMs)),
      cell(attempt.message ?? '-'),
    ]),
  );
  return `${fields}\n\n${attempts}`;
}
