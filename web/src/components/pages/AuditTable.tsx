import { Link } from 'react-router';
import type { AuditRecord } from '../../../../src/contracts/audit.ts';
import { LineDiff } from './LineDiff.tsx';
import { Time } from './Time.tsx';

const json = (value: unknown) => (value === null ? '' : JSON.stringify(value, null, 2));

/** Where a target's page is: its own for a connection, else the page that lists its kind. */
const listPages: Record<string, string> = {
  approval: '/approvals',
  certificate: '/certificates',
  environment: '/environments',
  keystore: '/keystores',
  secret: '/secrets',
  token: '/account',
  user: '/users',
  variable: '/variables',
};

function targetPath(record: AuditRecord): string | undefined {
  // a deleted target has no page any more
  if (record.action.endsWith('.delete')) return undefined;
  if (record.targetType === 'connection') return `/connections/${record.targetId}`;
  return listPages[record.targetType];
}

function Target({ record }: { record: AuditRecord }) {
  const name = record.targetName ?? <span className="mono">{record.targetId}</span>;
  const path = targetPath(record);
  return (
    <>
      <span className="muted">{record.targetType}</span>{' '}
      {path ? <Link to={path}>{name}</Link> : name}
    </>
  );
}

/** Audit records: who did what to which target when, and what changed as a line diff. */
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
                  <Target record={record} />
                </td>
              )}
              <td className="change-cell">
                {record.before === null && record.after === null ? (
                  <span className="muted">—</span>
                ) : (
                  <details>
                    <summary>
                      {record.before === null
                        ? 'What it was created with'
                        : record.after === null
                          ? 'What it was before'
                          : 'Before and after'}
                    </summary>
                    {/* the same view as the revisions' diff: only what changed stands out */}
                    <LineDiff
                      label={`${record.action} of ${record.targetName ?? record.targetId}: before and after`}
                      before={json(record.before)}
                      after={json(record.after)}
                    />
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
