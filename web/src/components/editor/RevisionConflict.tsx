// Someone else saved the connection while this form was open: what changed between the revision
// the form started from and the server's one (the revisions' line diff), and the ways out —
// load theirs (dropping mine), keep editing, or (after a refused save) save mine over theirs.
import type { Connection } from '../../../../src/contracts/connections.ts';
import { LineDiff } from '../pages/LineDiff.tsx';
import { Time } from '../pages/Time.tsx';

export interface Conflict {
  /** the revision the form started from */
  mine: Connection;
  /** the server's revision now; undefined when it could not be read */
  theirs: Connection | undefined;
  /** the revision number the server reported (known even when `theirs` is not) */
  theirsRevision: number;
  /** a Save was refused (409); false when a background read found the newer revision */
  refused: boolean;
}

/** What a revision says, without where and when it was saved: the part two revisions differ in. */
export function comparableText(c: Connection): string {
  const { name, description, enabled, critical, project, global, environments } = c;
  return JSON.stringify(
    { name, description, enabled, critical, project, global, environments },
    null,
    2,
  );
}

export function RevisionConflict({
  conflict,
  onLoadTheirs,
  onKeepEditing,
  onSaveOver,
}: {
  conflict: Conflict;
  onLoadTheirs(): void;
  onKeepEditing(): void;
  onSaveOver(): void;
}) {
  const { mine, theirs, theirsRevision, refused } = conflict;
  return (
    <div className={`banner ${refused ? 'error' : 'warning'} ed-conflict`} role="alert">
      <p>
        <strong>Someone else saved this connection meanwhile</strong> (it is at revision{' '}
        {theirsRevision}; you started from revision {mine.revision}).{' '}
        {refused ? 'Nothing of yours was saved.' : 'Your changes are not saved yet.'}
        {theirs && (
          <>
            {' '}
            Revision {theirs.revision} was saved by {theirs.updatedBy} at{' '}
            <Time value={theirs.updatedAt} />.
          </>
        )}
      </p>
      {theirs && (
        <LineDiff
          label={`What changed from revision ${mine.revision} to revision ${theirs.revision}`}
          before={comparableText(mine)}
          after={comparableText(theirs)}
        />
      )}
      <div className="ed-conflict-actions">
        <button type="button" className="button" onClick={onLoadTheirs}>
          Load their version (drop my changes)
        </button>
        <button type="button" className="button" onClick={onKeepEditing}>
          Keep editing
        </button>
        {refused && (
          <button type="button" className="button danger" onClick={onSaveOver}>
            Save mine over theirs
          </button>
        )}
      </div>
    </div>
  );
}
