import { Navigate, useLocation } from 'react-router';
import { PasswordForm } from '../components/pages/PasswordForm.tsx';
import { useSession } from '../session.tsx';
import '../pages.css';

/** Where the console was going when it was sent here (RequireSession puts it in the state). */
interface PasswordChangeState {
  from?: string;
}

/**
 * A user whose password someone else set (an admin, or the first start's one-time password)
 * comes here first, and goes nowhere else until they have chosen their own: the API answers
 * them nothing else (403 PASSWORD_CHANGE_REQUIRED). Then they go on where they were going.
 */
export function PasswordChangePage() {
  const { who, refresh, logOut } = useSession();
  const location = useLocation();
  const from = (location.state as PasswordChangeState | null)?.from ?? '/connections';
  if (who === undefined) {
    return (
      <p className="loading" aria-live="polite">
        Loading…
      </p>
    );
  }
  if (who === null) return <Navigate to="/login" replace state={{ from }} />;
  // changed (or never needed): on to where they were going
  if (!who.user.mustChangePassword) return <Navigate to={from} replace />;
  return (
    <main className="login" id="main">
      <section className="card login-card" aria-labelledby="choose-password-head">
        <h1 id="choose-password-head">Choose your own password</h1>
        <p className="banner info" role="status">
          Someone else set the password of <strong>{who.user.username}</strong>. Choose your own
          before you go on: until then the console and the API do nothing else for you.
        </p>
        {/* the session reads the user again: the page moves on once the change is known */}
        <PasswordForm onChanged={refresh} />
        <button type="button" className="button subtle" onClick={() => void logOut()}>
          Log out
        </button>
      </section>
    </main>
  );
}
