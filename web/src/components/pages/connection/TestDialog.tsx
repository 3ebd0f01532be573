// [Test] on the connection page: a sample call in a chosen environment, either as Test
// Connection (one real call of the latest revision, deployed or not: outcome, timings, hint)
// or as a test delivery (durable, through the deployed revision, visible in Deliveries).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Delivery } from '../../../../../src/contracts/deliveries.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import type { TestResult } from '../../../../../src/contracts/invoke.ts';
import { api, get } from '../../../api/client.ts';
import { Dialog } from '../../Dialog.tsx';
import { TestResultPanel } from '../../editor/TestResult.tsx';
import { ErrorNote } from '../../ErrorNote.tsx';
import { DeliveryStatus } from '../DeliveriesTable.tsx';
import { environmentName } from './lifecycle.ts';
import { callRequest, paramNamesOf, sampleBody, type SampleCall } from './sampleCall.ts';
import { SampleCallFields } from './SampleCallFields.tsx';
import '../../../editor.css';

type Mode = 'test' | 'deliver';
/** While a test delivery is pending or in flight, its state is read again this often. */
const deliveryPollMs = 1000;
const settled = new Set(['succeeded', 'failed', 'paused']);

function firstEnvironment(connection: Connection, environments: Environment[]): string {
  const configured = environments.filter((env) => env.id in connection.environments);
  // where it runs outside production first: a test there bothers nobody
  return (
    configured.find((env) => env.kind !== 'production' && connection.deployments?.[env.id])?.id ??
    configured.find((env) => env.kind !== 'production')?.id ??
    configured[0]?.id ??
    ''
  );
}

export function TestDialog({
  connection,
  environments,
  mode: initialMode,
  onClose,
}: {
  connection: Connection;
  environments: Environment[];
  mode: Mode;
  onClose(): void;
}) {
  const queryClient = useQueryClient();
  const [call, setCall] = useState<SampleCall>(() => {
    const environment = firstEnvironment(connection, environments);
    return {
      environment,
      format: 'json',
      body: sampleBody(connection.name),
      params: paramNamesOf(connection, environment).map((name) => ({ name, value: '' })),
    };
  });
  const [mode, setMode] = useState<Mode>(initialMode);
  const where = environmentName(environments, call.environment);
  const deployed = connection.deployments?.[call.environment];
  const prepared = callRequest(call);
  // said after a Run, not while typing: half-typed JSON is not a mistake yet
  const [tried, setTried] = useState(false);
  const problem = tried && 'problem' in prepared ? prepared.problem : null;

  const test = useMutation({
    mutationFn: (body: unknown) =>
      api<TestResult>('POST', `/connections/${connection.id}/test`, { body }),
  });
  const deliver = useMutation({
    mutationFn: (body: unknown) =>
      api<{ id: string; status: string; duplicate: boolean }>(
        'POST',
        `/connections/${connection.id}/deliveries`,
        {
          body,
        },
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
  });
  const sent = deliver.data?.id;
  // the delivery as it goes: read again until it succeeded, failed or paused
  const delivery = useQuery({
    queryKey: ['delivery', sent],
    queryFn: () => get<Delivery>(`/deliveries/${sent}`),
    enabled: sent !== undefined,
    refetchInterval: (query) =>
      query.state.data && settled.has(query.state.data.status) ? false : deliveryPollMs,
  });

  // settled: the page's Recent deliveries (and the list) show it as it ended
  const settledStatus =
    delivery.data && settled.has(delivery.data.status) ? delivery.data.status : null;
  useEffect(() => {
    if (settledStatus) void queryClient.invalidateQueries({ queryKey: ['deliveries'] });
  }, [settledStatus, queryClient]);

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!('body' in prepared)) return;
    if (mode === 'test') test.mutate(prepared.body);
    else deliver.mutate(prepared.body);
  }

  const change = (next: SampleCall) => {
    setCall(next);
    test.reset();
    deliver.reset();
  };
  const busy = test.isPending || deliver.isPending;
  const cannotSend =
    mode === 'deliver' && !deployed
      ? `${connection.name} is not deployed in ${where}: a delivery goes through the deployed revision. Deploy it, or run Test Connection (it tests the latest revision).`
      : undefined;
  const status = delivery.data?.status ?? deliver.data?.status;

  return (
    <Dialog title={`Test ${connection.name}`} onClose={onClose}>
      <form className="cx-wide" onSubmit={submit}>
        <fieldset className="fieldset">
          <legend>What to do</legend>
          <label className="check">
            <input
              type="radio"
              name="test-mode"
              checked={mode === 'test'}
              onChange={() => setMode('test')}
            />
            Test Connection: call the latest revision (r{connection.revision}) now and show what
            came back. Nothing is stored.
          </label>
          <label className="check">
            <input
              type="radio"
              name="test-mode"
              checked={mode === 'deliver'}
              onChange={() => setMode('deliver')}
            />
            Send a test delivery: a durable delivery through the deployed revision, retried as
            configured and listed in Deliveries.
          </label>
        </fieldset>
        <SampleCallFields
          connection={connection}
          environments={environments}
          call={call}
          problem={problem}
          onChange={change}
        />
        {cannotSend && <p className="hint">{cannotSend}</p>}
        {test.error && <ErrorNote error={test.error} />}
        {deliver.error && <ErrorNote error={deliver.error} />}
        {mode === 'test' && test.data && (
          <TestResultPanel result={test.data} environmentName={where} draft={false} />
        )}
        {mode === 'deliver' && deliver.data && (
          <div className="cx-delivery" role="status" aria-label="Test delivery">
            <p>
              {deliver.data.duplicate ? 'Already accepted: ' : 'Accepted: '}
              delivery <code>{deliver.data.id}</code> is{' '}
              <DeliveryStatus status={status ?? 'pending'} />
              {delivery.data?.lastStatus != null && <> (HTTP {delivery.data.lastStatus})</>}
              {delivery.data?.reason && <> — {delivery.data.reason}</>}
            </p>
            <Link
              to={`/deliveries?connection=${connection.id}&environment=${call.environment}`}
              onClick={onClose}
            >
              Open in Deliveries
            </Link>
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={busy || !call.environment || cannotSend !== undefined}
          >
            {busy ? 'Working…' : mode === 'test' ? 'Run Test Connection' : 'Send the test delivery'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
