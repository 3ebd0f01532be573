import type { RowOutcome } from './bulk.ts';

/** What the last action on the list did: a line, maybe an Undo, maybe a report per row. */
export interface ListSaid {
  text: string;
  isError?: boolean;
  /** e.g. re-enable what was just disabled */
  undo?: { label: string; run(): void };
  outcomes?: RowOutcome[];
}

const stateText: Record<RowOutcome['state'], string> = {
  done: 'done',
  waiting: 'waiting',
  refused: 'refused',
};

/**
 * A polite live line (always in the page, so a screen reader hears the first message too);
 * a refusal is an alert. A bulk action's report lists every row that was not simply done.
 */
export function ListStatus({ said }: { said: ListSaid | null }) {
  const notDone = said?.outcomes?.filter((outcome) => outcome.state !== 'done') ?? [];
  return (
    <>
      <p className="status-line" role="status" aria-live="polite">
        {said && !said.isError ? said.text : ''}
        {said?.undo && (
          <>
            {' '}
            <button type="button" className="cl-link" onClick={said.undo.run}>
              {said.undo.label}
            </button>
          </>
        )}
      </p>
      {said?.isError && (
        <p className="banner error" role="alert">
          {said.text}
        </p>
      )}
      {notDone.length > 0 && (
        <ul className="bulk-report" aria-label="What was not done">
          {notDone.map((outcome) => (
            <li key={outcome.name} data-outcome={outcome.state}>
              <strong>{outcome.name}</strong>:{' '}
              <span className="visually-hidden">{stateText[outcome.state]}, </span>
              {outcome.text}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
