import { ApiError } from '../../api/client.ts';
import { ErrorNote } from '../ErrorNote.tsx';

/**
 * An API refusal in a form: the error as ErrorNote says it, then every field problem of a
 * VALIDATION_FAILED answer (the summary names only the first).
 */
export function ProblemNote({ error }: { error: unknown }) {
  if (!error) return null;
  const problems = error instanceof ApiError ? error.problems : [];
  return (
    <>
      <ErrorNote error={error} />
      {problems.length > 1 && (
        <ul className="problems" aria-label="Problems">
          {problems.map((problem) => (
            <li key={`${problem.path}:${problem.message}`}>
              {problem.path && <code>{problem.path}</code>} {problem.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
