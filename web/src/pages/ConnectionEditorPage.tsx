// The connection editor (/connections/new, /connections/:id/edit): loads what the form needs
// and hands it to <EditorForm>; `?test=1`, `?deploy=1` and `?env=<id>` are read there.
// Never stale: the form is filled from a copy read after the page opened (never a cached one),
// and the copy is read again while the page is open — the form decides what a newer one means
// (useServerChanges.ts).
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Connection } from '../../../src/contracts/connections.ts';
import { get } from '../api/client.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useEnvironments } from '../components/editor/catalog.ts';
import { EditorForm } from '../components/editor/EditorForm.tsx';
import '../editor.css';
import '../pages.css';

/** 30 s: a colleague's save shows within half a minute, at one small read per open editor. */
const rereadMs = 30_000;

export function ConnectionEditorPage() {
  const { id } = useParams();
  const [generation, setGeneration] = useState(0);
  // when this editor opened: a copy read before (another page's cache) is not used to fill it
  const [openedAt] = useState(() => Date.now());
  const environments = useEnvironments();
  // what each address (id or name) turned out to be: the id, stable across renames
  const knownIds = useRef(new Map<string, string>());
  const connection = useQuery({
    queryKey: ['connection', id],
    // re-read by the id once known: opened by name, a rename saved here would make the name 404
    queryFn: async () => {
      const address = id ?? '';
      const read = await get<Connection>(
        `/connections/${encodeURIComponent(knownIds.current.get(address) ?? address)}`,
      );
      knownIds.current.set(address, read.id);
      return read;
    },
    enabled: id !== undefined,
    refetchOnMount: 'always',
    refetchOnWindowFocus: 'always',
    refetchInterval: rereadMs,
  });
  const fresh = connection.data !== undefined && connection.dataUpdatedAt >= openedAt;

  // a failed read again (the network, a deleted connection) leaves an open form as it is
  const error =
    (environments.data ? null : environments.error) ??
    (id !== undefined && !fresh ? connection.error : null);
  if (error) {
    return (
      <section className="page">
        <p>
          <Link to="/connections">← Connections</Link>
        </p>
        <ErrorNote error={error} />
      </section>
    );
  }
  if (!environments.data || (id !== undefined && !fresh)) {
    return (
      <p className="loading" aria-live="polite">
        Loading…
      </p>
    );
  }
  return (
    <EditorForm
      // a new id (after create) or a reload after a conflict: a fresh form
      key={`${id ?? 'new'}:${generation}`}
      environments={environments.data.items}
      connection={id !== undefined ? connection.data : undefined}
      reload={async () => {
        await connection.refetch();
        setGeneration((n) => n + 1);
      }}
    />
  );
}
