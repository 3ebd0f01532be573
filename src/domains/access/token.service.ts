import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, notFound, validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import { keyAfter, keyPage } from '../../core/key-page.ts';
import type { Token, TokenCreated, TokenIn } from '../../contracts/access.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import { isRole, narrowerRole, roleAllows, roleRank, type Role } from './permissions.ts';
import {
  findToken,
  findTokenByHash,
  findTokenByName,
  insertToken,
  listTokens,
  revokeToken,
  touchToken,
  userRoleMarker,
  type TokenListRow,
  type TokenRow,
} from './token.repo.ts';
import { findUser } from './user.repo.ts';

export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/** `hl_` + 256 random bits, base64url: long enough that a plain SHA-256 is a safe store. */
export function generateToken(): string {
  return `hl_${randomBytes(32).toString('base64url')}`;
}

/**
 * A token looked up in the store is trusted this long without asking again: every API
 * request authenticates, and the lookup was a store query each time. A change made here
 * (a token revoked, a user disabled) forgets the cache at once; one made by another instance
 * sharing the store is seen within this time.
 */
export const tokenCacheMs = 1000;
const maxCachedTokens = 10_000;
// last_used_at is a hint, not a log: one write a minute per token keeps reads read-only.
const touchIntervalMs = 60_000;

interface CachedToken {
  row: TokenRow;
  /** null: the token can never act (no user, user disabled) */
  actor: Actor | null;
  expiresAtMs: number;
  readAt: number;
}

function sameHash(storedHex: string, givenHex: string): boolean {
  const stored = Buffer.from(storedHex, 'hex');
  const given = Buffer.from(givenHex, 'hex');
  return stored.length === given.length && timingSafeEqual(stored, given);
}

function actorFor(row: TokenRow): Actor | null {
  if (row.userId === null || row.username === null || !isRole(row.userRole)) return null;
  if (row.userDisabled) return null;
  const tokenRole = isRole(row.role) ? row.role : null;
  return {
    id: row.userId,
    name: row.username,
    role: narrowerRole(row.userRole, tokenRole),
    via: 'token',
    credentialId: row.id,
    // the bootstrap token keeps working: the CLI, the README's tour and automation use it
    ...(row.userMustChangePassword && !row.bootstrap && { mustChangePassword: true as const }),
  };
}

function stateOf(row: TokenListRow, nowMs: number): Token['state'] {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && Date.parse(row.expiresAt) <= nowMs) return 'expired';
  return 'active';
}

