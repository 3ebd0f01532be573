// What the pages of named resources (certificates, key stores, secrets, variables) share: the
// name search above the list and the empty list's next step. Deleting one goes through
// DeleteResourceDialog, which shows the connections that use it.
import type { ReactNode } from 'react';

/** The "Search by name" field of a list (the list's own `q`). */
export function NameSearch({
  id,
  value,
  onChange,
}: {
  id: string;
  value: string;
  onChange(value: string): void;
}) {
  return (
    <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
      <div className="field grow">
        <label htmlFor={id}>Search by name</label>
        <input
          id={id}
          type="search"
          maxLength={100}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      </div>
    </form>
  );
}

/**
 * An empty list's words: what belongs here and the next step, with the Create (or Upload)
 * button when the user may make one (`action` is left out for a viewer).
 */
export function EmptyNext({
  children,
  action,
  onAction,
}: {
  children: ReactNode;
  action?: string;
  onAction?(): void;
}) {
  return (
    <>
      {children}
      {action && onAction && (
        <>
          {' '}
          <button type="button" className="link-button" onClick={onAction}>
            {action}
          </button>
        </>
      )}
    </>
  );
}
