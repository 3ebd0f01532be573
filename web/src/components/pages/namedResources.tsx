// What the pages of named resources (certificates, key stores, secrets, variables) share: the
// name search above the list, and deleting one — asked first, its outcome said in the status
// line.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../../api/client.ts';
import { Dialog } from '../Dialog.tsx';

/** The "Search by name" field of a list (the list's own `q`). */
export function NameSearch({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <div className="field grow">
        <label htmlFor={id}>Search by name</label>
        <input
          id={id}
          type="search"
          maxLength={100}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
    </form>
  );
}

/**
 * DELETE `/<collection>/<id>`, then "Deleted <what> <name>." (or the refusal) in the status
 * line, and the list read again.
 */
export function useRemove<T extends { id: string; name: string }>(options: {
  collection: string;
  what: string;
  say(text: string): void;
  fail(error: unknown): void;
}) {
  const queryClient = useQueryClient();
  const { collection, what, say, fail } = options;
  return useMutation({
    mutationFn: (item: T) => api('DELETE', `/${collection}/${item.id}`),
    onSuccess: async (_, item) => {
      say(`Deleted ${what} ${item.name}.`);
      await queryClient.invalidateQueries({ queryKey: [collection] });
    },
    onError: fail,
  });
}

/** "Delete …?" with what deleting means (`children`), Cancel, and a red Delete. */
export function ConfirmDelete({
  title,
  onCancel,
  onConfirm,
  children,
}: {
  title: string;
  onCancel(): void;
  onConfirm(): void;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onCancel}>
      {children}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={onConfirm}>
          Delete
        </button>
      </div>
    </Dialog>
  );
}