export function tokenView(row: TokenListRow, nowMs: number): Token {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    username: row.username,
    role: isRole(row.role) ? row.role : null,
    state: stateOf(row, nowMs),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

/** API tokens: who a bearer token stands for (cached briefly), and a user's own tokens. */
export function createTokenService(deps: { store: Store; clock: Clock; audit: AuditService }) {
  const { store, clock, audit } = deps;
  const lastTouched = new Map<string, number>();
  /** token hash → its row, the actor it stands for, and when it was read (clock ms) */
  const cached = new Map<string, CachedToken>();

  function fresh(hit: CachedToken | undefined, nowMs: number): hit is CachedToken {
    return hit !== undefined && nowMs - hit.readAt < tokenCacheMs && nowMs >= hit.readAt;
  }

  async function lookUp(tokenHash: string, nowMs: number): Promise<CachedToken | undefined> {
    const hit = cached.get(tokenHash);
    if (fresh(hit, nowMs)) return hit;
    const row = await findTokenByHash(store.db, tokenHash);
    // the index found it by hash; compare in constant time all the same, so no timing of a
    // string comparison anywhere depends on a secret
    if (!row || !sameHash(row.tokenHash, tokenHash)) {
      // unknown tokens are not kept: guessing must not fill the cache
      cached.delete(tokenHash);
      return undefined;
    }
    const entry: CachedToken = {
      row,
      actor: actorFor(row),
      expiresAtMs: row.expiresAt ? Date.parse(row.expiresAt) : Number.POSITIVE_INFINITY,
      readAt: nowMs,
    };
    if (cached.size >= maxCachedTokens) cached.clear();
    cached.set(tokenHash, entry);
    return entry;
  }

  /** The actor of a valid token; null when revoked, expired or its user cannot act. */
  function actorOf(entry: CachedToken, nowMs: number): Actor | null {
    if (entry.row.revokedAt || entry.expiresAtMs <= nowMs) return null;
    return entry.actor;
  }

  /** last_used_at is due for a write (once a minute per token) */
  function touchDue(entry: CachedToken, nowMs: number): boolean {
    return nowMs - (lastTouched.get(entry.row.id) ?? 0) >= touchIntervalMs;
  }

  /** The token `id` as `actor` may see it: their own, or anyone's for an admin. */
  async function visibleToken(id: string, actor: Actor, db: Db = store.db): Promise<TokenListRow> {
    const row = await findToken(db, id);
    if (!row || (row.userId !== actor.id && !roleAllows(actor.role, 'users:manage'))) {
      throw notFound('token', id);
    }
    return row;
  }

  return {
    /** The actor behind a bearer token, or null when it is unknown, revoked or expired. */
    async authenticate(token: string): Promise<Actor | null> {
      const nowMs = clock.now().getTime();
      const entry = await lookUp(hashToken(token), nowMs);
      if (!entry) return null;
      const actor = actorOf(entry, nowMs);
      if (actor && touchDue(entry, nowMs)) {
        lastTouched.set(entry.row.id, nowMs);
        await touchToken(store.db, entry.row.id, new Date(nowMs).toISOString());
      }
      return actor;
    },

    /**
     * authenticate() without waiting, when the answer is at hand (the token was read less than
     * tokenCacheMs ago and needs no last-used write); undefined when it is not: then call
     * authenticate(). Every API request authenticates; most need no promise for it.
     */
    authenticateIfKnown(token: string): Actor | null | undefined {
      const nowMs = clock.now().getTime();
      const hit = cached.get(hashToken(token));
      if (!fresh(hit, nowMs) || touchDue(hit, nowMs)) return undefined;
      return actorOf(hit, nowMs);
    },

    /** Forget every cached token: a user or token changed here. */
    forgetCached(): void {
      cached.clear();
    },

    /** A new token of the calling user; its value is in this answer and nowhere else. */
    async create(input: TokenIn, actor: Actor): Promise<TokenCreated> {
      const now = clock.now();
      const problems = [];
      if (input.role !== undefined && roleRank(input.role) > roleRank(actor.role)) {
        problems.push({
          path: 'role',
          message: `a token may not have more than the role you act with ('${actor.role}')`,
        });
      }
      if (input.expiresAt !== undefined && Date.parse(input.expiresAt) <= now.getTime()) {
        problems.push({ path: 'expiresAt', message: 'must be in the future' });
      }
      if (problems.length > 0) throw validationFailed(problems);
      const user = await findUser(store.db, actor.id);
      if (!user) throw new AppError('FORBIDDEN', 'only a user can own tokens', {});
      const token = generateToken();
      // a token made with a narrower token keeps that narrower role at most
      const role: Role | null =
        input.role ?? (roleRank(actor.role) < roleRank(user.role) ? actor.role : null);
      const id = createId('tok', now.getTime());
      const expiresAt = input.expiresAt ? new Date(input.expiresAt).toISOString() : null;
      await store.transaction(async (tx) => {
        if (await findTokenByName(tx, input.name, user.id)) {
          throw new AppError('TOKEN_EXISTS', `you already have a token named '${input.name}'`, {
            name: input.name,
          });
        }
        await insertToken(tx, {
          id,
          name: input.name,
          tokenHash: hashToken(token),
          role: role ?? userRoleMarker,
          createdAt: now.toISOString(),
          userId: user.id,
          expiresAt,
        });
        await audit.record(tx, {
          actor,
          action: 'token.create',
          targetType: 'token',
          targetId: id,
          targetName: input.name,
          after: { name: input.name, user: user.username, role, expiresAt },
        });
      });
      return {
        id,
        name: input.name,
        userId: user.id,
        username: user.username,
        role,
        state: 'active',
        createdAt: now.toISOString(),
        expiresAt,
        revokedAt: null,
        lastUsedAt: null,
        token,
      };
    },

    /** The caller's tokens; an admin may name another user (`user`). */
    async list(
      query: { user?: string; limit: number; cursor?: string },
      actor: Actor,
    ): Promise<{ items: Token[]; next: string | null }> {
      let userId = actor.id;
      if (query.user !== undefined) {
        const user = await findUser(store.db, query.user);
        if (!user || (user.id !== actor.id && !roleAllows(actor.role, 'users:manage'))) {
          throw notFound('user', query.user);
        }
        userId = user.id;
      }
      const rows = await listTokens(store.db, {
        userId,
        afterId: keyAfter(query.cursor),
        limit: query.limit + 1,
      });
      const nowMs = clock.now().getTime();
      return keyPage(
        rows,
        query.limit,
        (row) => tokenView(row, nowMs),
        (row) => row.id,
      );
    },

    async get(id: string, actor: Actor): Promise<Token> {
      return tokenView(await visibleToken(id, actor), clock.now().getTime());
    },

    /** Revokes at once: the cache is forgotten, so the next request with it is refused. */
    async revoke(id: string, actor: Actor): Promise<Token> {
      const now = clock.now();
      await store.transaction(async (tx) => {
        const row = await visibleToken(id, actor, tx);
        if (row.revokedAt) return;
        await revokeToken(tx, row.id, now.toISOString());
        await audit.record(tx, {
          actor,
          action: 'token.revoke',
          targetType: 'token',
          targetId: row.id,
          targetName: row.name,
          before: { name: row.name, user: row.username, revokedAt: null },
          after: { name: row.name, user: row.username, revokedAt: now.toISOString() },
        });
      });
      cached.clear();
      return tokenView(await visibleToken(id, actor), now.getTime());
    },
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
