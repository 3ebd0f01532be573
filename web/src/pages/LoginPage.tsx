import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import type { LoginHint as Hint } from '../../../src/contracts/access.ts';
import { ApiError, get } from '../api/client.ts';
import { useSession } from '../session.tsx';

interface LoginState {
  from?: string;
  expired?: boolean;
}

export function LoginPage() {
  const { who, logIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (who) return <Navigate to={state.from ?? '/connections'} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await logIn(username, password);
      void navigate(state.from ?? '/connections', { replace: true });
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.code === 'UNAUTHENTICATED'
          ? 'The user name or password is wrong.'
          : failure instanceof Error
            ? failure.message
            : String(failure),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login" id="main">
      <form className="card login-card" onSubmit={(event) => void submit(event)}>
        <h1>
          <img src="/favicon.svg" alt="" width="32" height="32" /> Hookline
        </h1>
        {state.expired && (
          <p className="banner info" role="status">
            Your session ended. Log in again to go on where you were.
          </p>
        )}
        <label htmlFor="login-username">User name</label>
        <input
          id="login-username"
          name="username"
          autoComplete="username"
          required
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <label htmlFor="login-password">Password</label>
        <input
          id="login-password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {error && (
          <p className="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
        <LoginHint />
      </form>
    </main>
  );
}

/**
 * How to get in: on a first start, where the server wrote the admin's one-time password (the
 * server names its real data directory, and only until that password is changed); otherwise
 * who can set a new password.
 */
function LoginHint() {
  const hint = useQuery({
    queryKey: ['session-hint'],
    queryFn: () => get<Hint>('/session/hint'),
    // asked afresh on every visit: after the first admin's change (then a log-out) it is gone
    staleTime: 0,
    gcTime: 0,
  });
  if (hint.isPending) return null;
  const firstAdmin = hint.data?.firstAdmin;
  if (firstAdmin) {
    return (
      <p className="hint" data-testid="login-hint">
        First start: user <code>{firstAdmin.username}</code>, with the one-time password in{' '}
        <code className="path">{firstAdmin.passwordFile}</code> on the server. You choose your own
        after logging in.
      </p>
    );
  }
  return (
    <p className="hint" data-testid="login-hint">
      Forgot your password? An admin sets a new one on the Users page or with{' '}
      <code>hookline users set-password &lt;user&gt;</code>.
    </p>
  );
}
