import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { Environment } from '../../../src/contracts/environments.ts';
import type { Variable, VariableIn, VariablePatch } from '../../../src/contracts/variables.ts';
import { api } from '../api/client.ts';
import { Dialog } from '../components/Dialog.tsx';
import { Menu } from '../components/Menu.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { ProblemNote } from '../components/pages/ProblemNote.tsx';
import { DeleteResourceDialog } from '../components/pages/DeleteResourceDialog.tsx';
import { EmptyNext, NameSearch } from '../components/pages/namedResources.tsx';
import { StatusLine, useStatus } from '../components/pages/StatusLine.tsx';
import { useEnvironments } from '../components/pages/useEnvironments.ts';
import { useCan } from '../session.tsx';
import '../pages.css';

type Editing = { mode: 'create' } | { mode: 'edit'; variable: Variable } | null;

export function VariablesPage() {
  const canEdit = useCan('editor');
  const environments = useEnvironments();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), 250);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Variable | null>(null);
  const { said, say } = useStatus();
  const { list, rows } = useCursorList<Variable>(['variables'], '/variables', {
    q: q || undefined,
    limit: 100,
  });
  const envs = environments.data?.items ?? [];

  return (
    <section className="page">
      <div className="page-head">
        <h1>Variables</h1>
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
        A value per environment, used in a connection&apos;s URL or header values as{' '}
        <code>{'{{var.NAME}}'}</code>. A deploy takes the values of that moment: after changing one,
        deploy the connections that use it again to apply it.
      </p>
      <NameSearch id="variables-search" value={search} onChange={setSearch} />
      <StatusLine said={said} />
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Variables" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {envs.map((env) => (
                  <th scope="col" key={env.id}>
                    {env.name}
                  </th>
                ))}
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((variable) => (
                <tr key={variable.id} data-variable={variable.name}>
                  <th scope="row">
                    <code>{variable.name}</code>
                    {variable.description && (
                      <span className="row-note">{variable.description}</span>
                    )}
                  </th>
                  {envs.map((env) => (
                    <td key={env.id} className="value-cell">
                      {env.id in variable.values ? (
                        <code className="value">{variable.values[env.id]}</code>
                      ) : (
                        <span className="muted" aria-label={`no value in ${env.name}`}>
                          —
                        </span>
                      )}
                    </td>
                  ))}
                  <td className="actions">
                    <Menu
                      label={`Actions for ${variable.name}`}
                      items={[
                        {
                          label: 'Edit',
                          disabled: !canEdit,
                          onSelect: () => setEditing({ mode: 'edit', variable }),
                        },
                        {
                          label: 'Delete',
                          danger: true,
                          disabled: !canEdit,
                          onSelect: () => setDeleting(variable),
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
            `No variable's name contains "${q}".`
          ) : (
            <EmptyNext
              action={canEdit ? 'Create a variable' : undefined}
              onAction={() => setEditing({ mode: 'create' })}
            >
              No variables yet. Create one for what differs between environments (a base URL, a
              channel name), then use it in a connection as <code>{'{{var.NAME}}'}</code>.
            </EmptyNext>
          )
        }
      />
      {editing && (
        <VariableDialog
          editing={editing}
          environments={envs}
          onClose={() => setEditing(null)}
          onSaved={(variable) => {
            setEditing(null);
            say(`Saved variable ${variable.name}.`);
          }}
        />
      )}
      {deleting && (
        <DeleteResourceDialog
          collection="variables"
          what="variable"
          item={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            say(`Deleted variable ${deleting.name}.`);
            setDeleting(null);
          }}
          consequence={
            <p>
              No connection uses <code>{`{{var.${deleting.name}}}`}</code>. Its values in every
              environment go with it.
            </p>
          }
          howToStop={
            <>
              Remove <code>{`{{var.${deleting.name}}}`}</code> from these connections and save;
              where an environment still runs a revision that uses it, deploy the new revision there
              (or undeploy).
            </>
          }
        />
      )}
    </section>
  );
}

function VariableDialog({
  editing,
  environments,
  onClose,
  onSaved,
}: {
  editing: NonNullable<Editing>;
  environments: Environment[];
  onClose(): void;
  onSaved(variable: Variable): void;
}) {
  const queryClient = useQueryClient();
  const was = editing.mode === 'edit' ? editing.variable : undefined;
  const [name, setName] = useState(was?.name ?? '');
  const [description, setDescription] = useState(was?.description ?? '');
  const [values, setValues] = useState<Record<string, string>>(was?.values ?? {});

  const save = useMutation({
    mutationFn: () => {
      // an emptied field means no value in that environment
      const given = Object.fromEntries(Object.entries(values).filter(([, value]) => value !== ''));
      if (was) {
        const removed = Object.keys(was.values).filter((env) => !(env in given));
        const patch: VariablePatch = {
          description,
          values: { ...given, ...Object.fromEntries(removed.map((env) => [env, null])) },
        };
        return api<Variable>('PATCH', `/variables/${was.id}`, { body: patch });
      }
      const body: VariableIn = { name: name.trim(), description, values: given };
      return api<Variable>('POST', '/variables', { body });
    },
    onSuccess: async (variable) => {
      await queryClient.invalidateQueries({ queryKey: ['variables'] });
      onSaved(variable);
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Dialog title={was ? `Edit variable ${was.name}` : 'Create a variable'} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="variable-name">Name</label>
          <input
            id="variable-name"
            required
            maxLength={100}
            className="mono"
            value={name}
            disabled={Boolean(was)}
            aria-describedby="variable-name-hint"
            onChange={(event) => setName(event.target.value)}
          />
          <p className="hint" id="variable-name-hint">
            Letters, digits, _ . and -, starting with a letter or _: used as{' '}
            <code>{`{{var.${name || 'NAME'}}}`}</code>.
          </p>
        </div>
        <div className="field">
          <label htmlFor="variable-description">Description</label>
          <input
            id="variable-description"
            maxLength={1000}
            value={description}
            onChange={(event) => setDescription(event.target.value)}
          />
        </div>
        <fieldset className="fieldset">
          <legend>Values</legend>
          <p className="hint">Leave a field empty for no value in that environment.</p>
          {environments.map((env) => (
            <div className="field" key={env.id}>
              <label htmlFor={`variable-value-${env.id}`}>Value in {env.name}</label>
              <input
                id={`variable-value-${env.id}`}
                className="mono"
                value={values[env.id] ?? ''}
                onChange={(event) => setValues({ ...values, [env.id]: event.target.value })}
              />
            </div>
          ))}
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
