import type { AuditRecord } from '../../../../src/contracts/audit.ts';
import { Time } from './Time.tsx';

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Audit records: who did what to which target when, and the before/after as JSON. */
export function AuditTable({
  rows,
  label,
  busy,
  showTarget = true,
}: {
  rows: AuditRecord[];
  label: string;
  busy: boolean;
  showTarget?: boolean;
}) {
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label} aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            {showTarget && <th scope="col">Target</th>}
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((record) => (
            <tr key={record.id} data-audit={record.action}>
              <td className="nowrap">
                <Time value={record.at} />
              </td>
              <td>{record.actor}</td>
              <td>
                <code>{record.action}</code>
              </td>
              {showTarget && (
                <td>
                  <span className="muted">{record.targetType}</span>{' '}
                  {record.targetName ?? <span className="mono">{record.targetId}</span>}
                </td>
              )}
              <td className="change-cell">
                {record.before === null && record.after === null ? (
                  <span className="muted">—</span>
                ) : (
                  <details>
                    <summary>Before and after</summary>
                    <div className="before-after">
                      <div>
                        <h3 className="mini-head">Before</h3>
                        <pre className="code-block" tabIndex={0} aria-label="Before">
                          {record.before === null ? '(nothing)' : json(record.before)}
                        </pre>
                      </div>
                      <div>
                        <h3 className="mini-head">After</h3>
                        <pre className="code-block" tabIndex={0} aria-label="After">
                          {record.after === null ? '(nothing)' : json(record.after)}
                        </pre>
                      </div>
                    </div>
                  </details>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
