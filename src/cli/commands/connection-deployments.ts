import type { Command } from 'commander';
import type { Connection } from '../../contracts/connections.ts';
import type { DeploymentResult } from '../../contracts/deployments.ts';
import { ApiError } from '../api-client.ts';
import { addConnectionRef, connectionPath as path, type RefOptions } from '../connection-input.ts';
import {
  addOutputOptions,
  emit,
  outputFormat,
  parsePositiveInt,
  type CliContext,
} from '../context.ts';
import { cell, formatTable, formatTime } from '../output.ts';

/**
 * A deploy of a critical connection to a production-kind environment (or an undeploy of one
 * from there) waits for a second admin: the server answered APPROVAL_REQUIRED with the
 * approval it made (or the one already waiting). Not a failure and not done: exit code 4
 * (`exitCodes.awaitingApproval`, main.ts).
 */
export class AwaitingApproval extends Error {
  readonly approvalId: string;

  constructor(details: Record<string, unknown>, fallback: string) {
    const id = typeof details.approvalId === 'string' ? details.approvalId : undefined;
    super(
      id === undefined
        ? fallback
        : `${
            details.action === 'undeploy'
              ? `undeploying revision ${String(details.revision)} of '${cell(String(details.connection))}' from`
              : `deploying revision ${String(details.revision)} of '${cell(String(details.connection))}' to`
          } ${cell(String(details.environment))} waits for approval ${id} until ${formatTime(String(details.expiresAt))} (another admin: hookline approvals approve ${id})`,
    );
    this.name = 'AwaitingApproval';
    this.approvalId = id ?? '';
  }
}

interface DeployOptions extends RefOptions {
  env: string;
  revision?: number;
}

interface HistoryOptions extends RefOptions {
  env?: string;
  limit?: number;
  all?: boolean;
}

/** `connections deploy`, `connections undeploy`, `connections deployments`, on the group. */
export function register(group: Command, ctx: CliContext): void {
  addOutputOptions(
    addConnectionRef(group.command('deploy'))
      .description('deploy a revision (default: the latest) to an environment')
      .requiredOption('--env <environment>', 'the environment to deploy to')
      .option('--revision <n>', 'the revision to deploy (default: the latest)', parsePositiveInt),
  ).action((connection: string, options: DeployOptions) =>
    deployConnection(ctx, connection, options),
  );

  addOutputOptions(
    addConnectionRef(group.command('undeploy'))
      .description('undeploy a connection from an environment: calls there fail from now on')
      .requiredOption('--env <environment>', 'the environment to undeploy from'),
  ).action((connection: string, options: DeployOptions) =>
    undeployConnection(ctx, connection, options),
  );

  addOutputOptions(
    addConnectionRef(group.command('deployments'))
      .description('show what each environment runs and the deployment history, newest first')
      .option('--env <environment>', 'only the history of this environment')
      .option('--limit <n>', 'at most this many results (one page)', parsePositiveInt)
      .option('--all', 'follow every page'),
  ).action((connection: string, options: HistoryOptions) =>
    listDeployments(ctx, connection, options),
  );
}

/** Sends a deploy or undeploy; APPROVAL_REQUIRED becomes AwaitingApproval (exit code 4). */
async function requestDeployment(
  ctx: CliContext,
  options: DeployOptions,
  send: () => Promise<DeploymentResult>,
): Promise<DeploymentResult> {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.code !== 'APPROVAL_REQUIRED') throw error;
    const format = outputFormat(options);
    // --json/-o: the API's answer as it came, for a script to read the approval id from
    if (format !== 'table') {
      const { code, message, details } = error;
      await emit(ctx.io, format, { error: { code, message, details } }, () => '');
    }
    throw new AwaitingApproval(error.details ?? {}, error.message);
  }
}

export async function deployConnection(ctx: CliContext, ref: string, options: DeployOptions) {
  const result = await requestDeployment(ctx, options, () =>
    ctx.client().request<DeploymentResult>('POST', path(ref, '/deploy'), {
      query: { project: options.project },
      body: { environment: options.env, revision: options.revision },
    }),
  );
  await emit(ctx.io, outputFormat(options), result, () => `${ref}: ${cell(result.message)}`);
}

export async function undeployConnection(ctx: CliContext, ref: string, options: DeployOptions) {
  const result = await requestDeployment(ctx, options, () =>
    ctx.client().request<DeploymentResult>('POST', path(ref, '/undeploy'), {
      query: { project: options.project },
      body: { environment: options.env },
    }),
  );
  await emit(ctx.io, outputFormat(options), result, () => `${ref}: ${cell(result.message)}`);
}

export async function listDeployments(ctx: CliContext, ref: string, options: HistoryOptions) {
  const client = ctx.client();
  const query = { project: options.project, environment: options.env, limit: options.limit };
  const page = options.all
    ? await client.listAll<DeploymentResult>(path(ref, '/deployments'), query)
    : await client.request<{ items: DeploymentResult[]; next: string | null }>(
        'GET',
        path(ref, '/deployments'),
        { query },
      );
  const format = outputFormat(options);
  if (format !== 'table') {
    // scripts get the history page exactly as the API answered it
    await emit(ctx.io, format, page, () => '');
    return;
  }
  const connection = await client.request<Connection>('GET', path(ref), {
    query: { project: options.project },
  });
  ctx.io.print(`${describeCurrent(connection)}\n\n${describeHistory(page.items)}`);
  if (page.next) ctx.io.warn('more results: pass --all');
}

/** What each environment runs now. */
function describeCurrent(connection: Connection): string {
  const deployed = Object.entries(connection.deployments ?? {});
  if (deployed.length === 0) return `${cell(connection.name)} is not deployed anywhere`;
  return formatTable(
    ['environment', 'revision', 'deployed', 'by'],
    deployed.map(([environment, state]) => [
      environment,
      String(state.revision),
      formatTime(state.deployedAt),
      cell(state.deployedBy),
    ]),
  );
}

function describeHistory(results: DeploymentResult[]): string {
  if (results.length === 0) return '(no deployment history)';
  return formatTable(
    ['when', 'environment', 'action', 'revision', 'outcome', 'by', 'message'],
    results.map((result) => [
      formatTime(result.createdAt),
      cell(result.environment),
      result.action,
      result.revision === null ? '-' : String(result.revision),
      result.outcome,
      cell(result.createdBy),
      cell(result.message),
    ]),
  );
}
