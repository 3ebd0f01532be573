// How a control shows its problem: the message next to it, aria-invalid, and aria-describedby
// pointing at the message (and at a hint, when there is one).
import { createContext, useContext } from 'react';
import { errorId, fieldId } from './field-paths.ts';

/** The problem shown for a field path, if any (the page decides which are shown). */
export const ProblemsContext = createContext<(path: string) => string | undefined>(() => undefined);

export function useProblem(path: string): string | undefined {
  return useContext(ProblemsContext)(path);
}

/** id, aria-invalid and aria-describedby of the control for `path`. */
export function useFieldProps(path: string, ...hintIds: Array<string | false | undefined>) {
  const problem = useProblem(path);
  const described = [problem ? errorId(path) : undefined, ...hintIds].filter(Boolean).join(' ');
  return {
    id: fieldId(path),
    'aria-invalid': problem ? true : undefined,
    'aria-describedby': described || undefined,
  } as const;
}

export function FieldError({ path }: { path: string }) {
  const problem = useProblem(path);
  if (!problem) return null;
  return (
    <p className="field-error" id={errorId(path)}>
      <span aria-hidden="true">✗ </span>
      {problem}
    </p>
  );
}
