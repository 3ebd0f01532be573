import { Suspense, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useCan, useSession, useWho } from '../session.tsx';
import { NotificationBell } from './pages/NotificationBell.tsx';
import { Shortcuts } from './Shortcuts.tsx';
import { useScrollCue } from './useScrollCue.ts';

const sections: Array<{ to: string; label: string; admin?: boolean }> = [
  { to: '/connections', label: 'Connections' },
  { to: '/deliveries', label: 'Deliveries' },
  { to: '/environments', label: 'Environments' },
  { to: '/variables', label: 'Variables' },
  { to: '/secrets', label: 'Secrets' },
  { to: '/certificates', label: 'Certificates' },
  { to: '/keystores', label: 'Key stores' },
  { to: '/approvals', label: 'Approvals' },
  { to: '/notifications', label: 'Notifications' },
  { to: '/audit', label: 'Audit log' },
  { to: '/users', label: 'Users', admin: true },
];

/** The frame of every page behind the login: header, navigation, the page. */
export function Layout() {
  const who = useWho();
  const { logOut } = useSession();
  const isAdmin = useCan('admin');
  const { pathname } = useLocation();
  const navHolder = useRef<HTMLDivElement>(null);
  const nav = useScrollCue<HTMLElement>(navHolder, pathname);
  return (
    <div className="frame">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <NavLink to="/connections" className="brand" aria-label="Hookline home">
          <img src="/favicon.svg" alt="" width="24" height="24" />
          Hookline
        </NavLink>
        <div className="topbar-right">
          <Shortcuts />
          <NotificationBell />
          <NavLink to="/account" className="who" title="Your account and tokens">
            {/* a long name (an e-mail address) is cut with an ellipsis on a narrow screen */}
            <span className="who-name">{who.user.displayName || who.user.username}</span>{' '}
            <span className="role">{who.role}</span>
          </NavLink>
          <button type="button" className="button subtle" onClick={() => void logOut()}>
            Log out
          </button>
        </div>
      </header>
      <div className="body">
        {/* the holder draws the "more this way" cues: the nav itself scrolls under them */}
        <div className="sidebar-holder" ref={navHolder}>
          <nav className="sidebar" aria-label="Sections" ref={nav}>
            <ul>
              {sections
                .filter((section) => !section.admin || isAdmin)
                .map((section) => (
                  <li key={section.to}>
                    <NavLink to={section.to}>{section.label}</NavLink>
                  </li>
                ))}
            </ul>
          </nav>
        </div>
        <main id="main" tabIndex={-1}>
          <Suspense
            fallback={
              <p className="loading" aria-live="polite">
                Loading…
              </p>
            }
          >
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  );
}
