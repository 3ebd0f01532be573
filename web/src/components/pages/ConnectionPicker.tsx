import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import type { Connection } from '../../../../src/contracts/connections.ts';
import { get } from '../../api/client.ts';
import { useDebounced } from '../useDebounced.ts';
import type { Page } from './cursorList.tsx';

/**
 * A connection chosen by typing its name (suggestions from the API as one types); answers
 * the connection's id, or undefined while the text names none. `value` is an id.
 */
export function ConnectionPicker({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string | undefined;
  onChange(connectionId: string | undefined): void;
}) {
  const listId = useId();
  const [text, setText] = useState('');
  const typed = useDebounced(text.trim(), 250);
  // a filter that came with the address (?connection=<id>): show its name
  const chosen = useQuery({
    queryKey: ['connections', 'one', value],
    queryFn: () => get<Connection>(`/connections/${value}`),
    enabled: value !== undefined,
  });
  const chosenName = chosen.data?.name;
  useEffect(() => {
    if (chosenName !== undefined) setText((was) => (was === '' ? chosenName : was));
  }, [chosenName]);
  const suggestions = useQuery({
    queryKey: ['connections', 'suggest', typed],
    queryFn: () => get<Page<Connection>>('/connections', { q: typed || undefined, limit: 20 }),
  });
  const matches = suggestions.data?.items ?? [];

  const findExact = (name: string) => {
    const wanted = name.trim().toLowerCase();
    if (wanted === '') return undefined;
    return [...matches, ...(chosen.data ? [chosen.data] : [])].find(
      (connection) => connection.name.toLowerCase() === wanted,
    );
  };

  function choose(next: string) {
    setText(next);
    onChange(findExact(next)?.id);
  }

  // a name typed in full before its suggestion came: choose it once the suggestions arrive
  const lateMatch = value === undefined ? findExact(text)?.id : undefined;
  useEffect(() => {
    if (lateMatch !== undefined) onChange(lateMatch);
  }, [lateMatch, onChange]);

  const unmatched =
    text.trim() !== '' && value === undefined && !suggestions.isFetching && typed === text.trim();
  return (
    <div className="field">
      <label htmlFor={id}>Connection</label>
      <input
        id={id}
        type="search"
        list={listId}
        value={text}
        autoComplete="off"
        maxLength={100}
        placeholder="Any"
        aria-describedby={unmatched ? `${id}-hint` : undefined}
        onChange={(event) => choose(event.target.value)}
      />
      <datalist id={listId}>
        {matches.map((connection) => (
          <option key={connection.id} value={connection.name} />
        ))}
      </datalist>
      {unmatched && (
        <p className="hint" id={`${id}-hint`}>
          Pick a connection from the suggestions.
        </p>
      )}
    </div>
  );
}
