import { lazy, Suspense } from 'react';
import { createRoutesFromElements, Navigate, Outlet, Route, useLocation } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SessionProvider, useSession } from './session.tsx';

// Every page but the list and the login is loaded when first opened: the first load stays small.
const ConnectionPage = lazy(() =>
  import('./pages/ConnectionPage.tsx').then((m) => ({ default: m.ConnectionPage })),
);
const EnvironmentsPage = lazy(() =>
  import('./pages/EnvironmentsPage.tsx').then((m) => ({ default: m.EnvironmentsPage })),
);
const VariablesPage = lazy(() =>
  import('./pages/VariablesPage.tsx').then((m) => ({ default: m.VariablesPage })),
);
const SecretsPage = lazy(() =>
  import('./pages/SecretsPage.tsx').then((m) => ({ default: m.SecretsPage })),
);
const CertificatesPage = lazy(() =>
  import('./pages/CertificatesPage.tsx').then((m) => ({ default: m.CertificatesPage })),
);
const KeyStoresPage = lazy(() =>
  import('./pages/KeyStoresPage.tsx').then((m) => ({ default: m.KeyStoresPage })),
);
const DeliveriesPage = lazy(() =>
  import('./pages/DeliveriesPage.tsx').then((m) => ({ default: m.DeliveriesPage })),
);
const NotificationsPage = lazy(() =>
  import('./pages/NotificationsPage.tsx').then((m) => ({ default: m.NotificationsPage })),
);
const AuditPage = lazy(() =>
  import('./pages/AuditPage.tsx').then((m) => ({ default: m.AuditPage })),
);
const UsersPage = lazy(() =>
  import('./pages/UsersPage.tsx').then((m) => ({ default: m.UsersPage })),
);
const ApprovalsPage = lazy(() =>
  import('./pages/ApprovalsPage.tsx').then((m) => ({ default: m.ApprovalsPage })),
);
const AccountPage = lazy(() =>
  import('./pages/AccountPage.tsx').then((m) => ({ default: m.AccountPage })),
);
const PasswordChangePage = lazy(() =>
  import('./pages/PasswordChangePage.tsx').then((m) => ({ default: m.PasswordChangePage })),
);
const ConnectionEditorPage = lazy(() =>
  import('./pages/ConnectionEditorPage.tsx').then((m) => ({ default: m.ConnectionEditorPage })),
);

function RequireSession({ children }: { children: React.ReactNode }) {
  const { who, ended } = useSession();
  const location = useLocation();
  if (who === undefined)
    return (
      <p className="loading" aria-live="polite">
        Loading…
      </p>
    );
  if (who === null) {
    return (
      <Navigate
        to="/login"
        replace
        state={{ from: location.pathname + location.search, expired: ended }}
      />
    );
  }
  // a password someone else set: nothing else until the user has chosen their own
  if (who.user.mustChangePassword) {
    return (
      <Navigate
        to="/change-password"
        replace
        state={{ from: location.pathname + location.search }}
      />
    );
  }
  return children;
}

/**
 * The console's routes, for a data router (createBrowserRouter in main.tsx: it is what lets a
 * page with unsaved changes block Back and navigate()). The session wraps them all: it needs
 * the router to send the browser to the login page.
 */
export const appRoutes = createRoutesFromElements(
  <Route
    element={
      <SessionProvider>
        <Outlet />
      </SessionProvider>
    }
  >
    <Route path="/login" element={<LoginPage />} />
    <Route
      path="/change-password"
      element={
        <Suspense
          fallback={
            <p className="loading" aria-live="polite">
              Loading…
            </p>
          }
        >
          <PasswordChangePage />
        </Suspense>
      }
    />
    <Route
      element={
        <RequireSession>
          <Layout />
        </RequireSession>
      }
    >
      <Route index element={<Navigate to="/connections" replace />} />
      <Route path="connections" element={<ConnectionsPage />} />
      <Route path="connections/new" element={<ConnectionEditorPage />} />
      <Route path="connections/:id/edit" element={<ConnectionEditorPage />} />
      <Route path="connections/:id" element={<ConnectionPage />} />
      <Route path="deliveries" element={<DeliveriesPage />} />
      <Route path="environments" element={<EnvironmentsPage />} />
      <Route path="variables" element={<VariablesPage />} />
      <Route path="secrets" element={<SecretsPage />} />
      <Route path="certificates" element={<CertificatesPage />} />
      <Route path="keystores" element={<KeyStoresPage />} />
      <Route path="notifications" element={<NotificationsPage />} />
      <Route path="audit" element={<AuditPage />} />
      <Route path="users" element={<UsersPage />} />
      <Route path="approvals" element={<ApprovalsPage />} />
      <Route path="account" element={<AccountPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Route>
  </Route>,
);
