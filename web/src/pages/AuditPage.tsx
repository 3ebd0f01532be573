import { useId, useState } from 'react';
import { auditActions, auditTargetTypes } from '../../../src/contracts/audit-actions.ts';
import type { AuditRecord } from '../../../src/contracts/audit.ts';
import { AuditTable } from '../components/pages/AuditTable.tsx';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import { localInputToIso } from '../components/pages/Time.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import '../pages.css';

export function AuditPage() {
  const actionsId = useId();
  const [actor, setActor] = useState('');
  const [action, setAction] = useState('');
  const [targetType, setTargetType] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const typedActor = useDebounced(actor.trim(), 300);
  const typedAction = useDebounced(action.trim(), 300);

  const match = {
    actor: typedActor || undefined,
    action: typedAction || undefined,
    targetType: targetType || undefined,
    since: localInputToIso(since),
    until: localInputToIso(until),
  };
  // the API refuses until before since (400): say so here instead of asking
  const rangeProblem =
    match.since && match.until && match.until < match.since
      ? '"Until" is before "Since".'
      : undefined;
  const { list, rows } = useCursorList<AuditRecord>(
    ['audit'],
    '/audit',
    { ...match, limit: 50 },
    { enabled: !rangeProblem },
  );
  const exportQuery = new URLSearchParams(
    Object.entries(match).filter((entry): entry is [string, string] => Boolean(entry[1])),
  ).toString();
  const exportHref = `/api/v1/audit/export${exportQuery ? `?${exportQuery}` : ''}`;

  return (
    <section className="page">
      <div className="page-head">
        <h1>Audit log</h1>
        {rangeProblem ? (
          <span className="button disabled-link" aria-disabled="true">
            Export JSON Lines
          </span>
        ) : (
          <a className="button" href={exportHref} download>
            Export JSON Lines
          </a>
        )}
      </div>
      <p className="hint page-hint">
        Every change: who, when, what, before and after (secrets masked). The export holds every
        record matching the filters, oldest first.
      </p>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="audit-actor">Actor</label>
          <input
            id="audit-actor"
            type="search"
            maxLength={200}
            placeholder="e.g. admin"
            value={actor}
            onChange={(event) => setActor(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <input
            id="audit-action"
            type="search"
            list={actionsId}
            maxLength={100}
            placeholder="e.g. connection.update"
            value={action}
            onChange={(event) => setAction(event.target.value)}
          />
          <datalist id={actionsId}>
            {auditActions
              .filter((name) => !targetType || name.startsWith(`${targetType}.`))
              .map((name) => (
                <option key={name} value={name} />
              ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor="audit-target-type">Target type</label>
          <select
            id="audit-target-type"
            value={targetType}
            onChange={(event) => setTargetType(event.target.value)}
          >
            <option value="">Any</option>
            {auditTargetTypes.map((type) => (
              <option key={type}>{type}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-since">Since</label>
          <input
            id="audit-since"
            type="datetime-local"
            value={since}
            onChange={(event) => setSince(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-until">Until</label>
          <input
            id="audit-until"
            type="datetime-local"
            value={until}
            aria-invalid={Boolean(rangeProblem)}
            aria-describedby={rangeProblem ? 'audit-range-problem' : undefined}
            onChange={(event) => setUntil(event.target.value)}
          />
        </div>
      </form>
      {rangeProblem && (
        <p className="field-error" id="audit-range-problem" role="alert">
          {rangeProblem}
        </p>
      )}
      {rows.length > 0 && !rangeProblem && (
        <AuditTable rows={rows} label="Audit records" busy={list.isFetching} />
      )}
      {!rangeProblem && (
        <ListFooter
          list={list}
          count={rows.length}
          empty={
            match.actor || match.action || match.targetType || match.since || match.until
              ? 'No audit records match these filters: widen them or clear one.'
              : 'No audit records yet: every change made here or with the CLI is recorded.'
          }
        />
      )}
    </section>
  );
}
