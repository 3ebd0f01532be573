// Running one action over several connections, one request each, and saying per row how it
// went: done, waiting for a second admin (APPROVAL_REQUIRED is the rules working, not a
// failure), or refused with the API's reason (in use, rights, a rule of the environment).
import type { Connection } from '../../../../../src/contracts/connections.ts';
import { ApiError } from '../../../api/client.ts';
import { errorText } from '../../ErrorNote.tsx';

export interface RowOutcome {
  name: string;
  state: 'done' | 'waiting' | 'refused';
  text: string;
}

/**
 * `act` on each connection in turn (one at a time: the server's SQLite takes one writer, and
 * the order of the report is the list's), telling `progress` after each one.
 */
export async function runEach(
  connections: readonly Connection[],
  act: (connection: Connection) => Promise<string>,
  progress: (done: number) => void,
): Promise<RowOutcome[]> {
  const outcomes: RowOutcome[] = [];
  for (const connection of connections) {
    try {
      outcomes.push({ name: connection.name, state: 'done', text: await act(connection) });
    } catch (error) {
      const waiting = error instanceof ApiError && error.code === 'APPROVAL_REQUIRED';
      outcomes.push({
        name: connection.name,
        state: waiting ? 'waiting' : 'refused',
        text: waiting ? 'waits for a second admin\u2019s approval' : errorText(error),
      });
    }
    progress(outcomes.length);
  }
  return outcomes;
}

/** "3 connections", "1 connection". */
export function countOf(count: number): string {
  return `${count} ${count === 1 ? 'connection' : 'connections'}`;
}

/** The line above a bulk report: how many were done, wait, were refused. */
export function summaryOf(verb: string, outcomes: readonly RowOutcome[]): string {
  const done = outcomes.filter((o) => o.state === 'done').length;
  const waiting = outcomes.filter((o) => o.state === 'waiting').length;
  const refused = outcomes.length - done - waiting;
  const parts = [`${verb}: ${done} of ${countOf(outcomes.length)}`];
  if (waiting > 0) parts.push(`${waiting} waiting for approval`);
  if (refused > 0) parts.push(`${refused} refused`);
  return `${parts.join('; ')}.`;
}
