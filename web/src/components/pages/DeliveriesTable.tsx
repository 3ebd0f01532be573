import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Fragment, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Delivery } from '../../../../src/contracts/deliveries.ts';
import { api } from '../../api/client.ts';
import { DeliveryAttempts, Outcome } from './DeliveryAttempts.tsx';
import { Time } from './Time.tsx';
import { useEnvironmentNames } from './useEnvironments.ts';

/** Only a finished delivery can be sent again (else the API answers DELIVERY_NOT_FINISHED). */
const replayable = new Set(['succeeded', 'failed']);
/** A worker still has to decide these: the list looks again until none is shown. */
const unfinished = new Set(['pending', 'in_flight']);
/** How soon to look again: a 500 from a target fails a delivery within a second or two. */
const soonestMs = 2_000;
/** A retry due in an hour is looked at no less often than this (it may be replayed meanwhile). */
const latestMs = 15_000;

/**
 * Refetches the deliveries lists while a row shown is pending or in flight, and stops when
 * every one has finished: soon for one in flight or due now, later for one due later. The
 * attempts of a row that changed are fetched again too, so an open row is never stale.
 */
function useLiveWhileUnfinished(rows: Delivery[]) {
  const queryClient = useQueryClient();
  const waiting = rows.filter((row) => unfinished.has(row.status));
  // what the interval depends on: it is re-armed only when one of these changes
  const signature = waiting.map((row) => `${row.status}@${row.nextAttemptAt ?? ''}`).join(' ');
  useEffect(() => {
    if (!signature) return;
    const dueTimes = signature
      .split(' ')
      .map((part) => (part.startsWith('pending@') ? Date.parse(part.slice(8)) : Number.NaN));
    const soonest = Math.min(...dueTimes.map((due) => (Number.isNaN(due) ? 0 : due - Date.now())));
    const everyMs = Math.min(latestMs, Math.max(soonestMs, soonest));
    const timer = setInterval(
      () => void queryClient.invalidateQueries({ queryKey: ['deliveries'] }),
      everyMs,
    );
    return () => clearInterval(timer);
  }, [signature, queryClient]);

  const seen = useRef(new Map<string, string>());
  useEffect(() => {
    for (const row of rows) {
      const now = `${row.status} ${row.attempts}`;
      const was = seen.current.get(row.id);
      seen.current.set(row.id, now);
      if (was !== undefined && was !== now) {
        void queryClient.invalidateQueries({ queryKey: ['delivery', row.id] });
      }
    }
  }, [rows, queryClient]);
}

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
  useLiveWhileUnfinished(rows);
  const environmentName = useEnvironmentNames();
  const replay = useMutation({
    mutationFn: (delivery: Delivery) => api<Delivery>('POST', `/deliveries/${delivery.id}/replay`),
    onSuccess: async (delivery) => {
      onDone(`Replayed ${delivery.id}: sent again; its row shows how the target answers.`);
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
                  <td>{environmentName(delivery.environment)}</td>
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
