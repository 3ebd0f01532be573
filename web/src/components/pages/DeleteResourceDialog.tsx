// The delete dialog of the named-resource pages (secrets, variables, certificates, key stores):
// it asks the API which connections use the resource (`…/usages`) and refuses while any does,
// naming them with a link and their environments by name; unused, it confirms and deletes.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { Project } from '../../../../src/contracts/projects.ts';
import type { Usage } from '../../../../src/contracts/usages.ts';
import { api, ApiError, get } from '../../api/client.ts';
import { Dialog } from '../Dialog.tsx';
import { ErrorNote } from '../ErrorNote.tsx';
import { useEnvironments } from './useEnvironments.ts';
import './DeleteResourceDialog.css';

/** The `*_IN_USE` codes the API answers a delete with while connections use the resource. */
const inUseCodes = new Set([
  'SECRET_IN_USE',
  'VARIABLE_IN_USE',
  'CERTIFICATE_IN_USE',
  'KEY_STORE_IN_USE',
]);

export function DeleteResourceDialog({
  collection,
  what,
  item,
  consequence,
  howToStop,
  onClose,
  onDeleted,
}: {
  /** the API collection: `secrets`, `variables`, `certificates`, `keystores` */
  collection: string;
  /** as a sentence names it: `secret`, `key store` */
  what: string;
  item: { id: string; name: string };
  /** what deleting an unused one means */
  consequence: ReactNode;
  /** how a connection stops using it, shown under the list of usages */
  howToStop: ReactNode;
  onClose(): void;
  onDeleted(): void;
}) {
  const queryClient = useQueryClient();
  const usagesPath = `/${collection}/${item.id}/usages`;
  const usages = useQuery({
    queryKey: ['usages', usagesPath],
    queryFn: () => get<{ items: Usage[] }>(usagesPath),
    // asked afresh every time the dialog opens: a connection may have changed since
    staleTime: 0,
    gcTime: 0,
  });
  const remove = useMutation({
    mutationFn: () => api('DELETE', `/${collection}/${item.id}`),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: [collection] });
      onDeleted();
    },
    // someone started using it since the dialog asked: show who
    onError: (error) => {
      if (error instanceof ApiError && inUseCodes.has(error.code)) void usages.refetch();
    },
  });

  const used = usages.data?.items ?? [];
  const refusedInUse = remove.error instanceof ApiError && inUseCodes.has(remove.error.code);
  const blocked = usages.isPending || used.length > 0;
  const reason = usages.isPending
    ? 'Checking which connections use it…'
    : used.length > 0
      ? `It cannot be deleted while ${used.length === 1 ? 'a connection uses' : `${used.length} connections use`} it.`
      : null;

  return (
    <Dialog title={`Delete ${what} ${item.name}?`} onClose={onClose}>
      {usages.error ? <ErrorNote error={usages.error} /> : null}
      {used.length > 0 ? (
        <section className="usage-refusal" aria-labelledby="usage-refusal-head">
          <h3 className="mini-head" id="usage-refusal-head">
            Used by
          </h3>
          <UsageList usages={used} />
          <p className="hint">{howToStop}</p>
        </section>
      ) : (
        !usages.isPending && <div className="usage-consequence">{consequence}</div>
      )}
      {remove.error && !refusedInUse ? <ErrorNote error={remove.error} /> : null}
      {reason && (
        <p className="usage-reason" id="delete-blocked-reason">
          {reason}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {used.length > 0 ? 'Close' : 'Cancel'}
        </button>
        <button
          type="button"
          className="button danger"
          disabled={blocked || remove.isPending}
          aria-describedby={reason ? 'delete-blocked-reason' : undefined}
          onClick={() => remove.mutate()}
        >
          {remove.isPending ? 'Deleting…' : 'Delete'}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The connections that use a resource, each a link to its page, with the environments (by
 * name) where its configuration or its deployed revision uses it.
 */
export function UsageList({ usages }: { usages: readonly Usage[] }) {
  const environments = useEnvironments();
  const projects = useQuery({
    queryKey: ['projects'],
    queryFn: () => get<{ items: Project[] }>('/projects'),
  });
  const environmentName = (id: string) =>
    environments.data?.items.find((env) => env.id.toLowerCase() === id.toLowerCase())?.name ?? id;
  const projectName = (id: string | null) =>
    id === null ? 'global' : `project ${projects.data?.items.find((p) => p.id === id)?.name ?? id}`;
  return (
    <ul className="plain-list usage-list" aria-label="Connections that use it">
      {usages.map((usage) => (
        <li key={usage.connectionId} data-usage={usage.connectionName}>
          <Link to={`/connections/${usage.connectionId}`}>{usage.connectionName}</Link>{' '}
          <span className="muted">({projectName(usage.project)})</span>
          <span className="usage-environments">
            {' '}
            in {usage.environments.map(environmentName).join(', ')}
          </span>
        </li>
      ))}
    </ul>
  );
}
