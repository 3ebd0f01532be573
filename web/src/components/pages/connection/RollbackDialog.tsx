// Roll back to a revision, as the modelled product's Audit/Rollback does: the API saves the old
// configuration as a NEW revision (history is never rewritten) and changes nothing that runs.
// So the dialog offers to deploy that new revision where the connection runs now, each
// environment with its own diff, and asks for the connection's name, re-typed, to confirm.
import { useState, type FormEvent } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { DeploymentResult } from '../../../../../src/contracts/deployments.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { api } from '../../../api/client.ts';
import { Dialog } from '../../Dialog.tsx';
import { errorText } from '../../ErrorNote.tsx';
import { LineDiff } from '../LineDiff.tsx';
import {
  environmentName,
  isProduction,
  refusalNotice,
  resultNotice,
  runningText,
  useRefreshConnection,
  type LifecycleNotice,
} from './lifecycle.ts';
import { useRevision } from './useRevision.ts';
import { TypeNameToConfirm } from './TypeNameToConfirm.tsx';

export function RollbackDialog({
  connection,
  environments,
  revision,
  onDone,
  onClose,
}: {
  connection: Connection;
  environments: Environment[];
  /** the revision whose configuration comes back */
  revision: number;
  onDone(notice: LifecycleNotice): void;
  onClose(): void;
}) {
  const deployed = connection.deployments ?? {};
  const running = environments.filter((e) => e.id in deployed);
  // where deploying makes sense: where it runs now; production only when asked for by name
  const [deployTo, setDeployTo] = useState<string[]>(
    running.filter((e) => e.kind !== 'production').map((e) => e.id),
  );
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const latest = useRevision(connection.id, connection.revision);
  const old = useRevision(connection.id, revision);
  const refresh = useRefreshConnection();
  const next = connection.revision + 1;
  const confirmed = typed === connection.name;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!confirmed || busy) return;
    setBusy(true);
    setError(null);
    let saved: Connection;
    try {
      saved = await api<Connection>('POST', `/connections/${connection.id}/rollback`, {
        body: { revision },
      });
    } catch (refused) {
      setError(`The rollback was refused: ${errorText(refused)}`);
      setBusy(false);
      return;
    }
    const said: string[] = [
      `Rolled back: revision ${saved.revision} has the configuration of revision ${revision}.`,
    ];
    let approvalId: string | undefined;
    let failed = false;
    for (const id of deployTo) {
      const where = environmentName(environments, id);
      try {
        const result = await api<DeploymentResult>('POST', `/connections/${connection.id}/deploy`, {
          body: { environment: id, revision: saved.revision },
        });
        said.push(resultNotice(result, where).text);
      } catch (refused) {
        const notice = refusalNotice(refused, `Deploying revision ${saved.revision} to ${where}`);
        approvalId ??= notice.approvalId;
        failed ||= notice.tone === 'error';
        said.push(notice.text);
      }
    }
    if (deployTo.length === 0) said.push('Nothing that runs changed: deploy it where you want it.');
    await refresh();
    onDone({
      tone: failed ? 'error' : approvalId ? 'info' : 'success',
      text: said.join(' '),
      approvalId,
    });
  }

  const toggle = (id: string, on: boolean) =>
    setDeployTo((was) => (on ? [...was, id] : was.filter((other) => other !== id)));

  return (
    <Dialog title={`Roll back ${connection.name} to revision ${revision}?`} onClose={onClose}>
      <form className="cx-wide" onSubmit={(event) => void submit(event)}>
        <p>
          Rollback saves the configuration of revision {revision} as a new revision {next}. The
          revisions in between stay in the history. What runs does not change until the new revision
          is deployed.
        </p>
        {old.data && latest.data ? (
          <LineDiff
            label={`Changes from revision ${connection.revision} (latest) to revision ${next}`}
            before={JSON.stringify(latest.data.spec, null, 2)}
            after={JSON.stringify(old.data.spec, null, 2)}
          />
        ) : (
          <p className="loading">Loading the revisions…</p>
        )}
        {running.length > 0 ? (
          <fieldset className="fieldset">
            <legend>Then deploy revision {next} to</legend>
            {running.map((env) => (
              <div key={env.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={deployTo.includes(env.id)}
                    onChange={(event) => toggle(env.id, event.target.checked)}
                  />
                  {env.name} (runs revision {deployed[env.id]?.revision})
                  {env.kind === 'production' && ' — production'}
                  {env.kind === 'production' && connection.critical && ', waits for a second admin'}
                </label>
                {deployTo.includes(env.id) && old.data && (
                  <details>
                    <summary>What changes in {env.name}</summary>
                    <RunningDiff connection={connection} environment={env} after={old.data.spec} />
                  </details>
                )}
              </div>
            ))}
          </fieldset>
        ) : (
          <p className="hint">It runs nowhere yet: deploy the new revision when you want it.</p>
        )}
        {deployTo.some((id) => isProduction(environments, id)) && (
          <p className="cx-confirm">
            This deploys to a production environment: the name you type below confirms that too.
          </p>
        )}
        <TypeNameToConfirm
          id="rollback-confirm"
          name={connection.name}
          typed={typed}
          onTyped={setTyped}
        />
        {error && (
          <p className="banner error" role="alert">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!confirmed || busy}>
            {busy ? 'Rolling back…' : `Roll back to revision ${revision}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** What runs in one environment now against what the rolled-back revision would run there. */
function RunningDiff({
  connection,
  environment,
  after,
}: {
  connection: Connection;
  environment: Environment;
  after: Parameters<typeof runningText>[0];
}) {
  const running = useRevision(connection.id, connection.deployments?.[environment.id]?.revision);
  if (!running.data) return <p className="loading">Loading…</p>;
  return (
    <LineDiff
      label={`What changes in ${environment.name}`}
      before={runningText(running.data.spec, environment.id)}
      after={runningText(after, environment.id)}
    />
  );
}
