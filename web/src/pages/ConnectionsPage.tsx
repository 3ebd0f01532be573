import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Connection, ConnectionList } from '../../../src/contracts/connections.ts';
import type { Environment } from '../../../src/contracts/environments.ts';
import type { Project } from '../../../src/contracts/projects.ts';
import { get } from '../api/client.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { BulkBar } from '../components/pages/connections/BulkBar.tsx';
import { countOf } from '../components/pages/connections/bulk.ts';
import { ConnectionFilters } from '../components/pages/connections/ConnectionFilters.tsx';
import { ConnectionRow, type HealthRow } from '../components/pages/connections/ConnectionRow.tsx';
import { isFiltered, useListParams } from '../components/pages/connections/listParams.ts';
import { ListStatus } from '../components/pages/connections/ListStatus.tsx';
import { rowMenu } from '../components/pages/connections/rowMenu.ts';
import type { RowAsk } from '../components/pages/connections/RowDialogs.tsx';
import {
  download,
  exportUrl,
  useListActions,
} from '../components/pages/connections/useListActions.ts';
import { useCan } from '../session.tsx';
import '../components/pages/connections/connections.css';

// dialogs are not needed at first paint: loaded when one first opens (the list is in the
// console's first load, which must stay small)
const RowDialogs = lazy(() => import('../components/pages/connections/RowDialogs.tsx'));
const BulkDialogs = lazy(() => import('../components/pages/connections/BulkDialogs.tsx'));

