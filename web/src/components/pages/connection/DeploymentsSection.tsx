import { useState } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { DeploymentResult } from '../../../../../src/contracts/deployments.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import { RedeployNote } from '../RedeployNote.tsx';
import { ListFooter, useCursorList } from '../cursorList.tsx';
import { Time } from '../Time.tsx';
import { useEnvironments } from '../useEnvironments.ts';
import { useCan } from '../../../session.tsx';
import { DeployDialog, type DeployAction } from './DeployDialog.tsx';
import { environmentName, type LifecycleNotice } from './lifecycle.ts';
import { NoticeLine } from './NoticeLine.tsx';
import './connection-page.css';

const outcomeTone = { deployed: 'ok', undeployed: 'info', unchanged: 'info', failed: 'bad' };

const viewerReason = 'Editors and admins deploy (admins in production)';

/**
 * What each environment runs now, with Deploy, Promote and Undeploy per environment, and every
 * deploy and undeploy before (newest first).
 */
export function DeploymentsSection({ connection }: { connection: Connection }) {
  const environments = useEnvironments();
  const canDeploy = useCan('editor');
  const [environment, setEnvironment] = useState('');
  const [action, setAction] = useState<DeployAction | null>(null);
  const [notice, setNotice] = useState<LifecycleNotice | null>(null);
  const { list, rows } = useCursorList<DeploymentResult>(
    ['connections', 'deployments'],
    `/connections/${connection.id}/deployments`,
    { environment: environment || undefined, limit: 20 },
  );
  const known = environments.data?.items ?? [];
  const deployedCount = known.filter((env) => connection.deployments?.[env.id]).length;
  const open = (next: DeployAction) => {
    setNotice(null);
    setAction(next);
  };
  const button = (label: string, name: string, next: DeployAction, disabledWhy?: string) => (
    <button
      type="button"
      className="button small"
      aria-label={name}
      disabled={!canDeploy || disabledWhy !== undefined}
      title={!canDeploy ? viewerReason : disabledWhy}
      onClick={() => open(next)}
    >
      {label}
    </button>
  );

  return (
    <section className="panel" aria-labelledby="deployments-head" id="deployments">
      <div className="section-head">
        <h2 id="deployments-head">Deployments</h2>
        <div className="cx-row-actions">
          {button('Deploy a revision…', 'Deploy a revision…', { kind: 'deploy' })}
          {button(
            'Promote…',
            'Promote…',
            { kind: 'promote' },
            deployedCount === 0 ? 'Deploy it somewhere first: promote copies what runs' : undefined,
          )}
        </div>
      </div>
      <NoticeLine notice={notice} />
      {environments.error && <ErrorNote error={environments.error} />}
      <div className="table-wrap">
        <table className="table" aria-label="Deployed now">
          <thead>
            <tr>
              <th scope="col">Environment</th>
              <th scope="col">Kind</th>
              <th scope="col">Runs</th>
              <th scope="col">Deployed by</th>
              <th scope="col">When</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {known.map((env) => {
              const deployed = connection.deployments?.[env.id];
              const configured = env.id in connection.environments;
              return (
                <tr key={env.id} data-environment={env.id}>
                  <th scope="row">{env.name}</th>
                  <td>{env.kind}</td>
                  <td>
                    {deployed ? (
                      <>
                        <span className="deployed">
                          <span className="dot ok" aria-hidden="true" />
                          revision {deployed.revision}
                          {deployed.revision < connection.revision && (
                            <span className="muted"> (latest is {connection.revision})</span>
                          )}
                        </span>
                        <RedeployNote variables={deployed.variablesChanged} />
                      </>
                    ) : configured ? (
                      <span className="muted">configured, not deployed</span>
                    ) : (
                      <span className="muted">no parameters</span>
                    )}
                  </td>
                  <td>{deployed?.deployedBy ?? <span className="muted">—</span>}</td>
                  <td>
                    <Time value={deployed?.deployedAt} />
                  </td>
                  <td>
                    <div className="cx-row-actions">
                      {button(
                        'Deploy…',
                        `Deploy to ${env.name}…`,
                        { kind: 'deploy', environment: env.id },
                        configured || deployed
                          ? undefined
                          : `No parameters for ${env.name}: add them in the editor first`,
                      )}
                      {deployed &&
                        known.length > 1 &&
                        button('Promote…', `Promote from ${env.name}…`, {
                          kind: 'promote',
                          from: env.id,
                        })}
                      {deployed &&
                        button('Undeploy…', `Undeploy from ${env.name}…`, {
                          kind: 'undeploy',
                          environment: env.id,
                        })}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>

      <div className="section-head">
        <h3>History</h3>
        <div className="field inline">
          <label htmlFor="deployments-environment">Environment</label>
          <select
            id="deployments-environment"
            value={environment}
            onChange={(event) => setEnvironment(event.target.value)}
          >
            <option value="">Any</option>
            {known.map((env) => (
              <option key={env.id} value={env.id}>
                {env.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Deployment history" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Environment</th>
                <th scope="col">Action</th>
                <th scope="col">Revision</th>
                <th scope="col">Outcome</th>
                <th scope="col">Who</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((result) => (
                <tr key={result.id}>
                  <td className="nowrap">
                    <Time value={result.createdAt} />
                  </td>
                  <td>{environmentName(known, result.environment)}</td>
                  <td>{result.action}</td>
                  <td className="nowrap">
                    {result.previousRevision !== null &&
                      result.previousRevision !== result.revision && (
                        <span className="muted">{result.previousRevision} → </span>
                      )}
                    {result.revision ?? <span className="muted">—</span>}
                  </td>
                  <td>
                    <span className={`pill ${outcomeTone[result.outcome]}`}>{result.outcome}</span>
                  </td>
                  <td>{result.createdBy}</td>
                  <td className="message">{result.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty={
          environment
            ? `Never deployed to ${environmentName(known, environment)}.`
            : 'Never deployed.'
        }
      />
      {action && (
        <DeployDialog
          connection={connection}
          environments={known}
          action={action}
          onDone={(done) => {
            setAction(null);
            setNotice(done);
          }}
          onClose={() => setAction(null)}
        />
      )}
    </section>
  );
}
