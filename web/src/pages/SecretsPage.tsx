import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import type {
  Secret,
  SecretIn,
  SecretRotate,
  SecretSource,
  SecretStatus,
} from '../../../src/contracts/secrets.ts';
import { api, get } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Menu } from '../components/Menu.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { ProblemNote } from '../components/pages/ProblemNote.tsx';
import { DeleteResourceDialog } from '../components/pages/DeleteResourceDialog.tsx';
import { EmptyNext, NameSearch } from '../components/pages/namedResources.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useCan } from '../session.tsx';
import '../pages.css';

type Editing = { mode: 'create' } | { mode: 'rotate'; secret: Secret } | null;

const sourceWords: Record<SecretSource, string> = {
  stored: 'Stored (encrypted)',
  env: 'Environment variable of the server',
  file: 'File on the server',
};

export function SecretsPage() {
  const canEdit = useCan('editor');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Secret | null>(null);
  const { said, say, fail } = useStatus();
  const { list, rows } = useCursorList<Secret>(['secrets'], '/secrets', {
    q: q || undefined,
    limit: 100,
  });

  const check = useMutation({
    mutationFn: (secret: Secret) => get<SecretStatus>(`/secrets/${secret.id}/status`),
    onSuccess: (status) =>
      status.resolvable
        ? say(`${status.name} (version ${status.version}) can be read now.`)
        : fail(new Error(`${status.name} cannot be read now: ${status.problem ?? 'unknown'}`)),
    onError: fail,
  });

  return (
    <section className="page">
      <div className="page-head">
        <h1>Secrets</h1>
        {canEdit && (
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
        Use one in a connection&apos;s URL, a header value or its signing secret as{' '}
        <code>{'{{secret.NAME}}'}</code>; it is read only when a call is made, so a rotation needs
        no deploy. A secret&apos;s value is never shown again once saved.
      </p>
      <NameSearch id="secrets-search" value={search} onChange={setSearch} />
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Secrets" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Source</th>
                <th scope="col">Version</th>
                <th scope="col">Changed</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((secret) => (
                <tr key={secret.id} data-secret={secret.name}>
                  <th scope="row">
                    <code>{secret.name}</code>
                    {secret.description && <span className="row-note">{secret.description}</span>}
                  </th>
                  <td>
                    {secret.source === 'stored' && (
                      <>
                        stored <span className="muted">(key {secret.keyId})</span>
                      </>
                    )}
                    {secret.source === 'env' && (
                      <>
                        env <code>{secret.env}</code>
                      </>
                    )}
                    {secret.source === 'file' && (
                      <>
                        file <code>{secret.file}</code>
                      </>
                    )}
                  </td>
                  <td className="num">{secret.version}</td>
                  <td>
                    {secret.updatedBy} <Time value={secret.updatedAt} />
                  </td>
                  <td className="actions">
                    <Menu
                      label={`Actions for ${secret.name}`}
                      items={[
                        {
                          label: 'Rotate',
                          disabled: !canEdit,
                          onSelect: () => setEditing({ mode: 'rotate', secret }),
                        },
                        { label: 'Check it can be read', onSelect: () => check.mutate(secret) },
                        {
                          label: 'Delete',
                          danger: true,
                          disabled: !canEdit,
                          onSelect: () => setDeleting(secret),
                        },
                      ]}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty={
          q ? (
            `No secret's name contains "${q}".`
          ) : (
            <EmptyNext
              action={canEdit ? 'Create a secret' : undefined}
              onAction={() => setEditing({ mode: 'create' })}
            >
              No secrets yet. Store an API token or a signing key here, then use it in a connection
              as <code>{'{{secret.NAME}}'}</code>.
            </EmptyNext>
          )
        }
      />
      {editing && (
        <SecretDialog
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={(secret, warning) => {
            setEditing(null);
            if (warning) fail(new Error(`Saved ${secret.name}, but: ${warning}`));
            else
              say(
                editing.mode === 'create'
                  ? `Created secret ${secret.name}.`
                  : `Rotated ${secret.name}: version ${secret.version}.`,
              );
          }}
        />
      )}
      {deleting && (
        <DeleteResourceDialog
          collection="secrets"
          what="secret"
          item={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            say(`Deleted secret ${deleting.name}.`);
            setDeleting(null);
          }}
          consequence={
            <p>
              No connection uses <code>{`{{secret.${deleting.name}}}`}</code>. Its value is gone for
              good: to use it again, create it again with the value.
            </p>
          }
          howToStop={
            <>
              Remove <code>{`{{secret.${deleting.name}}}`}</code> from these connections and save;
              where an environment still runs a revision that uses it, deploy the new revision there
              (or undeploy). To change its value, rotate it instead.
            </>
          }
        />
      )}
    </section>
  );
}

/**
 * Create or rotate. The value field is an uncontrolled password input read once on submit:
 * React never writes it into the page (no value attribute), and the form is gone afterwards.
 */
function SecretDialog({
  editing,
  onClose,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  onClose(): void;
  onSaved(secret: Secret, warning?: string): void;
}) {
  const queryClient = useQueryClient();
  const was = editing.mode === 'rotate' ? editing.secret : undefined;
  const [name, setName] = useState('');
  const [description, setDescription] = useState(was?.description ?? '');
  const [source, setSource] = useState<SecretSource>(was?.source ?? 'stored');
  const [env, setEnv] = useState(was?.env ?? '');
  const [file, setFile] = useState(was?.file ?? '');
  const valueRef = useRef<HTMLInputElement>(null);

  const save = useMutation({
    // the value is read from the field here, not passed in: it is kept in no state or cache
    mutationFn: () => {
      const value = valueRef.current?.value ?? '';
      const from =
        source === 'stored' ? { value } : source === 'env' ? { env: env.trim() } : { file };
      if (was) {
        const body: SecretRotate = { description, ...from };
        return api<Secret>('PUT', `/secrets/${was.id}`, { body });
      }
      const body: SecretIn = { name: name.trim(), description, ...from };
      return api<Secret>('POST', '/secrets', { body });
    },
    onSuccess: async (secret) => {
      await queryClient.invalidateQueries({ queryKey: ['secrets'] });
      onSaved(secret, secret.warnings?.map((warning) => warning.message).join('; '));
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Dialog title={was ? `Rotate secret ${was.name}` : 'Create a secret'} onClose={onClose}>
      <form className="form" onSubmit={submit} autoComplete="off">
        {!was && (
          <div className="field">
            <label htmlFor="secret-name">Name</label>
            <input
              id="secret-name"
              required
              maxLength={100}
              className="mono"
              value={name}
              aria-describedby="secret-name-hint"
              onChange={(event) => setName(event.target.value)}
            />
            <p className="hint" id="secret-name-hint">
              Used as <code>{`{{secret.${name || 'NAME'}}}`}</code>.
            </p>
          </div>
        )}
        <div className="field">
          <label htmlFor="secret-description">Description</label>
          <input
            id="secret-description"
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend>Where the value comes from</legend>
          {(Object.keys(sourceWords) as SecretSource[]).map((option) => (
            <label className="check" key={option} htmlFor={`secret-source-${option}`}>
              <input
                id={`secret-source-${option}`}
                type="radio"
                name="source"
                value={option}
                checked={source === option}
                onChange={() => setSource(option)}
              />
              {sourceWords[option]}
            </label>
          ))}
        </fieldset>
        {source === 'stored' && (
          <div className="field">
            <label htmlFor="secret-value">{was ? 'New value' : 'Value'}</label>
            <input
              id="secret-value"
              ref={valueRef}
              type="password"
              required
              autoComplete="new-password"
              spellCheck={false}
              aria-describedby="secret-value-hint"
            />
            <p className="hint" id="secret-value-hint">
              Stored encrypted; nobody can read it back, here or through the API.
            </p>
          </div>
        )}
        {source === 'env' && (
          <div className="field">
            <label htmlFor="secret-env">Environment variable</label>
            <input
              id="secret-env"
              required
              className="mono"
              pattern="[A-Za-z_][A-Za-z0-9_]*"
              maxLength={255}
              value={env}
              aria-describedby="secret-env-hint"
              onChange={(event) => setEnv(event.target.value)}
            />
            <p className="hint" id="secret-env-hint">
              Read from the environment of the Hookline process making the call.
            </p>
          </div>
        )}
        {source === 'file' && (
          <div className="field">
            <label htmlFor="secret-file">File path</label>
            <input
              id="secret-file"
              required
              className="mono"
              maxLength={4096}
              placeholder="/run/secrets/slack-token"
              value={file}
              aria-describedby="secret-file-hint"
              onChange={(event) => setFile(event.target.value)}
            />
            <p className="hint" id="secret-file-hint">
              An absolute path, read at call time (one trailing newline removed).
            </p>
          </div>
        )}
        <ProblemNote error={save.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : was ? 'Rotate' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
