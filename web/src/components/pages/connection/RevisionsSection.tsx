import { useState } from 'react';
import type { Connection, RevisionSummary } from '../../../../../src/contracts/connections.ts';
import { useCan } from '../../../session.tsx';
import { ErrorNote } from '../../ErrorNote.tsx';
import { ListFooter, useCursorList } from '../cursorList.tsx';
import { LineDiff } from '../LineDiff.tsx';
import { Time } from '../Time.tsx';
import { useEnvironments } from '../useEnvironments.ts';
import { DeployDialog } from './DeployDialog.tsx';
import type { LifecycleNotice } from './lifecycle.ts';
import { NoticeLine } from './NoticeLine.tsx';
import { RollbackDialog } from './RollbackDialog.tsx';
import { useRevision } from './useRevision.ts';
import './connection-page.css';

type Chosen = { kind: 'rollback' | 'deploy'; revision: number } | null;

/**
 * Every saved revision (newest first) with Roll back and Deploy, and what changed between any
 * two of them.
 */
export function RevisionsSection({ connection }: { connection: Connection }) {
  const canChange = useCan('editor');
  const environments = useEnvironments().data?.items ?? [];
  const [chosen, setChosen] = useState<Chosen>(null);
  const [notice, setNotice] = useState<LifecycleNotice | null>(null);
  const choose = (next: Chosen) => {
    setNotice(null);
    setChosen(next);
  };
  const done = (said: LifecycleNotice) => {
    setChosen(null);
    setNotice(said);
  };
  const { list, rows } = useCursorList<RevisionSummary>(
    ['connections', 'revisions'],
    `/connections/${connection.id}/revisions`,
    { limit: 50 },
  );
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  // until chosen: the latest against the one before it
  const toRevision = to ?? rows[0]?.revision;
  const fromRevision = from ?? rows[1]?.revision ?? rows[0]?.revision;
  const before = useRevision(connection.id, fromRevision);
  const after = useRevision(connection.id, toRevision);
  const deployedIn = (revision: number) =>
    Object.entries(connection.deployments ?? {})
      .filter(([, state]) => state.revision === revision)
      .map(([id]) => environments.find((env) => env.id === id)?.name ?? id);

  return (
    <section className="panel" aria-labelledby="revisions-head" id="revisions">
      <h2 id="revisions-head">Revisions</h2>
      <NoticeLine notice={notice} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Revisions" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Revision</th>
                <th scope="col">Action</th>
                <th scope="col">Who</th>
                <th scope="col">When</th>
                <th scope="col">Deployed in</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((revision) => (
                <tr key={revision.revision}>
                  <th scope="row">{revision.revision}</th>
                  <td>{revision.action}</td>
                  <td>{revision.createdBy}</td>
                  <td>
                    <Time value={revision.createdAt} />
                  </td>
                  <td>
                    {deployedIn(revision.revision).join(', ') || <span className="muted">—</span>}
                  </td>
                  <td>
                    <div className="cx-row-actions">
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Roll back to revision ${revision.revision}…`}
                        disabled={!canChange || revision.revision === connection.revision}
                        title={
                          !canChange
                            ? 'Editors and admins roll back'
                            : revision.revision === connection.revision
                              ? 'This is the latest revision'
                              : undefined
                        }
                        onClick={() => choose({ kind: 'rollback', revision: revision.revision })}
                      >
                        Roll back…
                      </button>
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Deploy revision ${revision.revision}…`}
                        disabled={!canChange}
                        title={canChange ? undefined : 'Editors and admins deploy'}
                        onClick={() => choose({ kind: 'deploy', revision: revision.revision })}
                      >
                        Deploy…
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter list={list} count={rows.length} empty="No revisions." />

      {rows.length > 0 && (
        <>
          <div className="section-head">
            <h3>Compare</h3>
            <form className="filters" onSubmit={(event) => event.preventDefault()}>
              <div className="field inline">
                <label htmlFor="diff-from">From revision</label>
                <select
                  id="diff-from"
                  value={fromRevision}
                  onChange={(event) => setFrom(Number(event.target.value))}
                >
                  {rows.map((revision) => (
                    <option key={revision.revision} value={revision.revision}>
                      {revision.revision}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field inline">
                <label htmlFor="diff-to">To revision</label>
                <select
                  id="diff-to"
                  value={toRevision}
                  onChange={(event) => setTo(Number(event.target.value))}
                >
                  {rows.map((revision) => (
                    <option key={revision.revision} value={revision.revision}>
                      {revision.revision}
                    </option>
                  ))}
                </select>
              </div>
            </form>
          </div>
          {before.error && <ErrorNote error={before.error} />}
          {after.error && <ErrorNote error={after.error} />}
          {before.data && after.data ? (
            <LineDiff
              label={`Changes from revision ${fromRevision} to revision ${toRevision}`}
              before={JSON.stringify(before.data.spec, null, 2)}
              after={JSON.stringify(after.data.spec, null, 2)}
            />
          ) : (
            !before.error && !after.error && <p className="loading">Loading revisions…</p>
          )}
        </>
      )}
      {chosen?.kind === 'rollback' && (
        <RollbackDialog
          connection={connection}
          environments={environments}
          revision={chosen.revision}
          onDone={done}
          onClose={() => setChosen(null)}
        />
      )}
      {chosen?.kind === 'deploy' && (
        <DeployDialog
          connection={connection}
          environments={environments}
          action={{ kind: 'deploy', revision: chosen.revision }}
          onDone={done}
          onClose={() => setChosen(null)}
        />
      )}
    </section>
  );
}
