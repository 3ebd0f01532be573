import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { Delivery } from '../../../../src/contracts/deliveries.ts';
import { api } from '../../api/client.ts';
import { DeliveryAttempts, Outcome } from './DeliveryAttempts.tsx';
import { Time } from './Time.tsx';

/** Only a finished delivery can be sent again (else the API answers DELIVERY_NOT_FINISHED). */
const replayable = new Set(['succeeded', 'failed']);

/**
 * Deliveries as a table; each row opens its attempts below it, and a finished one can be
 * replayed (editors and admins): `onDone` says what a replay did, `onError` why not.
 */
export function DeliveriesTable({
  rows,
  label,
  showConnection,
  canReplay,
  busy,
  onDone,
  onError,
}: {
  rows: Delivery[];
  label: string;
  showConnection: boolean;
  canReplay: boolean;
  busy: boolean;
  onDone(text: string): void;
  onError(error: unknown): void;
}) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const replay = useMutation({
    mutationFn: (delivery: Delivery) => api<Delivery>('POST', `/deliveries/${delivery.id}/replay`),
    onSuccess: async (delivery) => {
      onDone(`Replayed ${delivery.id}: it is ${delivery.status} again.`);
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] });
      await queryClient.invalidateQueries({ queryKey: ['delivery', delivery.id] });
    },
    onError,
  });
  const toggle = (id: string) =>
    setOpen((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const columns = showConnection ? 8 : 7;

  return (
    <div className="table-wrap">
      <table className="table" aria-label={label} aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">Delivery</th>
            {showConnection && <th scope="col">Connection</th>}
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last outcome</th>
            <th scope="col">Accepted</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((delivery) => {
            const isOpen = open.has(delivery.id);
            return (
              <Fragment key={delivery.id}>
                <tr data-delivery={delivery.id}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link-button mono"
                      aria-expanded={isOpen}
                      aria-controls={isOpen ? `attempts-${delivery.id}` : undefined}
                      title="Show its attempts"
                      onClick={() => toggle(delivery.id)}
                    >
                      <span aria-hidden="true">{isOpen ? '▾' : '▸'} </span>
                      {delivery.id}
                    </button>
                  </th>
                  {showConnection && (
                    <td>
                      <Link to={`/connections/${delivery.connection.id}`}>
                        {delivery.connection.name}
                      </Link>
                    </td>
                  )}
                  <td>{delivery.environment}</td>
                  <td>
                    <DeliveryStatus status={delivery.status} />
                  </td>
                  <td className="num">{delivery.attempts}</td>
                  <td>
                    <Outcome code={delivery.lastOutcome} />
                    {delivery.lastStatus !== null && (
                      <span className="mono"> {delivery.lastStatus}</span>
                    )}
                  </td>
                  <td>
                    <Time value={delivery.createdAt} />
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button small"
                      disabled={!canReplay || !replayable.has(delivery.status) || replay.isPending}
                      title={
                        !canReplay
                          ? 'Editors and admins can replay deliveries'
                          : replayable.has(delivery.status)
                            ? 'Send it again (same webhook id)'
                            : 'Only a succeeded or failed delivery can be replayed'
                      }
                      aria-label={`Replay ${delivery.id}`}
                      onClick={() => replay.mutate(delivery)}
                    >
                      Replay
                    </button>
                  </td>
                </tr>
                {isOpen && (
                  <tr className="detail-row" id={`attempts-${delivery.id}`}>
                    <td colSpan={columns}>
                      <DeliveryAttempts id={delivery.id} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const statusTone: Record<string, string> = {
  succeeded: 'ok',
  failed: 'bad',
  paused: 'warn',
  pending: 'info',
  in_flight: 'info',
};

export function DeliveryStatus({ status }: { status: string }) {
  return <span className={`pill ${statusTone[status] ?? 'info'}`}>{status.replace('_', ' ')}</span>;
}
