import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Delivery } from '../../../../../src/contracts/deliveries.ts';
import type { DeployedRequestOut } from '../../../../../src/contracts/deployed-request.ts';
import { get } from '../../../api/client.ts';
import { ErrorNote } from '../../ErrorNote.tsx';
import { CopyButton } from '../CopyButton.tsx';
import { SentRequest } from '../SentRequest.tsx';
import { useEnvironments } from '../useEnvironments.ts';
import { callSnippets, paramNamesIn } from './callSnippets.ts';
import './call-it.css';

/**
 * "Call it" (issue 14 §4 and §10): per environment the connection is deployed in, the request
 * its deployed revision sends (Copy as curl, secrets as `$HOOKLINE_SECRET_*`), and how to call
 * it through Hookline — curl, the CLI and Node. Open and set apart while the connection is
 * deployed but has no delivery yet: the next step of a fresh connection.
 */
export function CallItSection({ connection }: { connection: Connection }) {
  const environments = useEnvironments();
  const deployedIds = Object.keys(connection.deployments ?? {});
  // environments in their configured order, by name; ids the list does not know at the end
  const known = environments.data?.items ?? [];
  const deployed = [
    ...known.filter((env) => deployedIds.includes(env.id)),
    ...deployedIds
      .filter((id) => !known.some((env) => env.id === id))
      .map((id) => ({ id, name: id })),
  ];
  const [chosen, setChosen] = useState('');
  const environment = deployed.some((env) => env.id === chosen) ? chosen : deployed[0]?.id;
  const anyDelivery = useQuery({
    queryKey: ['deliveries', 'any', connection.id],
    queryFn: () =>
      get<{ items: Delivery[] }>('/deliveries', { connection: connection.id, limit: 1 }),
    enabled: deployed.length > 0,
  });
  if (deployed.length === 0) return null;
  const fresh = anyDelivery.data !== undefined && anyDelivery.data.items.length === 0;

  return (
    <section
      className={`panel call-it${fresh ? ' fresh' : ''}`}
      aria-labelledby="call-it-head"
      id="call-it"
    >
      <div className="section-head">
        <h2 id="call-it-head">Call it</h2>
        {deployed.length > 1 && (
          <div className="field inline">
            <label htmlFor="call-it-environment">Environment</label>
            <select
              id="call-it-environment"
              value={environment}
              onChange={(event) => setChosen(event.target.value)}
            >
              {deployed.map((env) => (
                <option key={env.id} value={env.id}>
                  {env.name}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      {fresh && (
        <p className="lead">
          Deployed, and not called yet. Send it a first delivery with one of these, then watch it
          under Recent deliveries.
        </p>
      )}
      {environment && (
        <CallItIn
          key={environment}
          connection={connection}
          environment={environment}
          environmentName={deployed.find((env) => env.id === environment)?.name ?? environment}
          open={fresh}
        />
      )}
    </section>
  );
}

function CallItIn({
  connection,
  environment,
  environmentName,
  open,
}: {
  connection: Connection;
  environment: string;
  environmentName: string;
  open: boolean;
}) {
  const deployedAt = connection.deployments?.[environment]?.deployedAt;
  // Keyed by the deploy itself and NOT under ['connections']: a lifecycle action invalidates
  // that whole key, and an undeploy would then ask for the request of an environment that no
  // longer runs the connection (409) before the page learns it was undeployed. A new deploy
  // (another revision, or the same one with newly pinned variables) is a new deployedAt.
  const request = useQuery({
    queryKey: ['deployed-request', connection.id, environment, deployedAt],
    queryFn: () =>
      get<DeployedRequestOut>(
        `/connections/${connection.id}/deployments/${encodeURIComponent(environment)}/request`,
      ),
  });
  if (request.error) return <ErrorNote error={request.error} />;
  if (!request.data) return <p className="loading">Loading the deployed request…</p>;
  const sent = request.data;
  const snippets = callSnippets({
    name: connection.name,
    project: connection.global || connection.project === 'default' ? null : connection.project,
    environment,
    params: paramNamesIn([sent.url, ...sent.headers.map((header) => header.value)]),
  });
  return (
    <div className="call-it-body">
      <details className="call-it-part" open={open}>
        <summary>Through Hookline (durable delivery, retried and recorded)</summary>
        <p className="muted">
          With <code>HOOKLINE_URL</code> set to this server (<code>{window.location.origin}</code>)
          and <code>HOOKLINE_TOKEN</code> to a token you create under{' '}
          <Link to="/account">Your account</Link>:
        </p>
        <Snippet label={`curl through Hookline (${environmentName})`} text={snippets.curl} />
        <Snippet label={`CLI (${environmentName})`} text={snippets.cli} />
        <Snippet label={`Node (${environmentName})`} text={snippets.node} />
      </details>
      <details className="call-it-part" open={open}>
        <summary>
          Straight to the target: revision {sent.revision} in {environmentName}
        </summary>
        {sent.placeholders.length > 0 && (
          <p className="muted">
            Set{' '}
            {sent.placeholders.map((name, index) => (
              <span key={name}>
                {index > 0 && ', '}
                <code>{name}</code>
              </span>
            ))}{' '}
            first: secrets and params are never written into the command.
          </p>
        )}
        {sent.signing !== 'none' && (
          <p className="row-note">
            This revision signs each call ({sent.signing}); the command carries no signature, so a
            target that checks signatures will refuse it.
          </p>
        )}
        <SentRequest
          request={{
            method: sent.method,
            url: sent.url,
            headers: sent.headers.map((header) => [header.name, header.value] as [string, string]),
          }}
          label={environmentName}
        />
      </details>
    </div>
  );
}

function Snippet({ label, text }: { label: string; text: string }) {
  return (
    <div className="snippet">
      <div className="snippet-head">
        <span>{label}</span>
        <CopyButton text={text} label={`Copy ${label}`} />
      </div>
      <pre className="code-block" tabIndex={0} aria-label={label}>
        <code>{text}</code>
      </pre>
    </div>
  );
}
