// `hookline approvals`: deploys and undeploys of critical connections in production-kind
// environments, and changes of an environment's kind from (or to) production, wait for a
// second admin; list them, and approve (the change happens then) or reject them.
import { Option, type Command } from 'commander';
import type { Approval } from '../../contracts/access.ts';
import type { DeploymentResult } from '../../contracts/deployments.ts';
import type { Environment } from '../../contracts/environments.ts';
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

/** What an approval approves, as a phrase (as domains/approvals/approval-summary.ts says it). */
function describeRequest(approval: Approval): string {
  switch (approval.action) {
    case 'deploy':
      return `deploy revision ${approval.revision} of ${cell(approval.connection ?? '')} to ${cell(approval.environment)}`;
    case 'undeploy':
      return `undeploy revision ${approval.revision} of ${cell(approval.connection ?? '')} from ${cell(approval.environment)}`;
    case 'environment-kind':
      return `make environment ${cell(approval.environment)} ${String(approval.kind)}-kind`;
  }
}

/** What a rejection left as it was. */
function describeKept(approval: Approval): string {
  switch (approval.action) {
    case 'deploy':
      return `revision ${approval.revision} of ${cell(approval.connection ?? '')} is not deployed to ${cell(approval.environment)}`;
    case 'undeploy':
      return `revision ${approval.revision} of ${cell(approval.connection ?? '')} stays deployed to ${cell(approval.environment)}`;
    case 'environment-kind':
      return `environment ${cell(approval.environment)} keeps its kind`;
  }
}

// the same kind of copy for the actions
const approvalActions = ['deploy', 'undeploy', 'environment-kind'] as const;
const actionsInStep: [Approval['action'], (typeof approvalActions)[number]] extends [
  (typeof approvalActions)[number],
  Approval['action'],
]
  ? true
  : false = true;
void actionsInStep;

interface ListOptions extends PageOptions {
  state?: ApprovalState;
  action?: Approval['action'];
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
      "deploys and undeploys of critical connections in production and changes of an environment's kind, waiting for a second admin's decision",
    );

  addPageOptions(group.command('list').description('list approvals, newest first'), (list) =>
    list
      .addOption(new Option('--state <state>', 'only those in this state').choices(approvalStates))
      .addOption(
        new Option('--action <action>', 'only those for this kind of change').choices(
          approvalActions,
        ),
      )
      .option('--connection <connection>', 'only those of this connection (id or name)')
      .option('--environment <environment>', 'only those for this environment'),
  ).action((options: ListOptions) => listApprovals(ctx, options));

  addOutputOptions(
    group.command('show').description('show one approval').argument('<id>', 'apr_…'),
  ).action((id: string, options: OutputOptions) => showApproval(ctx, id, options));

  addOutputOptions(
    group
      .command('approve')
      .description(
        "approve another person's request: the deploy, undeploy or kind change is made now, by you",
      )
      .argument('<id>', 'apr_…')
      .option('--comment <text>', 'why (kept with the approval and in the audit record)'),
  ).action((id: string, options: DecideOptions) => approve(ctx, id, options));

  addOutputOptions(
    group
      .command('reject')
      .description('reject a pending request: nothing is changed')
      .argument('<id>', 'apr_…')
      .option('--comment <text>', 'why (kept with the approval and in the audit record)'),
  ).action((id: string, options: DecideOptions) => reject(ctx, id, options));
}

export async function listApprovals(ctx: CliContext, options: ListOptions) {
  const filters = {
    state: options.state,
    action: options.action,
    connection: options.connection,
    environment: options.environment,
  };
  await printListPage<Approval>(ctx, { base, plural: 'approvals', filters }, options, (items) =>
    formatTable(
      [
        'id',
        'action',
        'connection',
        'environment',
        'revision',
        'state',
        'requested',
        'by',
        'expires',
      ],
      items.map((a) => [
        a.id,
        a.action === 'environment-kind' ? `kind → ${String(a.kind)}` : a.action,
        a.connection === null ? '-' : cell(a.connection),
        cell(a.environment),
        a.revision === null ? '-' : String(a.revision),
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
  const answer = await ctx.client().request<{
    approval: Approval;
    deployment: DeploymentResult | null;
    environment: Environment | null;
  }>('POST', path(id, '/approve'), {
    body: { comment: options.comment },
  });
  const { approval, deployment, environment } = answer;
  await emit(ctx.io, outputFormat(options), answer, () =>
    [
      `approved ${approval.id}: ${describeRequest(approval)}, asked by ${cell(approval.requestedBy)}`,
      deployment
        ? `${cell(approval.connection ?? '')}: ${cell(deployment.message)}`
        : `${cell(approval.environment)} is ${String(environment?.kind)}-kind now`,
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
    () => `rejected ${approval.id}: ${describeKept(approval)}`,
  );
}

function describeApproval(approval: Approval): string {
  const decided =
    approval.decidedAt === null
      ? '-'
      : `${formatTime(approval.decidedAt)}${approval.decidedBy ? ` by ${cell(approval.decidedBy)}` : ''}`;
  return formatFields([
    ['Id', approval.id],
    ['Request', describeRequest(approval)],
    [
      'Connection',
      approval.connection === null
        ? '-'
        : `${cell(approval.connection)} (${approval.connectionId})`,
    ],
    ['Environment', cell(approval.environment)],
    ['Revision', approval.revision === null ? '-' : String(approval.revision)],
    ['State', approval.state],
    ['Requested', `${formatTime(approval.requestedAt)} by ${cell(approval.requestedBy)}`],
    ['Expires', formatTime(approval.expiresAt)],
    ['Decided', decided],
    ['Comment', cell(approval.comment ?? '')],
    ['Deployment', approval.deploymentId ?? '-'],
  ]);
}
