// Who is logged in. The session itself is an HttpOnly cookie the page never sees; what the
// page keeps is the user and the CSRF token the login answer (or GET /session) gave.
import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { useNavigate } from 'react-router';
import type { WhoAmI } from '../../src/contracts/access.ts';
import {
  api,
  ApiError,
  setCsrfToken,
  whenPasswordChangeRequired,
  whenSessionEnds,
} from './api/client.ts';

interface SessionState {
  /** undefined while the first GET /session is under way */
  who: WhoAmI | null | undefined;
  /** the session ended under the page (an answer said 401), as opposed to never having begun */
  ended: boolean;
  logIn(username: string, password: string): Promise<WhoAmI>;
  logOut(): Promise<void>;
  /** after a password change: read the user again */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [who, setWho] = useState<WhoAmI | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const adopt = useCallback((next: WhoAmI | null) => {
    setCsrfToken(next?.csrfToken ?? null);
    setWho(next);
    if (next) setEnded(false);
  }, []);

  const refresh = useCallback(async () => {
    // no marker cookie: no session to ask about (and no 401 in the browser's console)
    if (!/(^|;\s*)hookline_signed_in=1(;|$)/.test(document.cookie)) {
      adopt(null);
      return;
    }
    try {
      adopt(await api<WhoAmI>('GET', '/session'));
    } catch (error) {
      // a user who must first change their password may still read /users/me (the same answer)
      if (error instanceof ApiError && error.code === 'PASSWORD_CHANGE_REQUIRED') {
        try {
          adopt(await api<WhoAmI>('GET', '/users/me'));
          return;
        } catch {
          // no session after all
        }
      }
      adopt(null);
    }
  }, [adopt]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // an answer said 401: the session ended (idle, expired, revoked). The pages behind the login
  // send the browser to the login page, which returns to where it was (RequireSession).
  useEffect(() => {
    whenSessionEnds(() => {
      setEnded(true);
      adopt(null);
      queryClient.clear();
    });
  }, [adopt, queryClient]);

  // an answer said the password must be changed first (someone else set it meanwhile): the
  // pages behind the login send the browser to the password change (RequireSession)
  useEffect(() => {
    whenPasswordChangeRequired(() => {
      setWho((was) =>
        was && !was.user.mustChangePassword
          ? { ...was, user: { ...was.user, mustChangePassword: true } }
          : was,
      );
    });
  }, []);

  const value = useMemo<SessionState>(
    () => ({
      who,
      ended,
      async logIn(username, password) {
        const next = await api<WhoAmI>('POST', '/session', { body: { username, password } });
        adopt(next);
        return next;
      },
      async logOut() {
        try {
          await api('DELETE', '/session');
        } finally {
          adopt(null);
          queryClient.clear();
          void navigate('/login', { replace: true });
        }
      },
      refresh,
    }),
    [who, ended, adopt, navigate, queryClient, refresh],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The logged-in user (inside pages behind the login). */
export function useWho(): WhoAmI {
  const { who } = useSession();
  if (!who) throw new Error('useWho without a session');
  return who;
}

const rank = { viewer: 0, editor: 1, admin: 2 } as const;

/** Whether the user's role is at least `role` (what the API will allow; it decides anyway). */
export function useCan(role: keyof typeof rank): boolean {
  const { who } = useSession();
  return who ? rank[who.role] >= rank[role] : false;
}
