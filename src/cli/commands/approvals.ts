// `hookline approvals`: deploys of critical connections to production-kind environments wait
// for a second admin; list them, and approve (the deploy happens then) or reject them.
import { Option, type Command } from 'commander';
import type { Approval } from '../../contracts/access.ts';
import type { DeploymentResult } from '../../contracts/deployments.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  type CliContext,
  type OutputOptions,
} from '../context.ts';
import { addPageOptions, printListPage, type ListOptions as PageOptions } from '../list-command.ts';
import { cell, formatFields, formatTable, formatTime } from '../output.ts';

const base = '/api/v1/approvals';
const path = (id: string, action = '') => `${base}/${encodeURIComponent(id)}${action}`;

// A copy, not an import: the contract module loads zod (~0.3 s per command). The type check
// below fails when the contract's states and this list differ.
const approvalStates = ['pending', 'approved', 'rejected', 'expired'] as const;
type ApprovalState = Approval['state'];
const statesInStep: [ApprovalState, (typeof approvalStates)[number]] extends [
  (typeof approvalStates)[number],
  ApprovalState,
]
  ? true
  : false = true;
void statesInStep;

interface ListOptions extends PageOptions {
  state?: ApprovalState;
  connection?: string;
  environment?: string;
}

interface DecideOptions extends OutputOptions {
  comment?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const group = program
    .command('approvals')
    .description(
      "deploys of critical connections to production, waiting for a second admin's decision",
    );

  addPageOptions(group.command('list').description('list approvals, newest first'), (list) =>
    list
      .addOption(new Option('--state <state>', 'only those in this state').choices(approvalStates))
      .option('--connection <connection>', 'only those of this connection (id or name)')
      .option('--environment <environment>', 'only those for this environment'),
  ).action((options: ListOptions) => listApprovals(ctx, options));

  addOutputOptions(
    group.command('show').description('show one approval').argument('<id>', 'apr_…'),
  ).action((id: string, options: OutputOptions) => showApproval(ctx, id, options));

  addOutputOptions(
    group
      .command('approve')
      .description("approve another person's deploy: it is deployed now, by you")
      .argument('<id>', 'apr_…')
      .option('--comment <text>', 'why (kept with the approval and in the audit record)'),
  ).action((id: string, options: DecideOptions) => approve(ctx, id, options));

  addOutputOptions(
    group
      .command('reject')
      .description('reject a pending deploy: nothing is deployed')
      .argument('<id>', 'apr_…')
      .option('--comment <text>', 'why (kept with the approval and in the audit record)'),
  ).action((id: string, options: DecideOptions) => reject(ctx, id, options));
}

export async function listApprovals(ctx: CliContext, options: ListOptions) {
  const filters = {
    state: options.state,
    connection: options.connection,
    environment: options.environment,
  };
  await printListPage<Approval>(ctx, { base, plural: 'approvals', filters }, options, (items) =>
    formatTable(
      ['id', 'connection', 'environment', 'revision', 'state', 'requested', 'by', 'expires'],
      items.map((a) => [
        a.id,
        cell(a.connection),
        cell(a.environment),
        String(a.revision),
        a.state,
        formatTime(a.requestedAt),
        cell(a.requestedBy),
        a.state === 'pending' ? formatTime(a.expiresAt) : '-',
      ]),
    ),
  );
}

export async function showApproval(ctx: CliContext, id: string, options: OutputOptions) {
  const approval = await ctx.client().request<Approval>('GET', path(id));
  await emit(ctx.io, outputFormat(options), approval, () => describeApproval(approval));
}

export async function approve(ctx: CliContext, id: string, options: DecideOptions) {
  const answer = await ctx
    .client()
    .request<{ approval: Approval; deployment: DeploymentResult }>('POST', path(id, '/approve'), {
      body: { comment: options.comment },
    });
  const { approval, deployment } = answer;
  await emit(ctx.io, outputFormat(options), answer, () =>
    [
      `approved ${approval.id}: revision ${approval.revision} of ${cell(approval.connection)} for ${cell(approval.environment)}, asked by ${cell(approval.requestedBy)}`,
      `${cell(approval.connection)}: ${cell(deployment.message)}`,
    ].join('\n'),
  );
}

export async function reject(ctx: CliContext, id: string, options: DecideOptions) {
  const approval = await ctx
    .client()
    .request<Approval>('POST', path(id, '/reject'), { body: { comment: options.comment } });
  await emit(
    ctx.io,
    outputFormat(options),
    approval,
    () =>
      `rejected ${approval.id}: revision ${approval.revision} of ${cell(approval.connection)} is not deployed to ${cell(approval.environment)}`,
  );
}

function describeApproval(approval: Approval): string {
  const decided =
    approval.decidedAt === null
      ? '-'
      : `${formatTime(approval.decidedAt)}${approval.decidedBy ? ` by ${cell(approval.decidedBy)}` : ''}`;
  return formatFields([
    ['Id', approval.id],
    ['Connection', `${cell(approval.connection)} (${approval.connectionId})`],
    ['Environment', cell(approval.environment)],
    ['Revision', String(approval.revision)],
    ['State', approval.state],
    ['Requested', `${formatTime(approval.requestedAt)} by ${cell(approval.requestedBy)}`],
    ['Expires', formatTime(approval.expiresAt)],
    ['Decided', decided],
    ['Comment', cell(approval.comment ?? '')],
    ['Deployment', approval.deploymentId ?? '-'],
  ]);
}
