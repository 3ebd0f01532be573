import { useId, useMemo, useState } from 'react';
import { diffLines, foldUnchanged, type DiffRow } from './lineDiff.ts';

const marks = {
  added: { sign: '+', word: 'added' },
  removed: { sign: '-', word: 'removed' },
  same: { sign: ' ', word: '' },
} as const;

/** An empty text has no lines (not one empty line): a creation is all added. */
const linesOf = (text: string) => (text === '' ? [] : text.split('\n'));

/**
 * Two texts line by line: added lines marked `+` (green), removed ones `-` (red), each also
 * named for a screen reader; long unchanged runs folded unless asked for.
 */
export function LineDiff({
  before,
  after,
  label,
}: {
  before: string;
  after: string;
  label: string;
}) {
  const [showAll, setShowAll] = useState(false);
  const toggleId = useId();
  const lines = useMemo(() => diffLines(linesOf(before), linesOf(after)), [before, after]);
  const added = lines.filter((line) => line.kind === 'added').length;
  const removed = lines.filter((line) => line.kind === 'removed').length;
  const rows: DiffRow[] = showAll ? lines : foldUnchanged(lines);
  return (
    <div className="diff-box">
      <div className="diff-head">
        <p className="diff-summary" role="status">
          {added === 0 && removed === 0 ? (
            'No differences.'
          ) : (
            <>
              <span className="diff-count added">+{added}</span> {added === 1 ? 'line' : 'lines'}{' '}
              added, <span className="diff-count removed">-{removed}</span>{' '}
              {removed === 1 ? 'line' : 'lines'} removed
            </>
          )}
        </p>
        <label className="check" htmlFor={toggleId}>
          <input
            id={toggleId}
            type="checkbox"
            checked={showAll}
            onChange={(event) => setShowAll(event.target.checked)}
          />
          Show unchanged lines
        </label>
      </div>
      {/* focusable: a keyboard can scroll a long line sideways */}
      <pre className="diff" aria-label={label} tabIndex={0}>
        {rows.map((row, index) =>
          row.kind === 'skipped' ? (
            <span key={index} className="diff-line skipped">
              ⋯ {row.count} unchanged {row.count === 1 ? 'line' : 'lines'}
            </span>
          ) : (
            <span key={index} className={`diff-line ${row.kind}`}>
              <span className="diff-sign" aria-hidden="true">
                {marks[row.kind].sign}
              </span>
              {row.kind !== 'same' && (
                <span className="visually-hidden">{marks[row.kind].word}: </span>
              )}
              {row.text}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}
