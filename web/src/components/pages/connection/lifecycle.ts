// What the lifecycle dialogs (deploy, promote, undeploy, rollback) share: the text of what runs
// in one environment (the two sides of their diff), and how an answer or a refusal is said.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { ConnectionSpec } from '../../../../../src/contracts/connections.ts';
import type { DeploymentResult } from '../../../../../src/contracts/deployments.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { ApiError } from '../../../api/client.ts';
import { errorText } from '../../ErrorNote.tsx';

/** The left side of a diff where nothing runs (a first deploy) or will run (an undeploy). */
export const nothingRuns = '(nothing runs here: calls fail with CONNECTION_NOT_DEPLOYED)';

/**
 * What a revision makes an environment do, as the text a diff compares: the fields that apply
 * everywhere and the parameters of that one environment (the others do not run there).
 */
export function runningText(spec: ConnectionSpec | undefined, environment: string): string {
  if (!spec) return nothingRuns;
  const parameters = spec.environments[environment];
  return JSON.stringify(
    {
      name: spec.name,
      critical: spec.critical,
      [environment]: parameters ?? '(no parameters for this environment)',
    },
    null,
    2,
  );
}

export { environmentName } from '../useEnvironments.ts';

export function isProduction(environments: Environment[], id: string): boolean {
  return environments.find((e) => e.id === id)?.kind === 'production';
}

/** What the page says after a lifecycle action: a line, a tone, maybe an approval to open. */
export interface LifecycleNotice {
  tone: 'success' | 'info' | 'error';
  text: string;
  /** the pending approval the change waits for: links to Approvals */
  approvalId?: string;
}

/** A deploy or undeploy the API carried out (or found already done). */
export function resultNotice(result: DeploymentResult, where: string): LifecycleNotice {
  if (result.action === 'undeploy') {
    return result.outcome === 'unchanged'
      ? { tone: 'info', text: `Nothing ran in ${where}: nothing to undeploy.` }
      : { tone: 'success', text: `Undeployed from ${where}: calls there now fail.` };
  }
  return result.outcome === 'unchanged'
    ? { tone: 'info', text: `${where} already runs revision ${result.revision}.` }
    : { tone: 'success', text: `Deployed revision ${result.revision} to ${where}.` };
}

/**
 * A refused deploy or undeploy. Waiting for a second admin is not a failure (the request is
 * stored as an approval); anything else is the API's own message, which names the rule.
 */
export function refusalNotice(error: unknown, what: string): LifecycleNotice {
  if (error instanceof ApiError && error.code === 'APPROVAL_REQUIRED') {
    const approvalId = String(error.details?.approvalId ?? '');
    return {
      tone: 'info',
      text: `Waiting for approval: ${what} needs a second admin, because this connection is critical. The request ${approvalId} waits in Approvals; another admin approves or rejects it there.`,
      approvalId,
    };
  }
  return { tone: 'error', text: `${what} was refused: ${errorText(error)}` };
}

/** After a change: the connection, its deployments, revisions, deliveries and audit again. */
export function useRefreshConnection() {
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['connections'] }),
        queryClient.invalidateQueries({ queryKey: ['audit'] }),
        queryClient.invalidateQueries({ queryKey: ['approvals'] }),
      ]),
    [queryClient],
  );
}
