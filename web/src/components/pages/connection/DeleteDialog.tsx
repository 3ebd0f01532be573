// Delete, confirmed by re-typing the name. Refusals (a connection still used) are the API's
// message, with the usages it lists.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import type { Environment } from '../../../../../src/contracts/environments.ts';
import { api, ApiError } from '../../../api/client.ts';
import { Dialog } from '../../Dialog.tsx';
import { errorText } from '../../ErrorNote.tsx';
import { downloadExport } from './downloadExport.ts';
import { environmentName } from './lifecycle.ts';
import { TypeNameToConfirm } from './TypeNameToConfirm.tsx';

/** What a CONNECTION_IN_USE refusal lists, each as one line. */
function usagesOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'CONNECTION_IN_USE') return [];
  const usages = error.details?.usages;
  if (!Array.isArray(usages)) return [];
  return usages.map((usage: unknown) => {
    if (usage && typeof usage === 'object') {
      const { type, name, environment } = usage as Record<string, unknown>;
      return [type, name, environment && `in ${String(environment)}`]
        .filter(Boolean)
        .map(String)
        .join(' ');
    }
    return String(usage);
  });
}

export function DeleteDialog({
  connection,
  environments,
  onClose,
}: {
  connection: Connection;
  environments: Environment[];
  onClose(): void;
}) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState('');
  const running = Object.entries(connection.deployments ?? {});
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/connections/${connection.id}`),
    onSuccess: async () => {
      // marked stale, not fetched: this page's own queries would ask for what is gone (404s);
      // the list fetches again when it opens
      await queryClient.invalidateQueries({ queryKey: ['connections'], refetchType: 'none' });
      await navigate('/connections');
    },
  });
  const usages = usagesOf(remove.error);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (typed === connection.name) remove.mutate();
  }

  return (
    <Dialog title={`Delete ${connection.name}?`} onClose={onClose}>
      <form onSubmit={submit}>
        {running.length === 0 ? (
          <p>It is not deployed anywhere: nothing calls it through Hookline now.</p>
        ) : (
          <>
            <p>It runs in these environments; their calls to it fail once it is deleted:</p>
            <ul aria-label="Deployed to">
              {running.map(([id, state]) => (
                <li key={id}>
                  <strong>{environmentName(environments, id)}</strong>: revision {state.revision}
                </li>
              ))}
            </ul>
          </>
        )}
        <p>
          Deleting removes its configuration, revisions and deployments. To stop it for now, Disable
          it instead; to keep a copy, Export it first.
        </p>
        <TypeNameToConfirm
          id="delete-confirm"
          name={connection.name}
          typed={typed}
          onTyped={setTyped}
        />
        {remove.error && (
          <div className="banner error" role="alert">
            <p>It was not deleted: {errorText(remove.error)}</p>
            {usages.length > 0 && (
              <ul aria-label="Used by">
                {usages.map((usage) => (
                  <li key={usage}>{usage}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button" onClick={() => downloadExport(connection.id)}>
            Export first
          </button>
          <button
            type="submit"
            className="button danger"
            disabled={typed !== connection.name || remove.isPending}
          >
            {remove.isPending ? 'Deleting…' : 'Delete'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
