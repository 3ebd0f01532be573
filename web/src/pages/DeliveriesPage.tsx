import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  maxReplayPerCall,
  type Delivery,
  type DeliveryReplayIn,
  type DeliveryReplayResult,
} from '../../../src/contracts/deliveries.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ConnectionPicker } from '../components/pages/ConnectionPicker.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { DeliveriesTable } from '../components/pages/DeliveriesTable.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { localInputToIso } from '../components/pages/Time.tsx';
import { useEnvironmentNames, useEnvironments } from '../components/pages/useEnvironments.ts';
import { useCan } from '../session.tsx';
import '../pages.css';

// keep in step with deliveryStatuses in src/contracts/deliveries.ts
const statuses = ['pending', 'in_flight', 'succeeded', 'failed', 'paused'] as const;
/** Deliveries queued again per bulk call: small enough to show progress, as the CLI pages. */
const replayBatch = 500;

interface BulkReplay {
  running: boolean;
  replayed: number;
  calls: number;
  stopped?: boolean;
  error?: unknown;
}

function describeBulk(bulk: BulkReplay): string {
  const batches = `${bulk.calls} ${bulk.calls === 1 ? 'batch' : 'batches'}`;
  if (bulk.running) return `Replaying… ${bulk.replayed} queued again so far (${batches}).`;
  if (bulk.stopped) return `Stopped: ${bulk.replayed} replayed; more failed deliveries match.`;
  if (bulk.error) return `Stopped by an error after ${bulk.replayed} replayed.`;
  if (bulk.replayed === 0) return 'Done: no failed delivery matched, nothing was replayed.';
  return `Done: ${bulk.replayed} replayed.`;
}