export function ConnectionsPage() {
  const canEdit = useCan('editor');
  const navigate = useNavigate();
  const [params, setParam] = useListParams();
  const [ask, setAsk] = useState<RowAsk | null>(null);
  const [bulkAsk, setBulkAsk] = useState<'deploy' | 'delete' | null>(null);
  const [selected, setSelected] = useState<Map<string, Connection>>(new Map());
  const q = params.q.trim();

  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: () => get<{ items: Project[] }>('/projects'),
  });
  const environments = useQuery({
    queryKey: ['environments'],
    queryFn: () => get<{ items: Environment[] }>('/environments'),
  });
  // the health of every target called since the server started: dots in the rows, and the
  // ids the Health filter asks the list for
  const health = useQuery({
    queryKey: ['connection-health'],
    queryFn: () => get<{ items: HealthRow[] }>('/connection-health'),
    refetchInterval: 15_000,
  });
  const healthOf = new Map(
    (health.data?.items ?? []).map((row) => [`${row.connectionId} ${row.environment}`, row]),
  );
  const healthIds = params.health
    ? [
        ...new Set(
          (health.data?.items ?? [])
            .filter((row) => row.health === params.health)
            .map((row) => row.connectionId),
        ),
      ]
    : undefined;
  const { scope } = params;
  const query = {
    ids: healthIds?.join(','),
    q: q || undefined,
    global: scope === 'global' ? 'true' : scope === 'project' ? 'false' : undefined,
    project: scope.startsWith('p:') ? scope.slice(2) : undefined,
    environment: params.environment || undefined,
    enabled: params.enabled || undefined,
    sort: params.sort === 'updated' ? 'updated' : undefined,
    limit: 100,
  };
  const list = useInfiniteQuery({
    queryKey: ['connections', query],
    queryFn: ({ pageParam }) =>
      // a health filter nothing matches: no request for a list that must be empty
      healthIds?.length === 0
        ? Promise.resolve<ConnectionList>({ items: [], next: null, total: 0 })
        : get<ConnectionList>('/connections', { ...query, cursor: pageParam }),
    enabled: !params.health || health.isSuccess,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const filtered = isFiltered(params);
  // "3 of 37 match": how many there are without the filters (one row asked for its total)
  const everything = useQuery({
    queryKey: ['connections', 'total'],
    queryFn: () => get<ConnectionList>('/connections', { limit: 1 }),
    enabled: filtered,
  });

  const rows = (list.data?.pages ?? []).flatMap((page) => page.items);
  const total = list.data?.pages[0]?.total;
  // in the order asked: the API sorts, so every page continues the same order
  const sorted = rows;
  const allEnvironments = useMemo(() => environments.data?.items ?? [], [environments.data]);

  // a changed filter starts a new selection: never act on rows no longer shown
  const filterKey = JSON.stringify(query);
  const lastFilterKey = useRef(filterKey);
  useEffect(() => {
    if (lastFilterKey.current === filterKey) return;
    lastFilterKey.current = filterKey;
    setSelected(new Map());
  }, [filterKey]);

  const { said, busy, refresh, enable, confirmRow, bulk, deployAll, deleteAll } = useListActions({
    selected,
    setSelected,
    askBulk: setBulkAsk,
  });

  const actions = {
    canEdit,
    open: (path: string) => void navigate(path),
    ask: (kind: RowAsk['kind'], connection: Connection) => setAsk({ kind, connection }),
    enable: (connection: Connection) => void enable(connection),
    exportOne: (connection: Connection) => download(exportUrl(connection)),
  };
  const everyShownSelected = sorted.length > 0 && sorted.every((c) => selected.has(c.id));

  return (
    <section className="page connections-page">
      <div className="page-head">
        <h1>Connections</h1>
        {canEdit && (
          <Link to="/connections/new" className="button primary">
            + Create
          </Link>
        )}
      </div>

      <ConnectionFilters
        list={params}
        set={setParam}
        projects={projects.data?.items ?? []}
        environments={allEnvironments}
      />

      <p className="list-count" aria-live="polite" data-total={total}>
        {total === undefined
          ? ''
          : filtered
            ? `${total} of ${everything.data ? countOf(everything.data.total) : '…'} match`
            : countOf(total)}
      </p>
      {selected.size > 0 && (
        <BulkBar
          count={selected.size}
          canEdit={canEdit}
          busy={busy}
          onAction={bulk}
          onClear={() => setSelected(new Map())}
        />
      )}
      <ListStatus said={said} />
      {list.error && <ErrorNote error={list.error} />}

      <div className="table-wrap">
        <table
          className="table connections-table"
          aria-label="Connections"
          aria-busy={list.isFetching}
        >
          <thead>
            <tr>
              <th scope="col" className="pick">
                <input
                  type="checkbox"
                  aria-label={`Select all ${sorted.length} shown`}
                  checked={everyShownSelected}
                  disabled={sorted.length === 0}
                  ref={(box) => {
                    if (box) box.indeterminate = selected.size > 0 && !everyShownSelected;
                  }}
                  onChange={(event) =>
                    setSelected(
                      event.target.checked ? new Map(sorted.map((c) => [c.id, c])) : new Map(),
                    )
                  }
                />
              </th>
              <th scope="col">Name</th>
              <th scope="col">Project</th>
              {allEnvironments.map(({ id, name }) => (
                <th scope="col" key={id} className="env-col">
                  {name}
                </th>
              ))}
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((connection) => (
              <ConnectionRow
                key={connection.id}
                connection={connection}
                environments={allEnvironments}
                healthOf={healthOf}
                selected={selected.has(connection.id)}
                onSelect={(on) =>
                  setSelected((was) => {
                    const next = new Map(was);
                    if (on) next.set(connection.id, connection);
                    else next.delete(connection.id);
                    return next;
                  })
                }
                menu={rowMenu(connection, actions)}
              />
            ))}
          </tbody>
        </table>
      </div>
      {!list.isPending && rows.length === 0 && (
        <p className="empty">
          {filtered
            ? `No connection matches${q ? ` "${q}" (name, URL host or description)` : ''} with these filters.`
            : 'No connections yet.'}
          {canEdit && !filtered && (
            <>
              {' '}
              <Link to="/connections/new">Create the first one</Link>.
            </>
          )}
        </p>
      )}
      {list.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}

      <Suspense fallback={null}>
        {ask && (
          <RowDialogs
            ask={ask}
            onClose={() => setAsk(null)}
            onConfirm={(kind, connection) => void confirmRow(kind, connection)}
            onDuplicated={(copy) => {
              void refresh();
              void navigate(`/connections/${copy.id}`);
            }}
            exportUrl={exportUrl}
          />
        )}
        {bulkAsk && (
          <BulkDialogs
            kind={bulkAsk}
            connections={[...selected.values()]}
            environments={allEnvironments}
            onClose={() => setBulkAsk(null)}
            onDeploy={(environment) => {
              setBulkAsk(null);
              void deployAll(environment);
            }}
            onDelete={() => {
              setBulkAsk(null);
              void deleteAll();
            }}
          />
        )}
      </Suspense>
    </section>
  );
}
