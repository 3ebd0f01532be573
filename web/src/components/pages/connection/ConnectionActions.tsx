// The connection page's head: [Edit] [Test] [Send a test delivery] [Export] [Disable|Enable]
// [Delete], as the seed's detail page. Disable asks first, then offers Undo for a while;
// Enable needs no confirmation (it only lets calls through again).
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import { api } from '../../../api/client.ts';
import { useCan } from '../../../session.tsx';
import { Dialog } from '../../Dialog.tsx';
import { errorText } from '../../ErrorNote.tsx';
import { useEnvironments } from '../useEnvironments.ts';
import { DeleteDialog } from './DeleteDialog.tsx';
import { downloadExport } from './downloadExport.ts';
import { environmentName, useRefreshConnection } from './lifecycle.ts';
import { TestDialog } from './TestDialog.tsx';
import './connection-page.css';

/** How long Undo stays offered after a Disable: long enough to notice a wrong click. */
const undoForMs = 30_000;
const editorsOnly = 'Editors and admins can change connections';

type Open = 'test' | 'deliver' | 'disable' | 'delete' | null;
interface Said {
  text: string;
  isError: boolean;
  undo?: boolean;
}

export function ConnectionActions({ connection }: { connection: Connection }) {
  const canEdit = useCan('editor');
  const environments = useEnvironments().data?.items ?? [];
  const refresh = useRefreshConnection();
  const [open, setOpen] = useState<Open>(null);
  const [said, setSaid] = useState<Said | null>(null);

  // Undo is offered for a while, then the line stays without it
  const offersUndo = said?.undo === true;
  useEffect(() => {
    if (!offersUndo) return;
    const timer = setTimeout(
      () => setSaid((was) => (was?.undo ? { ...was, undo: false } : was)),
      undoForMs,
    );
    return () => clearTimeout(timer);
  }, [offersUndo]);

  const toggle = useMutation({
    mutationFn: (change: { enable: boolean; undo?: boolean }) =>
      api<Connection>(
        'POST',
        `/connections/${connection.id}/${change.enable ? 'enable' : 'disable'}`,
      ),
    onSuccess: async (_, change) => {
      setOpen(null);
      await refresh();
      const running = Object.keys(connection.deployments ?? {})
        .map((id) => environmentName(environments, id))
        .join(', ');
      setSaid(
        change.enable
          ? {
              text: `${change.undo ? 'Undone: ' : ''}${connection.name} is enabled.`,
              isError: false,
            }
          : {
              text: `Disabled ${connection.name}: every call fails with CONNECTION_DISABLED${
                running ? ` (it runs in ${running})` : ''
              } and queued deliveries wait.`,
              isError: false,
              undo: true,
            },
      );
    },
    onError: (error) => setSaid({ text: errorText(error), isError: true }),
  });

  const change = (label: string, onClick: () => void, className = 'button') => (
    <button
      type="button"
      className={className}
      disabled={!canEdit}
      title={canEdit ? undefined : editorsOnly}
      onClick={onClick}
    >
      {label}
    </button>
  );

  return (
    <div className="cx-head-side">
      <div className="cx-actions">
        {canEdit ? (
          <Link to={`/connections/${connection.id}/edit`} className="button primary">
            Edit
          </Link>
        ) : (
          <button type="button" className="button" disabled title={editorsOnly}>
            Edit
          </button>
        )}
        {change('Test', () => setOpen('test'))}
        {change('Send a test delivery', () => setOpen('deliver'))}
        <button type="button" className="button" onClick={() => downloadExport(connection.id)}>
          Export
        </button>
        {connection.enabled
          ? change('Disable', () => setOpen('disable'))
          : change('Enable', () => toggle.mutate({ enable: true }))}
        {change('Delete', () => setOpen('delete'), 'button danger')}
      </div>
      <p className="status-line cx-status" role="status" aria-live="polite">
        {said && !said.isError && said.text}
        {said?.undo && (
          <>
            {' '}
            <button
              type="button"
              className="button small"
              disabled={toggle.isPending}
              onClick={() => toggle.mutate({ enable: true, undo: true })}
            >
              Undo
            </button>
          </>
        )}
      </p>
      {said?.isError && (
        <p className="banner error" role="alert">
          {said.text}
        </p>
      )}

      {(open === 'test' || open === 'deliver') && (
        <TestDialog
          connection={connection}
          environments={environments}
          mode={open === 'test' ? 'test' : 'deliver'}
          onClose={() => setOpen(null)}
        />
      )}
      {open === 'disable' && (
        <Dialog title={`Disable ${connection.name}?`} onClose={() => setOpen(null)}>
          <p>
            It keeps its configuration and deployments, but every call fails with
            CONNECTION_DISABLED and its queued deliveries wait (paused) until it is enabled again.
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={() => setOpen(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              disabled={toggle.isPending}
              onClick={() => toggle.mutate({ enable: false })}
            >
              Disable
            </button>
          </div>
        </Dialog>
      )}
      {open === 'delete' && (
        <DeleteDialog
          connection={connection}
          environments={environments}
          onClose={() => setOpen(null)}
        />
      )}
    </div>
  );
}