export function DeliveriesPage() {
  const canReplay = useCan('editor');
  const queryClient = useQueryClient();
  const environments = useEnvironments();
  const [params, setParams] = useSearchParams();
  const { said, say, fail } = useStatus();
  const [confirming, setConfirming] = useState(false);
  const [bulk, setBulk] = useState<BulkReplay | null>(null);
  const stopRequested = useRef(false);

  const filter = {
    connection: params.get('connection') ?? undefined,
    environment: params.get('environment') ?? undefined,
    status: params.get('status') ?? undefined,
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const setFilter = useCallback(
    (name: string, value: string | undefined) =>
      setParams(
        () => {
          // from the address bar, not the hook's params: the router renders a change as a
          // transition, so a second filter changed before the first shows would start from the
          // older URL and undo the first (as the connections list learned)
          const next = new URLSearchParams(window.location.search);
          if (value) next.set(name, value);
          else next.delete(name);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setConnection = useCallback(
    (id: string | undefined) => setFilter('connection', id),
    [setFilter],
  );
  const match = {
    connection: filter.connection,
    environment: filter.environment,
    from: localInputToIso(filter.from),
    to: localInputToIso(filter.to),
  };
  // live while a row is pending or in flight: DeliveriesTable looks again until all finished
  const { list, rows } = useCursorList<Delivery>(['deliveries'], '/deliveries', {
    ...match,
    status: filter.status,
    limit: 50,
  });
  const environmentName = useEnvironmentNames();

  /** `POST /deliveries/replay` page by page (`after` = the last answer's `next`), as the CLI. */
  async function replayAll() {
    setConfirming(false);
    stopRequested.current = false;
    let replayed = 0;
    let calls = 0;
    let after: string | undefined;
    setBulk({ running: true, replayed, calls });
    try {
      for (;;) {
        const body: Partial<DeliveryReplayIn> = {
          ...match,
          status: 'failed',
          limit: replayBatch,
          after,
        };
        const answer = await api<DeliveryReplayResult>('POST', '/deliveries/replay', { body });
        replayed += answer.replayed;
        calls += 1;
        setBulk({ running: true, replayed, calls });
        if (!answer.more || answer.next === null) break;
        if (stopRequested.current) {
          setBulk({ running: false, replayed, calls, stopped: true });
          return;
        }
        after = answer.next;
      }
      setBulk({ running: false, replayed, calls });
    } catch (error) {
      setBulk({ running: false, replayed, calls, error });
    } finally {
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] });
    }
  }

  const chosenFilters = [
    filter.connection && 'this connection',
    filter.environment && `environment ${environmentName(filter.environment)}`,
    filter.from && `accepted from ${filter.from.replace('T', ' ')}`,
    filter.to && `accepted before ${filter.to.replace('T', ' ')}`,
  ].filter(Boolean);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Deliveries</h1>
        <button
          type="button"
          className="button"
          disabled={!canReplay || bulk?.running}
          title={canReplay ? undefined : 'Editors and admins can replay deliveries'}
          onClick={() => setConfirming(true)}
        >
          Replay failed deliveries…
        </button>
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <ConnectionPicker
          id="filter-connection"
          value={filter.connection}
          onChange={setConnection}
        />
        <div className="field">
          <label htmlFor="filter-environment">Environment</label>
          <select
            id="filter-environment"
            value={filter.environment ?? ''}
            onChange={(event) => setFilter('environment', event.target.value)}
          >
            <option value="">Any</option>
            {(environments.data?.items ?? []).map((env) => (
              <option key={env.id} value={env.id}>
                {env.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filter.status ?? ''}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">Any</option>
            {statuses.map((status) => (
              <option key={status} value={status}>
                {status.replace('_', ' ')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">Accepted from</label>
          <input
            id="filter-from"
            type="datetime-local"
            value={filter.from}
            onChange={(event) => setFilter('from', event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">Accepted before</label>
          <input
            id="filter-to"
            type="datetime-local"
            value={filter.to}
            onChange={(event) => setFilter('to', event.target.value)}
          />
        </div>
      </form>

      {bulk && (
        <div className="bulk">
          {bulk.running && <progress aria-label="Replaying failed deliveries" />}
          <span role="status">{describeBulk(bulk)}</span>
          {bulk.running && (
            <button
              type="button"
              className="button small"
              onClick={() => {
                stopRequested.current = true;
              }}
            >
              Stop after this batch
            </button>
          )}
        </div>
      )}
      {bulk?.error !== undefined && <ErrorNote error={bulk.error} />}
      <StatusLine said={said} />

      {rows.length > 0 && (
        <DeliveriesTable
          rows={rows}
          label="Deliveries"
          showConnection
          canReplay={canReplay}
          busy={list.isFetching}
          onDone={say}
          onError={fail}
        />
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty={
          chosenFilters.length > 0 || filter.status ? (
            'No deliveries match these filters: widen them or clear one.'
          ) : (
            <>
              No deliveries yet. A delivery is a call to a deployed connection that is retried until
              its target accepts it; each one sent shows here with its attempts. Open a{' '}
              <Link to="/connections">connection</Link> to deploy it and send one.
            </>
          )
        }
      />

      {confirming && (
        <ReplayDialog
          match={match}
          filters={chosenFilters.join(', ')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => void replayAll()}
        />
      )}
    </section>
  );
}

/**
 * Asks before a bulk replay, stating how many failed deliveries it will send again (the API's
 * dry run with the same filters), so nobody resends ten thousand by surprise.
 */
function ReplayDialog({
  match,
  filters,
  onCancel,
  onConfirm,
}: {
  match: Partial<DeliveryReplayIn>;
  filters: string;
  onCancel(): void;
  onConfirm(): void;
}) {
  const count = useQuery({
    queryKey: ['replay-count', match],
    queryFn: () =>
      api<DeliveryReplayResult>('POST', '/deliveries/replay', {
        body: { ...match, status: 'failed', dryRun: true },
      }),
    // counted afresh each time the dialog opens: deliveries fail all the time
    gcTime: 0,
  });
  const matching = count.data?.matching ?? 0;
  const many = count.data?.more
    ? `More than ${maxReplayPerCall.toLocaleString()}`
    : matching.toLocaleString();
  const scope = filters ? ` of ${filters}` : '';
  return (
    <Dialog title="Replay failed deliveries?" onClose={onCancel}>
      {count.isPending && (
        <p className="loading" aria-live="polite">
          Counting the failed deliveries{scope}…
        </p>
      )}
      {count.error && <ErrorNote error={count.error} />}
      {count.data && matching === 0 && (
        <p role="status">No failed delivery{scope} matches: there is nothing to replay.</p>
      )}
      {count.data && matching > 0 && (
        <p role="status">
          <strong>
            {many} failed {matching === 1 && !count.data.more ? 'delivery' : 'deliveries'}
          </strong>
          {scope} will be sent again, oldest first, each with its webhook id unchanged,{' '}
          {replayBatch} at a time. The status filter does not apply: only failed deliveries are
          replayed.
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button primary"
          disabled={!count.data || matching === 0}
          onClick={onConfirm}
        >
          Replay failed deliveries
        </button>
      </div>
    </Dialog>
  );
}
