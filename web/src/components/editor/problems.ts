// Which problems the page shows, and where: the form's own (once Save or Test was tried) and
// the server's (for fields unchanged since it answered), each placed next to its field when the
// page has one, all of them in the summary.
import { valueAt, type Problem } from './draft.ts';
import { describePath, placeOf } from './field-paths.ts';
import { consoleWording } from './server-wording.ts';
import type { SummaryItem } from './ProblemSummary.tsx';

/** A problem the server (or a save attempt) reported, with the field's value at the time. */
export type ReportedProblem = Problem & { at: string };

export interface ShownProblems {
  /** the message next to each field, by field path */
  byField: Map<string, string>;
  summary: SummaryItem[];
  /** problems in one environment's parameters */
  countIn(environment: string): number;
}

export function showProblems(
  own: Problem[],
  reported: ReportedProblem[],
  body: unknown,
  headerCount: (environment: string) => number | undefined,
  environmentName: (id: string) => string,
): ShownProblems {
  const shown = [
    ...own,
    ...reported.filter(
      (p) => valueAt(body, p.path) === p.at && !own.some((o) => o.path === p.path),
    ),
  ];
  const byField = new Map<string, string>();
  const summary: SummaryItem[] = [];
  for (const problem of shown) {
    const place = placeOf(problem.path, headerCount);
    if (place && !byField.has(place.path)) byField.set(place.path, problem.message);
    summary.push({
      ...problem,
      target: place?.path,
      label: describePath(place?.path ?? problem.path, environmentName),
    });
  }
  return {
    byField,
    summary,
    countIn: (environment) =>
      shown.filter((p) => p.path.startsWith(`environments.${environment}.`)).length,
  };
}

/** The problems of a VALIDATION_FAILED answer, at paths of the body sent (minus `prefix`). */
export function reportedProblems(
  problems: Problem[],
  sent: unknown,
  prefix = '',
): ReportedProblem[] {
  return problems.map((p) => {
    const path = prefix && p.path.startsWith(prefix) ? p.path.slice(prefix.length) : p.path;
    return { path, message: consoleWording(p.message), at: valueAt(sent, path) };
  });
}
