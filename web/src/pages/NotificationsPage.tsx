import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Notification } from '../../../src/contracts/notifications.ts';
import { ListFooter, useCursorList } from '../components/pages/cursorList.tsx';
import {
  markNotificationsSeen,
  readNotificationsSeenAt,
} from '../components/pages/notificationsSeen.ts';
import { EnvironmentName } from '../components/pages/EnvironmentName.tsx';
import { Time } from '../components/pages/Time.tsx';
import { useDebounced } from '../components/useDebounced.ts';
import { useWho } from '../session.tsx';
import '../pages.css';

/** Each kind in words, and its tone (colour goes with the words, never alone). */
const kinds: Record<Notification['kind'], { words: string; tone: string }> = {
  dispatch_failed: { words: 'Call failed', tone: 'bad' },
  deploy_failed: { words: 'Deploy failed', tone: 'bad' },
  delivery_failed: { words: 'Delivery failed', tone: 'bad' },
  circuit_opened: { words: 'Circuit opened', tone: 'bad' },
  circuit_closed: { words: 'Circuit closed', tone: 'ok' },
  approval_requested: { words: 'Approval requested', tone: 'warn' },
  approval_decided: { words: 'Approval decided', tone: 'ok' },
  approval_expired: { words: 'Approval expired', tone: 'warn' },
};

export function NotificationsPage() {
  const who = useWho();
  const username = who.user.username;
  // what was new when the page opened stays marked "new" while it is open
  const [seenBefore] = useState(() => readNotificationsSeenAt(username));
  const [code, setCode] = useState('');
  const typedCode = useDebounced(code.trim().toUpperCase(), 250);
  const { list, rows } = useCursorList<Notification>(
    ['notifications'],
    '/notifications',
    { code: typedCode || undefined, limit: 50 },
    { refetchIntervalMs: 15_000 },
  );

  // looking at the list is reading it: the bell counts from the newest one shown
  const newest = rows.reduce<string | null>(
    (max, item) => (max === null || item.lastAt > max ? item.lastAt : max),
    null,
  );
  useEffect(() => {
    if (newest !== null) markNotificationsSeen(username, newest);
  }, [newest, username]);

  return (
    <section className="page">
      <div className="page-head">
        <h1>Notifications</h1>
      </div>
      <p className="hint page-hint">
        Failed calls, deploys and deliveries, circuit changes and approvals; repeats of the same
        failure within a minute are counted on one line.
      </p>
      <form className="filters" role="search" onSubmit={(event) => event.preventDefault()}>
        <div className="field">
          <label htmlFor="notifications-code">Code</label>
          <input
            id="notifications-code"
            type="search"
            data-shortcut="search"
            className="mono"
            maxLength={64}
            placeholder="e.g. HTTP_5XX"
            value={code}
            onChange={(event) => setCode(event.target.value)}
          />
        </div>
      </form>
      {rows.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Notifications" aria-busy={list.isFetching}>
            <thead>
              <tr>
                <th scope="col">Last</th>
                <th scope="col">What</th>
                <th scope="col">Connection</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((item) => {
                const isNew = seenBefore === null || item.lastAt > seenBefore;
                return (
                  <tr key={item.id} className={isNew ? 'is-new' : undefined}>
                    <td>
                      <Time value={item.lastAt} />
                      {isNew && <span className="badge new">new</span>}
                    </td>
                    <td>
                      <span className={`pill ${kinds[item.kind].tone}`}>
                        {kinds[item.kind].words}
                      </span>
                      <span className="row-note">
                        <code>{item.code}</code>
                        {item.count > 1 && ` · ${item.count} times`}
                      </span>
                    </td>
                    <td>
                      {item.connectionId ? (
                        <Link to={`/connections/${item.connectionId}`}>{item.connection}</Link>
                      ) : (
                        (item.connection ?? <span className="muted">—</span>)
                      )}
                      {item.environment && (
                        <span className="row-note">
                          in <EnvironmentName id={item.environment} />
                        </span>
                      )}
                    </td>
                    <td className="message">{item.message}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ListFooter
        list={list}
        count={rows.length}
        empty={
          typedCode
            ? `No notifications with code ${typedCode}. Clear the code to see them all.`
            : 'No notifications: all quiet. Failed calls, deploys and deliveries, circuit changes and approvals will show here.'
        }
      />
    </section>
  );
}
