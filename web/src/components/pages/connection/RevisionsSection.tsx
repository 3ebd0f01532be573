import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type {
  Connection,
  Revision,
  RevisionSummary,
} from '../../../../../src/contracts/connections.ts';
import { get } from '../../../api/client.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import { ListFooter, useCursorList } from '../cursorList.tsx';
import { LineDiff } from '../LineDiff.tsx';
import { Time } from '../Time.tsx';

function useRevision(connectionId: string, revision: number | undefined) {
  return useQuery({
    queryKey: ['connections', 'revision', connectionId, revision],
    queryFn: () => get<Revision>(`/connections/${connectionId}/revisions/${revision}`),
    enabled: revision !== undefined,
    // a revision never changes
    staleTime: Infinity,
  });
}

/** Every saved revision (newest first), and what changed between any two of them. */
export function RevisionsSection({ connection }: { connection: Connection }) {
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
      .map(([environment]) => environment);

  return (
    <section className="panel" aria-labelledby="revisions-head" id="revisions">
      <h2 id="revisions-head">Revisions</h2>
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
    </section>
  );
}
