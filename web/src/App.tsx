import { createRoutesFromElements, Navigate, Outlet, Route, useLocation } from 'react-router';
import { Layout } from './components/Layout.tsx';
import { ConnectionPage } from './pages/ConnectionPage.tsx';
import { EnvironmentsPage } from './pages/EnvironmentsPage.tsx';
import { VariablesPage } from './pages/VariablesPage.tsx';
import { SecretsPage } from './pages/SecretsPage.tsx';
import { CertificatesPage } from './pages/CertificatesPage.tsx';
import { KeyStoresPage } from './pages/KeyStoresPage.tsx';
import { DeliveriesPage } from './pages/DeliveriesPage.tsx';
import { NotificationsPage } from './pages/NotificationsPage.tsx';
import { AuditPage } from './pages/AuditPage.tsx';
import { UsersPage } from './pages/UsersPage.tsx';
import { ApprovalsPage } from './pages/ApprovalsPage.tsx';
import { AccountPage } from './pages/AccountPage.tsx';
import { ConnectionEditorPage } from './pages/ConnectionEditorPage.tsx';
import { ConnectionsPage } from './pages/ConnectionsPage.tsx';
import { LoginPage } from './pages/LoginPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SessionProvider, useSession } from './session.tsx';

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
