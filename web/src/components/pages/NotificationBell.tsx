import { useQuery } from '@tanstack/react-query';
import { NavLink } from 'react-router';
import type { Notification } from '../../../../src/contracts/notifications.ts';
import { get } from '../../api/client.ts';
import { useWho } from '../../session.tsx';
import type { Page } from './cursorList.tsx';
import { useNotificationsSeenAt } from './notificationsSeen.ts';
import '../../pages.css';

/** How often the bell asks: failures are written about once a second, a person looks less often. */
const pollMs = 10_000;
/** The bell counts within the newest page; past it, "99+" says enough. */
const countLimit = 100;

/** The top bar's bell: how many notifications are newer than the user's last look. */
export function NotificationBell() {
  const who = useWho();
  const seenAt = useNotificationsSeenAt(who.user.username);
  const latest = useQuery({
    queryKey: ['notifications', 'bell'],
    queryFn: () => get<Page<Notification>>('/notifications', { limit: countLimit }),
    refetchInterval: pollMs,
  });
  const items = latest.data?.items ?? [];
  const unread = items.filter((item) => seenAt === null || item.lastAt > seenAt).length;
  const shown = unread > 99 ? '99+' : String(unread);
  return (
    <NavLink
      to="/notifications"
      className="bell"
      aria-label={unread > 0 ? `Notifications: ${shown} unread` : 'Notifications'}
      title={unread > 0 ? `${shown} unread notifications` : 'Notifications'}
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path
          d="M12 3a6 6 0 0 0-6 6v3.6L4.3 16a.8.8 0 0 0 .7 1.2h14a.8.8 0 0 0 .7-1.2L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15.5a2.5 2.5 0 0 0 5 0Z"
          fill="currentColor"
        />
      </svg>
      {unread > 0 && (
        <span className="bell-count" data-testid="bell-count">
          {shown}
        </span>
      )}
    </NavLink>
  );
}
