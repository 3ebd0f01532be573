import { useState } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { DeploymentResult } from '../../../../../src/contracts/deployments.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import { RedeployNote } from '../RedeployNote.tsx';
import { ListFooter, useCursorList } from '../cursorList.tsx';
import { Time } from '../Time.tsx';
import { useEnvironments } from '../useEnvironments.ts';

const outcomeTone = { deployed: 'ok', undeployed: 'info', unchanged: 'info', failed: 'bad' };

/** What each environment runs now, and every deploy and undeploy before (newest first). */
export function DeploymentsSection({ connection }: { connection: Connection }) {
  const environments = useEnvironments();
  const [environment, setEnvironment] = useState('');
  const { list, rows } = useCursorList<DeploymentResult>(
    ['connections', 'deployments'],
    `/connections/${connection.id}/deployments`,
    { environment: environment || undefined, limit: 20 },
  );
  const known = environments.data?.items ?? [];

  return (
    <section className="panel" aria-labelledby="deployments-head" id="deployments">
      <h2 id="deployments-head">Deployments</h2>
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
            </tr>
          </thead>
          <tbody>
            {known.map((env) => {
              const deployed = connection.deployments?.[env.id];
              const configured = env.id in connection.environments;
              return (
                <tr key={env.id} data-environment={env.id}>
                  <th scope="row">{env.id}</th>
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
                {env.id}
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
                  <td>{result.environment}</td>
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
        empty={environment ? `Never deployed to ${environment}.` : 'Never deployed.'}
      />
    </section>
  );
}
