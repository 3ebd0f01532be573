// What the last Save, Save and Deploy or Test said: a revision conflict (with the two ways out),
// the notice, the warnings the save answered, and a short spoken line for a test result.
import type { Warning } from '../../../../src/contracts/common.ts';
import { NoticeBanner, type Notice } from './outcomes.tsx';

export interface Conflict {
  theirs: number;
  mine: number;
}

export function ConflictAlert({
  conflict,
  onLoadTheirs,
  onSaveOver,
}: {
  conflict: Conflict;
  onLoadTheirs(): void;
  onSaveOver(): void;
}) {
  return (
    <div className="banner error ed-conflict" role="alert">
      <p>
        <strong>Someone else saved this connection meanwhile</strong> (it is at revision{' '}
        {conflict.theirs}; you started from revision {conflict.mine}). Nothing of yours was saved.
      </p>
      <div className="ed-conflict-actions">
        <button type="button" className="button" onClick={onLoadTheirs}>
          Load their version (drop my changes)
        </button>
        <button type="button" className="button danger" onClick={onSaveOver}>
          Save mine over theirs
        </button>
      </div>
    </div>
  );
}

export function SaveStatus({
  notice,
  warnings,
  spokenTest,
}: {
  notice: Notice | null;
  warnings: Warning[];
  /** e.g. "Test Connection in Test: works" (the result panel itself is not a live region) */
  spokenTest: string | null;
}) {
  return (
    <div role="status" className="ed-status">
      {notice && <NoticeBanner notice={notice} />}
      {warnings.length > 0 && (
        <div className="banner warning ed-warnings-banner">
          <p>
            <strong>Saved with {warnings.length === 1 ? 'a warning' : 'warnings'}:</strong>
          </p>
          <ul>
            {warnings.map((w) => (
              <li key={`${w.code}:${w.path}`}>
                {w.message} <span className="muted">({w.code})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {spokenTest && <span className="visually-hidden">{spokenTest}</span>}
    </div>
  );
}
