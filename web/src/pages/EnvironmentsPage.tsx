import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type {
  Environment,
  EnvironmentIn,
  EnvironmentKind,
  EnvironmentPatch,
} from '../../../src/contracts/environments.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { ProblemNote } from '../components/pages/ProblemNote.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { useEnvironments } from '../components/pages/useEnvironments.ts';
import { useCan } from '../session.tsx';
import '../pages.css';

// keep in step with environmentKinds in src/contracts/environments.ts
const kinds: EnvironmentKind[] = ['development', 'test', 'production'];
const kindLabels: Record<EnvironmentKind, string> = {
  development: 'Development',
  test: 'Test',
  production: 'Production',
};

type Editing = { mode: 'create' } | { mode: 'edit'; environment: Environment } | null;

/** Lines of a textarea as a CIDR list: one a line, blank lines and spaces dropped. */
const cidrLines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

export function EnvironmentsPage() {
  const isAdmin = useCan('admin');
  const environments = useEnvironments();
  const [editing, setEditing] = useState<Editing>(null);
  const { said, say } = useStatus();
  const items = environments.data?.items ?? [];

  return (
    <section className="page">
      <div className="page-head">
        <h1>Environments</h1>
        {isAdmin && (
          <button
            type="button"
            className="button primary"
            onClick={() => setEditing({ mode: 'create' })}
          >
            + Create
          </button>
        )}
      </div>
      <p className="hint page-hint">
        Where connections run. The kind decides who may deploy (production: admins) and what egress
        allows; each environment can allow or deny address ranges.
      </p>
      <StatusLine said={said} />
      {environments.error && <ErrorNote error={environments.error} />}
      {items.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Environments" aria-busy={environments.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id</th>
                <th scope="col">Kind</th>
                <th scope="col">Egress</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((env) => (
                <tr key={env.id} data-environment={env.id}>
                  <th scope="row">
                    {env.name || env.id}
                    {env.description && <span className="row-note">{env.description}</span>}
                  </th>
                  <td>
                    <code>{env.id}</code>
                  </td>
                  <td>
                    <span className={`pill ${env.kind === 'production' ? 'warn' : 'info'}`}>
                      {kindLabels[env.kind] ?? env.kind}
                    </span>
                  </td>
                  <td>
                    <EgressSummary environment={env} />
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      className="button small"
                      disabled={!isAdmin}
                      title={isAdmin ? undefined : 'Admins can change environments'}
                      aria-label={`Edit ${env.name || env.id}`}
                      onClick={() => setEditing({ mode: 'edit', environment: env })}
                    >
                      Edit
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {environments.isSuccess && items.length === 0 && (
        <p className="empty">
          No environments yet: connections need one to run in.{' '}
          {isAdmin
            ? 'Create one with + Create (development, test and production are the usual three).'
            : 'An admin creates them.'}
        </p>
      )}
      {editing && (
        <EnvironmentDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(env) => {
            setEditing(null);
            say(`Saved environment ${env.name || env.id}.`);
          }}
        />
      )}
    </section>
  );
}

function EgressSummary({ environment }: { environment: Environment }) {
  const { egress, kind } = environment;
  return (
    <ul className="plain-list">
      <li>Private ranges {egress.denyPrivate ? 'denied' : 'allowed'}</li>
      <li>Loopback {kind === 'production' ? 'denied unless allowed' : 'allowed'}</li>
      {egress.allowCidrs.length > 0 && (
        <li>
          Allow <code>{egress.allowCidrs.join(', ')}</code>
        </li>
      )}
      {egress.denyCidrs.length > 0 && (
        <li>
          Deny <code>{egress.denyCidrs.join(', ')}</code>
        </li>
      )}
    </ul>
  );
}

function EnvironmentDialog({
  editing,
  onClose,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  onClose(): void;
  onSaved(environment: Environment): void;
}) {
  const queryClient = useQueryClient();
  const was = editing.mode === 'edit' ? editing.environment : undefined;
  const [id, setId] = useState(was?.id ?? '');
  const [name, setName] = useState(was?.name ?? '');
  const [kind, setKind] = useState<EnvironmentKind>(was?.kind ?? 'development');
  const [description, setDescription] = useState(was?.description ?? '');
  const [denyPrivate, setDenyPrivate] = useState(was?.egress.denyPrivate ?? false);
  const [allow, setAllow] = useState(was?.egress.allowCidrs.join('\n') ?? '');
  const [deny, setDeny] = useState(was?.egress.denyCidrs.join('\n') ?? '');

  const save = useMutation({
    mutationFn: () => {
      const egress = { allowCidrs: cidrLines(allow), denyCidrs: cidrLines(deny), denyPrivate };
      if (was) {
        const patch: EnvironmentPatch = { name, kind, description, egress };
        return api<Environment>('PATCH', `/environments/${was.id}`, { body: patch });
      }
      const body: EnvironmentIn = { id, name, kind, description, egress };
      return api<Environment>('POST', '/environments', { body });
    },
    onSuccess: async (env) => {
      await queryClient.invalidateQueries({ queryKey: ['environments'] });
      onSaved(env);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Dialog
      title={was ? `Edit environment ${was.name || was.id}` : 'Create an environment'}
      onClose={onClose}
    >
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="env-id">Id</label>
          <input
            id="env-id"
            required
            maxLength={64}
            pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,63}"
            value={id}
            disabled={Boolean(was)}
            aria-describedby="env-id-hint"
            onChange={(event) => setId(event.target.value)}
          />
          <p className="hint" id="env-id-hint">
            Letters, digits, _ and -, e.g. <code>staging</code>. It cannot change later.
          </p>
        </div>
        <div className="field">
          <label htmlFor="env-name">Name</label>
          <input
            id="env-name"
            required
            maxLength={100}
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="env-kind">Kind</label>
          <select
            id="env-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as EnvironmentKind)}
          >
            {kinds.map((option) => (
              <option key={option} value={option}>
                {kindLabels[option]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="env-description">Description</label>
          <textarea
            id="env-description"
            rows={2}
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend>Egress</legend>
          <label className="check" htmlFor="env-deny-private">
            <input
              id="env-deny-private"
              type="checkbox"
              checked={denyPrivate}
              onChange={(event) => setDenyPrivate(event.target.checked)}
            />
            Deny private ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7)
          </label>
          <div className="field">
            <label htmlFor="env-allow">Allow CIDRs</label>
            <textarea
              id="env-allow"
              rows={2}
              className="mono"
              placeholder="127.0.0.1/32"
              aria-describedby="env-cidr-hint"
              value={allow}
              onChange={(event) => setAllow(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="env-deny">Deny CIDRs</label>
            <textarea
              id="env-deny"
              rows={2}
              className="mono"
              placeholder="10.20.0.0/16"
              aria-describedby="env-cidr-hint"
              value={deny}
              onChange={(event) => setDeny(event.target.value)}
            />
          </div>
          <p className="hint" id="env-cidr-hint">
            One CIDR a line. Deny wins over allow; metadata and link-local addresses are always
            refused.
          </p>
        </fieldset>
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : was ? 'Save' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
