// What the last Save, Save and Deploy or Test said: the notice, the warnings the save answered,
// and a short spoken line for a test result. (A revision conflict: RevisionConflict.tsx.)
import type { Warning } from '../../../../src/contracts/common.ts';
import { NoticeBanner, type Notice } from './outcomes.tsx';

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
