import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { User } from '../../contracts/access.ts';
import type { Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import { createLoginLimits, loginUserKey, type LoginAttempt } from './login-throttle.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';
import { isRole } from './permissions.ts';
import {
  deleteEndedSessions,
  findSessionByHash,
  insertSession,
  revokeSession,
  touchSession,
} from './session.repo.ts';
import { hashToken } from './token.service.ts';
import type { UserService } from './user.service.ts';
import { userView } from './user.service.ts';

export interface SessionOptions {
  idleMs: number;
  maxAgeMs: number;
  /** wrong passwords for one user from one address within the window */
  loginMaxFailures: number;
  /** wrong passwords for one user from every address together */
  loginMaxFailuresPerUser: number;
  /** wrong passwords from one address, whichever users it names */
  loginMaxFailuresPerAddress: number;
  loginWindowMs: number;
}

export const defaultSessionOptions: SessionOptions = {
  idleMs: 60 * 60_000,
  maxAgeMs: 12 * 3_600_000,
  loginMaxFailures: 10,
  loginMaxFailuresPerUser: 100,
  loginMaxFailuresPerAddress: 50,
  loginWindowMs: 15 * 60_000,
};

/** The name of the console's session cookie. */
export const sessionCookieName = 'hookline_session';

/** What a login answers: the cookie's value (never stored) and what the console shows. */
export interface LoginResult {
  cookieValue: string;
  user: User;
  csrfToken: string;
  sessionId: string;
  expiresAt: string;
}

interface CachedSession {
  actor: Actor | null;
  lastSeenMs: number;
  expiresAtMs: number;
  readAt: number;
}

const sessionCacheMs = 1000;
const maxCachedSessions = 10_000;

/**
 * The CSRF token of a session: an HMAC of its cookie value, so it needs no storage and only
 * whoever holds the cookie value (the server, the console's page that read the login answer)
 * can know it. A cross-site form can send the cookie but cannot read or compute this.
 */
export function csrfTokenFor(cookieValue: string): string {
  return createHmac('sha256', cookieValue).update('hookline csrf v1').digest('base64url');
}

export function isCsrfTokenValid(cookieValue: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const expected = Buffer.from(csrfTokenFor(cookieValue));
  const actual = Buffer.from(given);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * Console sessions (issue "access" §3): login with a user name and password (throttled per
 * user and address, per user and per address: login-throttle.ts), an HttpOnly cookie holding a random value whose SHA-256 is
 * stored, idle and absolute expiry, logout.
 */
export function createSessionService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  users: UserService;
  options?: Partial<SessionOptions>;
}) {
  const { store, clock, audit, users } = deps;
  const options = { ...defaultSessionOptions, ...deps.options };
  const loginLimits = createLoginLimits({
    maxFailuresPerUserAddress: options.loginMaxFailures,
    maxFailuresPerUser: options.loginMaxFailuresPerUser,
    maxFailuresPerAddress: options.loginMaxFailuresPerAddress,
    windowMs: options.loginWindowMs,
  });
  // an unknown user name costs the same scrypt as a known one: timing must not tell them apart
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('hex')));
  const cached = new Map<string, CachedSession>();
  // last_seen_at is written at most this often; the idle expiry is that much coarse
  const touchIntervalMs = Math.min(60_000, Math.max(1000, Math.floor(options.idleMs / 4)));

  function throttled(attempt: LoginAttempt, nowMs: number): void {
    const waitMs = loginLimits.waitMs(attempt, nowMs);
    if (waitMs > 0) {
      const retryAfterSeconds = Math.ceil(waitMs / 1000);
      throw new AppError(
        'RATE_LIMITED',
        `too many failed logins: try again in ${retryAfterSeconds} s`,
        { retryAfterSeconds },
      );
    }
  }

  return {
    options,

    async login(input: {
      username: string;
      password: string;
      address: string;
      userAgent: string;
    }): Promise<LoginResult> {
      const user = await users.find(input.username);
      // the user, not the spelling: its id and its name in any case count as one
      const attempt = { user: loginUserKey(user, input.username), address: input.address };
      throttled(attempt, clock.now().getTime());
      const matches = await verifyPassword(input.password, user?.passwordHash ?? (await decoy()));
      if (!user || !matches || user.disabled) {
        loginLimits.recordFailure(attempt, clock.now().getTime());
        throw new AppError('UNAUTHENTICATED', 'the user name or password is wrong', {});
      }
      loginLimits.recordSuccess(attempt);
      const cookieValue = randomBytes(32).toString('base64url');
      const now = clock.now();
      const session = {
        id: createId('ses', now.getTime()),
        userId: user.id,
        createdAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + options.maxAgeMs).toISOString(),
        revokedAt: null,
      };
      const actor: Actor = {
        id: user.id,
        name: user.username,
        role: user.role,
        via: 'session',
        credentialId: session.id,
      };
      await store.transaction(async (tx) => {
        // sessions past their absolute end can never come back: each login sweeps them
        await deleteEndedSessions(tx, now.toISOString());
        await insertSession(tx, {
          ...session,
          tokenHash: hashToken(cookieValue),
          address: input.address.slice(0, 100),
          userAgent: input.userAgent.slice(0, 300),
        });
        await users.recordLogin(tx, user.id, now.toISOString());
        await audit.record(tx, {
          actor,
          action: 'session.login',
          targetType: 'user',
          targetId: user.id,
          targetName: user.username,
          after: { session: session.id, address: input.address, expiresAt: session.expiresAt },
        });
      });
      return {
        cookieValue,
        user: userView({ ...user, lastLoginAt: now.toISOString() }),
        csrfToken: csrfTokenFor(cookieValue),
        sessionId: session.id,
        expiresAt: session.expiresAt,
      };
    },

    /** The actor of a session cookie; null when unknown, ended, idle too long or disabled. */
    async authenticate(cookieValue: string): Promise<Actor | null> {
      const nowMs = clock.now().getTime();
      const tokenHash = hashToken(cookieValue);
      let entry = cached.get(tokenHash);
      if (!entry || nowMs - entry.readAt >= sessionCacheMs || nowMs < entry.readAt) {
        const row = await findSessionByHash(store.db, tokenHash);
        if (!row) return null;
        const user = row.revokedAt ? undefined : await users.find(row.userId);
        entry = {
          actor:
            user && !user.disabled && isRole(user.role)
              ? {
                  id: user.id,
                  name: user.username,
                  role: user.role,
                  via: 'session',
                  credentialId: row.id,
                  ...(user.mustChangePassword && { mustChangePassword: true as const }),
                }
              : null,
          lastSeenMs: Date.parse(row.lastSeenAt),
          expiresAtMs: Date.parse(row.expiresAt),
          readAt: nowMs,
        };
        if (cached.size >= maxCachedSessions) cached.clear();
        cached.set(tokenHash, entry);
      }
      if (
        !entry.actor ||
        nowMs >= entry.expiresAtMs ||
        nowMs - entry.lastSeenMs >= options.idleMs
      ) {
        return null;
      }
      if (nowMs - entry.lastSeenMs >= touchIntervalMs) {
        entry.lastSeenMs = nowMs;
        await touchSession(
          store.db,
          entry.actor.credentialId as string,
          new Date(nowMs).toISOString(),
        );
      }
      return entry.actor;
    },

    /** When the session ends at the latest (absolute expiry), for the console. */
    async expiresAt(cookieValue: string): Promise<string | null> {
      const row = await findSessionByHash(store.db, hashToken(cookieValue));
      return row?.expiresAt ?? null;
    },

    async logout(actor: Actor): Promise<void> {
      if (actor.via !== 'session' || actor.credentialId === undefined) return;
      const now = clock.now().toISOString();
      const sessionId = actor.credentialId;
      await store.transaction(async (tx) => {
        await revokeSession(tx, sessionId, now);
        await audit.record(tx, {
          actor,
          action: 'session.logout',
          targetType: 'user',
          targetId: actor.id,
          targetName: actor.name,
          after: { session: sessionId },
        });
      });
      cached.clear();
    },

    forgetCached(): void {
      cached.clear();
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
