// The editor's head: the connection's name and revision, and the three actions — Test
// Connection, Save (the form's submit), Save and Deploy — with the environment they act on.
import type { Ref } from 'react';
import { Link } from 'react-router';
import type { Connection } from '../../../../src/contracts/connections.ts';
import './workbench.css';

export type Busy = 'test' | 'save' | 'deploy' | null;

export function EditorHead({
  current,
  busy,
  readOnly,
  dirty,
  environmentName,
  running,
  needsAdmin,
  needsApproval,
  onTest,
  onDeploy,
  testButtonRef,
  deployButtonRef,
}: {
  /** the saved connection; undefined while creating */
  current: Connection | undefined;
  busy: Busy;
  readOnly: boolean;
  dirty: boolean;
  /** the selected environment, which Test Connection and Save and Deploy use */
  environmentName: string;
  /** the revision the selected environment runs */
  running: number | undefined;
  needsAdmin: boolean;
  needsApproval: boolean;
  onTest(): void;
  onDeploy(): void;
  testButtonRef: Ref<HTMLButtonElement>;
  deployButtonRef: Ref<HTMLButtonElement>;
}) {
  const idle = !readOnly && busy === null;
  return (
    <div className="page-head ed-head">
      <div className="ed-title">
        <nav className="crumbs ed-crumbs" aria-label="Breadcrumb">
          <Link to="/connections">Connections</Link> <span aria-hidden="true">›</span>{' '}
          {current ? (
            <>
              <Link to={`/connections/${encodeURIComponent(current.id)}`}>{current.name}</Link>{' '}
              <span aria-hidden="true">›</span> <span aria-current="page">Edit</span>
            </>
          ) : (
            <span aria-current="page">New connection</span>
          )}
        </nav>
        <h1 id="editor-title">
          {current ? (
            <>
              <span className="visually-hidden">Edit </span>
              {current.name}
              <span className="badge">r{current.revision}</span>
              {!current.enabled && <span className="badge off">disabled</span>}
              {current.critical && <span className="badge critical">critical</span>}
            </>
          ) : (
            'New connection'
          )}
        </h1>
      </div>
      <div className="ed-actions">
        <div className="ed-buttons">
          <button
            ref={testButtonRef}
            type="button"
            className="button"
            disabled={!idle}
            aria-describedby="ed-target"
            onClick={onTest}
          >
            {busy === 'test' ? 'Testing…' : 'Test Connection'}
          </button>
          <button type="submit" className="button" disabled={!idle} aria-describedby="ed-dirty">
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
          <button
            ref={deployButtonRef}
            type="button"
            className="button primary"
            disabled={!idle}
            aria-describedby="ed-target"
            onClick={onDeploy}
          >
            {busy === 'deploy' ? 'Deploying…' : 'Save and Deploy'}
          </button>
        </div>
        <p className="ed-target" id="ed-target">
          Test and deploy use <strong>{environmentName}</strong>
          {current && (
            <>
              {' · '}
              {running === undefined
                ? 'not deployed there'
                : running === current.revision
                  ? `runs r${running}`
                  : `runs r${running} of r${current.revision}`}
            </>
          )}
          {needsAdmin && ' · deploying there needs an admin'}
          {needsApproval && ' · critical: a second admin approves'}
        </p>
        <p className="ed-dirty" id="ed-dirty" aria-live="polite">
          {dirty ? (
            <>
              <span aria-hidden="true">● </span>Unsaved changes
            </>
          ) : current ? (
            'All changes saved'
          ) : (
            ''
          )}
        </p>
      </div>
    </div>
  );
}
