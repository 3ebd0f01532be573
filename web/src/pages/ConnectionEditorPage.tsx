// The connection editor (/connections/new, /connections/:id/edit): loads what the form needs
// and hands it to <EditorForm>; `?test=1`, `?deploy=1` and `?env=<id>` are read there.
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Connection } from '../../../src/contracts/connections.ts';
import { get } from '../api/client.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { useEnvironments } from '../components/editor/catalog.ts';
import { EditorForm } from '../components/editor/EditorForm.tsx';
import '../editor.css';

export function ConnectionEditorPage() {
  const { id } = useParams();
  const [generation, setGeneration] = useState(0);
  const environments = useEnvironments();
  const connection = useQuery({
    queryKey: ['connection', id],
    queryFn: () => get<Connection>(`/connections/${encodeURIComponent(id ?? '')}`),
    enabled: id !== undefined,
    // the form is filled once; a refetch would not change it
    refetchOnWindowFocus: false,
  });

  const error = environments.error ?? (id !== undefined ? connection.error : null);
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
  if (!environments.data || (id !== undefined && !connection.data)) {
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
