// The Name field with its live availability check (GET /connections/name-exists, 300 ms after
// typing settles) and the name rules spelled out under it.
import { useQuery } from '@tanstack/react-query';
import type { NameExists } from '../../../../src/contracts/connections.ts';
import { get } from '../../api/client.ts';
import { useDebounced } from '../useDebounced.ts';
import { nameProblem } from './checks.ts';
import { nameMaxLength } from './draft.ts';
import { FieldError, useFieldProps, useProblem } from './Field.tsx';

export type NameCheck =
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'available' }
  | { state: 'taken'; where: string }
  | { state: 'unknown'; message: string };

export interface NameCheckInput {
  name: string;
  project: string;
  global: boolean;
  /** the connection being edited, which does not clash with itself */
  exclude?: string;
  /** its saved name: not asked about again */
  savedName?: string;
}

/** Whether the name is free where the connection would be saved. */
export function useNameCheck({ name, project, global, exclude, savedName }: NameCheckInput) {
  const settled = useDebounced(name, 300);
  // only a name the rules allow is asked about: the API answers 400 for any other
  const ask = settled !== '' && !nameProblem(settled) && settled !== savedName;
  const query = useQuery({
    queryKey: ['name-exists', settled, global ? null : project, exclude ?? null],
    queryFn: () =>
      get<NameExists>('/connections/name-exists', {
        name: settled,
        project: global ? undefined : project,
        global: global ? 'true' : undefined,
        exclude,
      }),
    enabled: ask,
    staleTime: 2_000,
  });
  let check: NameCheck;
  if (name === '' || nameProblem(name) || name === savedName) check = { state: 'idle' };
  else if (name !== settled || query.isPending) check = { state: 'checking' };
  else if (query.error) check = { state: 'unknown', message: 'could not check the name' };
  else if (query.data?.exists) {
    const conflict = query.data.conflict;
    check = {
      state: 'taken',
      where: !conflict
        ? 'another connection has this name'
        : conflict.project === null
          ? 'a global connection has this name (names ignore case)'
          : `a connection in project ${conflict.project} has this name (names ignore case)`,
    };
  } else check = { state: 'available' };
  return check;
}

export function NameField({
  value,
  onChange,
  check,
  disabled,
}: {
  value: string;
  onChange(next: string): void;
  check: NameCheck;
  disabled?: boolean;
}) {
  const live = nameProblem(value);
  const problem = useProblem('name');
  // the rules as the user types (but "required" only once a save asked for it)
  const showLive = live && value !== '' && !problem;
  const props = useFieldProps(
    'name',
    'name-check',
    check.state === 'taken' && 'name-taken',
    showLive && 'name-live',
    'name-rules',
  );
  return (
    <div className="field ed-name">
      <label htmlFor={props.id}>
        Name <span className="ed-required">(required)</span>
      </label>
      <div className="ed-name-row">
        <input
          {...props}
          value={value}
          disabled={disabled}
          autoComplete="off"
          spellCheck={false}
          placeholder="e.g. Production_Webhook"
          onChange={(event) => onChange(event.target.value)}
        />
        <span id="name-check" className={`ed-name-check ${check.state}`} aria-live="polite">
          {check.state === 'checking' && <span className="muted">checking…</span>}
          {check.state === 'available' && (
            <>
              <span aria-hidden="true">✓</span> available
            </>
          )}
          {check.state === 'taken' && (
            <>
              <span aria-hidden="true">✗</span> taken
            </>
          )}
          {check.state === 'unknown' && <span className="muted">{check.message}</span>}
        </span>
      </div>
      {check.state === 'taken' && (
        <p className="field-error" id="name-taken">
          {check.where}: choose another.
        </p>
      )}
      {showLive && (
        <p className="field-error" id="name-live">
          <span aria-hidden="true">✗ </span>
          {live}
        </p>
      )}
      <FieldError path="name" />
      <p className="hint" id="name-rules">
        1–{nameMaxLength} characters: letters, digits, <code>_</code> <code>-</code> <code>.</code>;
        no space at the start or end; unique in the project, ignoring case.
      </p>
    </div>
  );
}
