import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Approval } from '../../../../src/contracts/access.ts';
import type { Connection, Revision } from '../../../../src/contracts/connections.ts';
import { get } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';
import { LineDiff } from './LineDiff.tsx';
import { useEnvironmentNames, useEnvironments } from './useEnvironments.ts';

function useRevisionSpec(connectionId: string, revision: number | undefined) {
  return useQuery({
    queryKey: ['connections', 'revision', connectionId, revision],
    queryFn: () => get<Revision>(`/connections/${connectionId}/revisions/${revision}`),
    enabled: revision !== undefined,
    // a revision never changes
    staleTime: Infinity,
  });
}

const spec = (revision: Revision | undefined) =>
  revision ? JSON.stringify(revision.spec, null, 2) : '';

/**
 * What approving changes, for the admin who decides: for a deploy, the diff between the
 * revision running in that environment now and the one asked for (the revisions' diff view);
 * for an undeploy or a change of kind, a sentence.
 */
export function ApprovalContext({ approval }: { approval: Approval }) {
  const environmentName = useEnvironmentNames();
  const environments = useEnvironments();
  const where = environmentName(approval.environment);
  if (approval.action === 'environment-kind' || approval.connectionId === null) {
    const was = environments.data?.items.find((env) => env.id === approval.environment)?.kind;
    return (
      <p className="approval-context">
        Approving makes <strong>{where}</strong> a <strong>{approval.kind}</strong>-kind environment
        {was ? ` (it is ${was}-kind now)` : ''}.{' '}
        {approval.kind === 'production'
          ? 'From then on, only admins deploy there, and deploying or undeploying a critical connection there waits for a second admin.'
          : 'From then on, editors deploy there too, and critical connections deploy and undeploy there without a second admin.'}
      </p>
    );
  }
  return (
    <ConnectionChange approval={approval} connectionId={approval.connectionId} where={where} />
  );
}

function ConnectionChange({
  approval,
  connectionId,
  where,
}: {
  approval: Approval;
  connectionId: string;
  where: string;
}) {
  const connection = useQuery({
    queryKey: ['connections', connectionId],
    queryFn: () => get<Connection>(`/connections/${connectionId}`),
  });
  const running = connection.data?.deployments?.[approval.environment]?.revision;
  const current = useRevisionSpec(connectionId, running);
  const requested = useRevisionSpec(
    connectionId,
    approval.action === 'deploy' ? (approval.revision ?? undefined) : undefined,
  );
  const name = (
    <Link to={`/connections/${connectionId}`}>{connection.data?.name ?? approval.connection}</Link>
  );

  if (connection.error) return <ErrorNote error={connection.error} />;
  if (!connection.data) return <p className="loading">Loading what runs in {where}…</p>;

  if (approval.action === 'undeploy') {
    return (
      <p className="approval-context">
        Approving stops {name} in <strong>{where}</strong>:{' '}
        {running === undefined
          ? 'nothing of it runs there any more, so nothing changes.'
          : `revision ${running} no longer runs there, and calls to it there are refused until a revision is deployed again.`}
      </p>
    );
  }

  const error = current.error ?? requested.error;
  const loading = (running !== undefined && !current.data) || !requested.data;
  return (
    <div className="approval-context">
      <p>
        {running === undefined ? (
          <>
            Nothing of {name} runs in <strong>{where}</strong> now: approving deploys revision{' '}
            {approval.revision}, shown whole below.
          </>
        ) : running === approval.revision ? (
          <>
            Revision {approval.revision} of {name} already runs in <strong>{where}</strong>:
            approving deploys it again, with its variables' current values.
          </>
        ) : (
          <>
            In <strong>{where}</strong>, {name} runs revision {running} now; approving replaces it
            with revision {approval.revision}:
          </>
        )}
      </p>
      {error ? (
        <ErrorNote error={error} />
      ) : loading ? (
        <p className="loading">Loading the revisions…</p>
      ) : (
        <LineDiff
          label={
            running === undefined
              ? `Revision ${approval.revision} of ${connection.data.name}`
              : `Changes from revision ${running} (running in ${where}) to revision ${approval.revision}`
          }
          before={spec(current.data)}
          after={spec(requested.data)}
        />
      )}
    </div>
  );
}
