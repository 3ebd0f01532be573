// The row menu's dialogs, loaded when one is first opened (not part of the list's first load).
import { useState } from 'react';
import type { Connection } from '../../../../../src/contracts/connections.ts';
import { api } from '../../../api/client.ts';
import { Dialog } from '../../Dialog.tsx';
import { ErrorNote } from '../../ErrorNote.tsx';
import { nameProblem } from '../../editor/checks.ts';
import { useNameCheck } from '../../editor/NameField.tsx';

export type RowAsk = { kind: 'duplicate' | 'disable' | 'move' | 'delete'; connection: Connection };

export interface RowDialogsProps {
  ask: RowAsk;
  onClose(): void;
  /** the change the dialog confirmed; the page makes it and reports it */
  onConfirm(kind: 'disable' | 'move' | 'delete', connection: Connection): void;
  /** the copy Duplicate made */
  onDuplicated(copy: Connection): void;
  exportUrl(connection: Connection): string;
}

export default function RowDialogs(props: RowDialogsProps) {
  const { ask, onClose, onConfirm } = props;
  const { connection } = ask;
  if (ask.kind === 'duplicate') return <DuplicateDialog {...props} />;
  const confirm = (kind: 'disable' | 'move' | 'delete') => {
    onConfirm(kind, connection);
    onClose();
  };
  if (ask.kind === 'disable') {
    return (
      <Dialog title={`Disable ${connection.name}?`} onClose={onClose}>
        <p>
          Every call to it fails with <code>CONNECTION_DISABLED</code> while it is disabled, in
          every environment, and its queued deliveries wait until it is enabled again. Its
          configuration and deployments stay as they are.
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button danger" onClick={() => confirm('disable')}>
            Disable
          </button>
        </div>
      </Dialog>
    );
  }
  if (ask.kind === 'move') {
    return (
      <Dialog title={`Move ${connection.name} to Global?`} onClose={onClose}>
        <p>
          A global connection is visible to every project and listed in each. Its name must not
          clash with a connection in any project.
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => confirm('move')}>
            Move to Global
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title={`Delete ${connection.name}?`} onClose={onClose}>
      <DeployedWhere connection={connection} />
      <p>
        Deleting removes its configuration, revisions and deployments: calls to it fail from then
        on. To stop it for now, <strong>Disable</strong> it instead; to keep a copy,{' '}
        <strong>Export</strong> it first.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <a className="button" href={props.exportUrl(connection)} download="">
          Export first
        </a>
        <button type="button" className="button danger" onClick={() => confirm('delete')}>
          Delete
        </button>
      </div>
    </Dialog>
  );
}

/** Where a connection is in use: the environments running it. */
export function DeployedWhere({ connection }: { connection: Connection }) {
  const running = Object.entries(connection.deployments ?? {});
  if (running.length === 0) {
    return <p>It is not deployed anywhere: nothing calls it yet.</p>;
  }
  return (
    <>
      <p>It is in use: these environments run it, and their calls to it would fail.</p>
      <ul aria-label="Deployed to">
        {running.map(([environment, state]) => (
          <li key={environment}>
            <strong>{environment}</strong>: revision {state.revision}, deployed by{' '}
            {state.deployedBy}
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * Duplicate: the copy's name, checked as it is typed (as the editor's Name field does), in the
 * source's project; the copy starts at revision 1, deployed nowhere.
 */
function DuplicateDialog({ ask, onClose, onDuplicated }: RowDialogsProps) {
  const { connection } = ask;
  const [name, setName] = useState(`${connection.name}_copy`.slice(0, 100));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const check = useNameCheck({
    name,
    project: connection.project ?? 'default',
    global: connection.global,
  });
  const problem = nameProblem(name);
  const taken = check.state === 'taken' ? `${check.where}: choose another.` : null;

  async function duplicate() {
    setBusy(true);
    setError(null);
    try {
      const copy = await api<Connection>('POST', `/connections/${connection.id}/duplicate`, {
        body: { name },
      });
      onDuplicated(copy);
    } catch (refused) {
      setError(refused);
      setBusy(false);
    }
  }

  return (
    <Dialog title={`Duplicate ${connection.name}`} onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (!problem && !taken && !busy) void duplicate();
        }}
      >
        <p>
          The copy has the same configuration in every environment, starts at revision 1 and is
          deployed nowhere.
        </p>
        <div className="field">
          <label htmlFor="duplicate-name">Name of the copy</label>
          <input
            id="duplicate-name"
            value={name}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={Boolean(problem || taken)}
            aria-describedby="duplicate-check"
            onChange={(event) => setName(event.target.value)}
          />
          <p id="duplicate-check" className="hint" aria-live="polite">
            {problem ??
              taken ??
              (check.state === 'checking'
                ? 'checking…'
                : check.state === 'available'
                  ? '✓ available'
                  : check.state === 'unknown'
                    ? check.message
                    : '')}
          </p>
        </div>
        {error !== null && <ErrorNote error={error} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            disabled={Boolean(problem || taken) || busy}
          >
            {busy ? 'Duplicating…' : 'Duplicate and open'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
