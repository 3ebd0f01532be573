import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { Connection } from '../../../src/contracts/connections.ts';
import type { Environment } from '../../../src/contracts/environments.ts';
import type { Project } from '../../../src/contracts/projects.ts';
import { api, get } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorNote, errorText } from '../components/ErrorNote.tsx';
import { Menu } from '../components/Menu.tsx';
import { RedeployNote } from '../components/pages/RedeployNote.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useCan } from '../session.tsx';

interface Page {
  items: Connection[];
  next: string | null;
}

/** all; global only; every project's (no global); or `p:<project id>` with the global ones */
type Scope = string;
type Health = 'ok' | 'degraded' | 'failing';

interface HealthRow {
  connectionId: string;
  environment: string;
  health: Health;
  lastOutcome: string;
  lastAt: string;
  recentTries: number;
  recentFailures: number;
}

const healthText: Record<Health, string> = {
  ok: 'healthy',
  degraded: 'some calls failed',
  failing: 'failing',
};
type Confirm = { kind: 'move' | 'delete'; connection: Connection } | null;

/** Downloads `url` (an attachment answer) without leaving the page. */
function download(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  document.body.append(link);
  link.click();
  link.remove();
}

export function ConnectionsPage() {
  const canEdit = useCan('editor');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const [scope, setScope] = useState<Scope>('all');
  const [environment, setEnvironment] = useState('');
  const [enabled, setEnabled] = useState('');
  const [sort, setSort] = useState<'name' | 'updated'>('name');
  const [healthFilter, setHealthFilter] = useState<'' | Health>('');
  const [confirm, setConfirm] = useState<Confirm>(null);
  const [status, setStatus] = useState<string | null>(null);
  const q = useDebounced(search.trim(), 250);

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
  const healthIds = healthFilter
    ? [
        ...new Set(
          (health.data?.items ?? [])
            .filter((row) => row.health === healthFilter)
            .map((row) => row.connectionId),
        ),
      ]
    : undefined;
  const query = {
    ids: healthIds?.join(','),
    q: q || undefined,
    global: scope === 'global' ? 'true' : scope === 'project' ? 'false' : undefined,
    project: scope.startsWith('p:') ? scope.slice(2) : undefined,
    environment: environment || undefined,
    enabled: enabled || undefined,
    limit: 100,
  };
  const list = useInfiniteQuery({
    queryKey: ['connections', query],
    queryFn: ({ pageParam }) =>
      // a health filter nothing matches: no request for a list that must be empty
      healthIds?.length === 0
        ? Promise.resolve({ items: [], next: null })
        : get<Page>('/connections', { ...query, cursor: pageParam }),
    enabled: !healthFilter || health.isSuccess,
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });

  const act = useMutation({
    mutationFn: async (action: { path: string; done: string; body?: unknown }) => {
      await api('POST', action.path, { body: action.body ?? {} });
      return action.done;
    },
    onSuccess: async (done) => {
      setStatus(done);
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
    },
    onError: (error) => setStatus(errorText(error)),
  });
  const remove = useMutation({
    mutationFn: (connection: Connection) => api('DELETE', `/connections/${connection.id}`),
    onSuccess: async (_, connection) => {
      setStatus(`Deleted ${connection.name}.`);
      await queryClient.invalidateQueries({ queryKey: ['connections'] });
    },
    onError: (error) => setStatus(errorText(error)),
  });

  const rows = (list.data?.pages ?? []).flatMap((page) => page.items);
  const sorted =
    sort === 'name'
      ? rows
      : [...rows].sort((a, b) =>
          a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0,
        );
  const environmentIds = (environments.data?.items ?? []).map((e) => e.id);

  function menuFor(connection: Connection) {
    const base = `/connections/${connection.id}`;
    return [
      { label: 'Edit', onSelect: () => void navigate(`${base}/edit`), disabled: !canEdit },
      { label: 'Test', onSelect: () => void navigate(`${base}/edit?test=1`), disabled: !canEdit },
      {
        label: 'Deploy',
        onSelect: () => void navigate(`${base}/edit?deploy=1`),
        disabled: !canEdit,
      },
      connection.enabled
        ? {
            label: 'Disable',
            disabled: !canEdit,
            onSelect: () =>
              act.mutate({ path: `${base}/disable`, done: `Disabled ${connection.name}.` }),
          }
        : {
            label: 'Enable',
            disabled: !canEdit,
            onSelect: () =>
              act.mutate({ path: `${base}/enable`, done: `Enabled ${connection.name}.` }),
          },
      {
        label: 'Move to Global',
        disabled: !canEdit || connection.global,
        onSelect: () => setConfirm({ kind: 'move', connection }),
      },
      { label: 'Export', onSelect: () => download(`/api/v1${base}/export`) },
      {
        label: 'Delete',
        danger: true,
        disabled: !canEdit,
        onSelect: () => setConfirm({ kind: 'delete', connection }),
      },
    ];
  }

  return (
    <section className="page">
      <div className="page-head">
        <h1>Connections</h1>
        {canEdit && (
          <Link to="/connections/new" className="button primary">
            + Create
          </Link>
        )}
      </div>

      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field grow">
          <label htmlFor="filter-search">Search by name</label>
          <input
            id="filter-search"
            type="search"
            value={search}
            placeholder="e.g. Slack"
            onChange={(event) => setSearch(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-scope">Project</label>
          <select id="filter-scope" value={scope} onChange={(e) => setScope(e.target.value)}>
            <option value="all">All projects and global</option>
            <option value="project">All projects, no global</option>
            <option value="global">Global only</option>
            {(projects.data?.items ?? []).map((project) => (
              <option key={project.id} value={`p:${project.id}`}>
                {project.name} (and global)
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-environment">Environment</label>
          <select
            id="filter-environment"
            value={environment}
            onChange={(event) => setEnvironment(event.target.value)}
          >
            <option value="">Any</option>
            {environmentIds.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-enabled">State</label>
          <select id="filter-enabled" value={enabled} onChange={(e) => setEnabled(e.target.value)}>
            <option value="">Any</option>
            <option value="true">Enabled</option>
            <option value="false">Disabled</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-health">Health</label>
          <select
            id="filter-health"
            value={healthFilter}
            onChange={(event) => setHealthFilter(event.target.value as '' | Health)}
          >
            <option value="">Any</option>
            <option value="failing">Failing</option>
            <option value="degraded">Some calls failed</option>
            <option value="ok">Healthy</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-sort">Sort</label>
          <select
            id="filter-sort"
            value={sort}
            onChange={(event) => setSort(event.target.value as 'name' | 'updated')}
          >
            <option value="name">Name</option>
            <option value="updated">Last changed</option>
          </select>
        </div>
      </form>

      <p className="status-line" role="status" aria-live="polite">
        {status}
      </p>
      {list.error && <ErrorNote error={list.error} />}

      <div className="table-wrap">
        <table className="table" aria-label="Connections" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Project</th>
              {environmentIds.map((id) => (
                <th scope="col" key={id} className="env-col">
                  {id}
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
              <tr key={connection.id} data-connection={connection.name}>
                <th scope="row">
                  <Link to={`/connections/${connection.id}/edit`}>{connection.name}</Link>
                  {connection.critical && <span className="badge critical">critical</span>}
                  {connection.description && (
                    <span className="row-note">{connection.description}</span>
                  )}
                </th>
                <td>
                  {connection.global ? <span className="badge">Global</span> : connection.project}
                </td>
                {environmentIds.map((id) => {
                  const deployed = connection.deployments?.[id];
                  const configured = id in connection.environments;
                  const state = healthOf.get(`${connection.id} ${id}`);
                  const said = state
                    ? `${healthText[state.health]}: ${state.recentFailures} of the last ${state.recentTries} calls failed, the last ${state.lastOutcome}`
                    : 'not called since the server started';
                  return (
                    <td key={id} className="env-col">
                      {deployed ? (
                        <>
                          <span
                            className="deployed"
                            title={`revision ${deployed.revision} deployed by ${deployed.deployedBy}; ${said}`}
                          >
                            <span
                              className={`dot ${state ? state.health : 'idle'}`}
                              role="img"
                              aria-label={said}
                              data-health={state?.health ?? 'idle'}
                            />
                            r{deployed.revision}
                          </span>
                          <RedeployNote variables={deployed.variablesChanged} />
                        </>
                      ) : configured ? (
                        <span className="muted" title="configured, not deployed">
                          not deployed
                        </span>
                      ) : (
                        <span className="muted" aria-label="no parameters">
                          —
                        </span>
                      )}
                    </td>
                  );
                })}
                <td>
                  {connection.enabled ? (
                    <span className="state on">Enabled</span>
                  ) : (
                    <span className="state off">Disabled</span>
                  )}
                </td>
                <td className="actions">
                  <Menu label={`Actions for ${connection.name}`} items={menuFor(connection)} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!list.isPending && rows.length === 0 && (
        <p className="empty">
          {q ? `No connection's name contains "${q}".` : 'No connections yet.'}
          {canEdit && !q && (
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

      {confirm?.kind === 'move' && (
        <Dialog
          title={`Move ${confirm.connection.name} to Global?`}
          onClose={() => setConfirm(null)}
        >
          <p>
            A global connection is visible to every project and listed in each. Its name must not
            clash with a connection in any project.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirm(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button primary"
              onClick={() => {
                act.mutate({
                  path: `/connections/${confirm.connection.id}/move-to-global`,
                  done: `Moved ${confirm.connection.name} to Global.`,
                });
                setConfirm(null);
              }}
            >
              Move to Global
            </button>
          </div>
        </Dialog>
      )}
      {confirm?.kind === 'delete' && (
        <Dialog title={`Delete ${confirm.connection.name}?`} onClose={() => setConfirm(null)}>
          <DeployedWhere connection={confirm.connection} />
          <p>
            Deleting removes its configuration, revisions and deployments: calls to it fail from
            then on. To stop it for now, <strong>Disable</strong> it instead; to keep a copy,{' '}
            <strong>Export</strong> it first.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setConfirm(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button"
              onClick={() => download(`/api/v1/connections/${confirm.connection.id}/export`)}
            >
              Export first
            </button>
            <button
              type="button"
              className="button danger"
              onClick={() => {
                remove.mutate(confirm.connection);
                setConfirm(null);
              }}
            >
              Delete
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

/** Where a connection is in use: the environments running it (flows and jobs come later). */
function DeployedWhere({ connection }: { connection: Connection }) {
  const running = Object.entries(connection.deployments ?? {});
  if (running.length === 0) {
    return <p>It is not deployed anywhere: nothing calls it yet.</p>;
  }
  return (
    <>
      <p>It is in use: these environments run it, and their calls to it would fail.</p>
      <ul aria-label="Deployed to">
        {running.map(([environment, state]) => (
          <li key={environment}>
            <strong>{environment}</strong>: revision {state.revision}, deployed by{' '}
            {state.deployedBy}
          </li>
        ))}
      </ul>
    </>
  );
}
