// Which problems the form shows, and when: its own checks (checks.ts) for a field once the user
// has changed it and left it (blur), and every one there was at the last Save or Test — never
// while the user only tabs through an empty row; a fixed problem goes at once (the checks run on
// every render). The server's refusals (VALIDATION_FAILED, a taken name) show next to their
// fields while those keep the value that was refused.
import { useMemo, useRef, useState, type FocusEvent, type FormEvent } from 'react';
import type { ConnectionInput } from '../../../../src/contracts/connections.ts';
import type { EnvironmentKind } from '../../../../src/contracts/environments.ts';
import { ApiError } from '../../api/client.ts';
import { draftProblems } from './checks.ts';
import { valueAt, type Draft, type Problem } from './draft.ts';
import { placeOf } from './field-paths.ts';
import { reportedProblems, showProblems, type ReportedProblem } from './problems.ts';

/** The field path of a control (ids are `f:<path>`), or undefined for other elements. */
function pathOf(target: EventTarget): string | undefined {
  const id = (target as Element).id;
  return typeof id === 'string' && id.startsWith('f:') ? id.slice(2) : undefined;
}

export function useShownProblems(options: {
  draft: Draft;
  body: ConnectionInput;
  kinds: Record<string, EnvironmentKind | undefined>;
  environmentName(id: string): string;
  /** opens the tab a field is in and puts the focus on it */
  reveal(path: string): void;
}) {
  const { draft, body, kinds, environmentName, reveal } = options;
  const headerCount = (env: string) => draft.environments[env]?.headers.length;
  const fieldOf = (path: string) => placeOf(path, headerCount)?.path ?? path;
  // changed since the page opened: a blur then shows the field's problem
  const changed = useRef(new Set<string>());
  const [left, setLeft] = useState<ReadonlySet<string>>(() => new Set());
  // the fields with a problem at the last Save or Test (empty when none was tried or it passed)
  const [tried, setTried] = useState<ReadonlySet<string>>(() => new Set());
  const [reported, setReported] = useState<ReportedProblem[]>([]);

  const own = useMemo(() => draftProblems(draft, kinds), [draft, kinds]);
  const atTry = own.filter((p) => tried.has(fieldOf(p.path)));
  const atField = own.filter((p) => tried.has(fieldOf(p.path)) || left.has(fieldOf(p.path)));

  function markChanged(event: FormEvent) {
    const path = pathOf(event.target);
    if (path) changed.current.add(path);
  }

  /** Whether there are problems; reveals the first one that has a field. */
  function revealFirst(found: Problem[]): boolean {
    const first = found.find((p) => placeOf(p.path, headerCount));
    if (first) reveal(first.path);
    return found.length > 0;
  }

  return {
    /** the message next to each field, and the count per environment */
    problems: showProblems(atField, reported, body, headerCount, environmentName),
    /** what the summary at the top lists (after a Save or Test) */
    summary: showProblems(atTry, reported, body, headerCount, environmentName).summary,
    /** the <form>'s handlers: they see every control's change and blur */
    formHandlers: {
      onInput: markChanged,
      onChange: markChanged,
      onBlur(event: FocusEvent) {
        const path = pathOf(event.target);
        if (path && changed.current.has(path) && !left.has(path)) {
          setLeft(new Set(left).add(path));
        }
      },
    },
    /** A Save or Test was tried with these problems: they show until fixed. True if any. */
    refuse(found: Problem[]): boolean {
      setTried(new Set(found.map((p) => fieldOf(p.path))));
      return revealFirst(found);
    },
    /** Problems only the page or the server can know (a taken name, a missing deploy target). */
    report(found: ReportedProblem[]) {
      setReported(found);
    },
    /** VALIDATION_FAILED (or CONNECTION_NAME_TAKEN): the problems go next to their fields. */
    adoptRefusal(error: unknown, sent: unknown, prefix = ''): boolean {
      if (!(error instanceof ApiError)) return false;
      let found: ReportedProblem[];
      if (error.code === 'VALIDATION_FAILED') {
        found = reportedProblems(error.problems, sent, prefix);
      } else if (error.code === 'CONNECTION_NAME_TAKEN') {
        found = [{ path: 'name', message: error.message, at: valueAt(sent, 'name') }];
      } else return false;
      setReported(found);
      revealFirst(found);
      return true;
    },
    /** A new attempt, a pass, or the form loaded again: nothing is shown from before. */
    reset() {
      setTried(new Set());
      setReported([]);
    },
  };
}
