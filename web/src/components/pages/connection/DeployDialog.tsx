// Deploy a chosen revision, promote what one environment runs to another, or undeploy: each
// shows what will run against what runs now in the target environment before it is confirmed,
// and a production-kind target asks for an explicit yes. Critical connections in production
// wait for a second admin: the page says so and links to Approvals.
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { DeploymentResult } from '../../../../../src/contracts/deployments.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../session.tsx';
import { Dialog } from '../../Dialog.tsx';
import { ErrorNote } from '../../ErrorNote.tsx';
import { LineDiff } from '../LineDiff.tsx';
import {
  environmentName,
  isProduction,
  nothingRuns,
  refusalNotice,
  resultNotice,
  runningText,
  useRefreshConnection,
  type LifecycleNotice,
} from './lifecycle.ts';
import { useRevision, useRevisionChoices } from './useRevision.ts';

export type DeployAction =
  | { kind: 'deploy'; environment?: string; revision?: number }
  | { kind: 'promote'; from?: string; to?: string }
  | { kind: 'undeploy'; environment: string };

const kindRank = { development: 0, test: 1, production: 2 };

const titles = {
  deploy: 'Deploy a revision',
  promote: 'Promote to another environment',
  undeploy: 'Undeploy',
};

export function DeployDialog({
  connection,
  environments,
  action,
  onDone,
  onClose,
}: {
  connection: Connection;
  environments: Environment[];
  action: DeployAction;
  onDone(notice: LifecycleNotice): void;
  onClose(): void;
}) {
  const deployed = connection.deployments ?? {};
  const deployedIds = environments.map((e) => e.id).filter((id) => id in deployed);
  // promote goes along the pipeline: the next environment by kind (development → test →
  // production) after the one it comes from
  const pipeline = [...environments].sort((a, b) => kindRank[a.kind] - kindRank[b.kind]);
  const nextAfter = (from: string) => {
    const at = pipeline.findIndex((e) => e.id === from);
    return (pipeline.slice(at + 1)[0] ?? pipeline.find((e) => e.id !== from))?.id;
  };
  // deploy goes where this connection has parameters, outside production first
  const configured = environments.filter((e) => e.id in connection.environments);
  const firstConfigured =
    configured.find((e) => e.kind !== 'production')?.id ?? configured[0]?.id ?? '';

  const [environment, setEnvironment] = useState(
    action.kind === 'deploy'
      ? (action.environment ?? firstConfigured)
      : action.kind === 'undeploy'
        ? action.environment
        : '',
  );
  const [revision, setRevision] = useState(
    action.kind === 'deploy' ? (action.revision ?? connection.revision) : connection.revision,
  );
  const initialFrom = action.kind === 'promote' ? (action.from ?? deployedIds[0] ?? '') : '';
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(
    action.kind === 'promote' ? (action.to ?? nextAfter(initialFrom) ?? '') : '',
  );
  const [sure, setSure] = useState(false);
  const isAdmin = useCan('admin');
  const choices = useRevisionChoices(connection.id);
  const refresh = useRefreshConnection();

  const target = action.kind === 'promote' ? to : environment;
  const wanted =
    action.kind === 'undeploy'
      ? null
      : action.kind === 'promote'
        ? (deployed[from]?.revision ?? null)
        : revision;
  const running = deployed[target]?.revision ?? null;
  const before = useRevision(connection.id, running);
  const after = useRevision(connection.id, wanted);
  const where = environmentName(environments, target);
  const production = isProduction(environments, target);

  const verb =
    action.kind === 'undeploy'
      ? `Undeploy from ${where}`
      : action.kind === 'promote'
        ? `Promote revision ${wanted ?? '?'} to ${where}`
        : `Deploy revision ${wanted} to ${where}`;
  const what =
    action.kind === 'undeploy'
      ? `Undeploying from ${where}`
      : `Deploying revision ${wanted} to ${where}`;

  const run = useMutation({
    mutationFn: () =>
      action.kind === 'undeploy'
        ? api<DeploymentResult>('POST', `/connections/${connection.id}/undeploy`, {
            body: { environment: target },
          })
        : api<DeploymentResult>('POST', `/connections/${connection.id}/deploy`, {
            body: { environment: target, revision: wanted },
          }),
    onSuccess: async (result) => {
      await refresh();
      onDone(resultNotice(result, where));
    },
    onError: async (error) => {
      const notice = refusalNotice(error, what);
      // an approval is stored and waits: the dialog's work is done; a refusal stays here
      if (notice.approvalId) {
        await refresh();
        onDone(notice);
      }
    },
  });

  const missing =
    !target ||
    (action.kind !== 'undeploy' && wanted === null) ||
    (action.kind === 'promote' && from === to);
  const loading = (running !== null && !before.data) || (wanted !== null && !after.data);
  // a revision without parameters for the target has nothing to run there (the API refuses)
  const noParameters =
    action.kind !== 'undeploy' &&
    after.data !== undefined &&
    !(target in after.data.spec.environments);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!missing && !noParameters && (!production || sure)) run.mutate();
  }

  const select = (
    id: string,
    label: string,
    value: string,
    onChange: (value: string) => void,
    options: Environment[],
  ) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(event) => {
          onChange(event.target.value);
          setSure(false);
          run.reset();
        }}
      >
        {options.map((env) => (
          <option key={env.id} value={env.id}>
            {env.name}
            {deployed[env.id] ? ` (runs revision ${deployed[env.id]?.revision})` : ''}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <Dialog title={`${titles[action.kind]}: ${connection.name}`} onClose={onClose}>
      <form className="cx-wide" onSubmit={submit}>
        <div className="cx-choices">
          {action.kind === 'deploy' && (
            <div className="field">
              <label htmlFor="deploy-revision">Revision</label>
              <select
                id="deploy-revision"
                value={revision}
                onChange={(event) => {
                  setRevision(Number(event.target.value));
                  run.reset();
                }}
              >
                {(choices.data?.items ?? [{ revision: connection.revision }]).map((r) => (
                  <option key={r.revision} value={r.revision}>
                    {r.revision}
                    {r.revision === connection.revision ? ' (latest)' : ''}
                  </option>
                ))}
              </select>
            </div>
          )}
          {action.kind === 'promote' &&
            select(
              'promote-from',
              'From',
              from,
              setFrom,
              environments.filter((e) => e.id in deployed),
            )}
          {action.kind === 'promote'
            ? select(
                'promote-to',
                'To',
                to,
                setTo,
                environments.filter((e) => e.id !== from),
              )
            : select(
                'deploy-environment',
                'Environment',
                environment,
                setEnvironment,
                action.kind === 'undeploy'
                  ? environments.filter((e) => e.id in deployed)
                  : environments,
              )}
        </div>

        {action.kind === 'promote' && from === to && (
          <p className="hint">Choose two different environments.</p>
        )}
        {noParameters && (
          <p className="banner error" role="alert">
            Revision {wanted} has no parameters for {where}: nothing to deploy there. Add them in
            the editor, save, then deploy the new revision.
          </p>
        )}
        {!missing && !noParameters && (
          <>
            <p>
              {action.kind === 'undeploy'
                ? `${where} stops running revision ${running}: its calls fail with CONNECTION_NOT_DEPLOYED and its queued deliveries wait.`
                : running === wanted
                  ? `${where} already runs revision ${wanted}: deploying it again pins the variables' current values.`
                  : `${where} runs ${running === null ? 'nothing' : `revision ${running}`} now; after this it runs revision ${wanted}.`}
            </p>
            {before.error && <ErrorNote error={before.error} />}
            {after.error && <ErrorNote error={after.error} />}
            {loading ? (
              <p className="loading">Loading the revisions…</p>
            ) : (
              <LineDiff
                label={`What changes in ${where}`}
                before={running === null ? nothingRuns : runningText(before.data?.spec, target)}
                after={wanted === null ? nothingRuns : runningText(after.data?.spec, target)}
              />
            )}
          </>
        )}
        {production && !isAdmin && (
          <p className="hint">
            Deploys to {where} (a production environment) are made by admins: the API will refuse
            this for you. Ask an admin, or deploy outside production.
          </p>
        )}
        {production && connection.critical && (
          <p className="hint">
            {connection.name} is critical: in {where} this waits for a second admin to approve it.
          </p>
        )}
        {production && !missing && !noParameters && (
          <label className="check cx-confirm">
            <input
              type="checkbox"
              checked={sure}
              onChange={(event) => setSure(event.target.checked)}
            />
            {where} is a production environment: yes, change what it runs.
          </label>
        )}
        {run.error && !refusalNotice(run.error, what).approvalId && (
          <p className="banner error" role="alert">
            {refusalNotice(run.error, what).text}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${action.kind === 'undeploy' ? 'danger' : 'primary'}`}
            disabled={missing || loading || noParameters || run.isPending || (production && !sure)}
          >
            {run.isPending ? 'Working…' : verb}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
