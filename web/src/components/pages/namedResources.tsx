// What the pages of named resources (certificates, key stores, secrets, variables) share: the
// name search above the list, and deleting one with its outcome said in the status line.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';

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
