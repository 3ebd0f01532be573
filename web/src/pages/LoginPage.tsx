import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../api/client.ts';
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
        <p className="hint">
          First start: user <code>admin</code>, password in <code>data/admin-password</code>.
        </p>
      </form>
    </main>
  );
}
