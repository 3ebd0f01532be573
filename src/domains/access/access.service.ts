import { hash, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { createId } from '../../core/ids.ts';
import type { Store } from '../../store/create-store.ts';
import {
  findTokenByHash,
  findTokenByName,
  insertToken,
  replaceTokenHash,
  touchToken,
  type TokenRow,
} from './token.repo.ts';

export const bootstrapTokenName = 'admin';
// last_used_at is a hint, not a log: one write a minute per token keeps reads read-only.
const touchIntervalMs = 60_000;

export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

/**
 * A token looked up in the store is trusted this long without asking again: every API
 * request authenticates, and the lookup was a store query each time. A change made here
 * (a token replaced) forgets the cache at once; one made by another instance sharing the
 * store is seen within this time.
 */
export const tokenCacheMs = 1000;
const maxCachedTokens = 10_000;

/** `hl_` + 256 random bits, base64url: long enough that a plain SHA-256 is a safe store. */
export function generateToken(): string {
  return `hl_${randomBytes(32).toString('base64url')}`;
}

export interface BootstrapResult {
  /** where the admin token came from */
  source: 'environment' | 'file';
  /** the token file, when the token lives in one */
  file?: string;
  created: boolean;
}

interface CachedToken {
  row: TokenRow;
  actor: Actor;
  expiresAtMs: number;
  readAt: number;
}

export function createAccessService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
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
    // unknown tokens are not kept: guessing must not fill the cache
    if (!row) {
      cached.delete(tokenHash);
      return undefined;
    }
    const entry: CachedToken = {
      row,
      actor: { id: row.id, name: row.name, role: row.role as Actor['role'] },
      expiresAtMs: row.expiresAt ? Date.parse(row.expiresAt) : Number.POSITIVE_INFINITY,
      readAt: nowMs,
    };
    if (cached.size >= maxCachedTokens) cached.clear();
    cached.set(tokenHash, entry);
    return entry;
  }

  /** The actor of a valid token; null when revoked or expired. */
  function actorOf(entry: CachedToken, nowMs: number): Actor | null {
    if (entry.row.revokedAt || entry.expiresAtMs <= nowMs) return null;
    return entry.actor;
  }

  /** last_used_at is due for a write (once a minute per token) */
  function touchDue(entry: CachedToken, nowMs: number): boolean {
    return nowMs - (lastTouched.get(entry.row.id) ?? 0) >= touchIntervalMs;
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

    /**
     * Makes sure the first admin can get in: HOOKLINE_BOOTSTRAP_TOKEN when set, else the
     * token in `<dataDir>/admin-token`, created (mode 0600) on first start.
     */
    async ensureBootstrapToken(options: {
      dataDir: string;
      bootstrapToken?: string;
    }): Promise<BootstrapResult> {
      const file = join(options.dataDir, 'admin-token');
      let token = options.bootstrapToken;
      let created = false;
      if (!token) {
        token = readTokenFile(file);
        if (!token) {
          token = generateToken();
          writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
          chmodSync(file, 0o600);
          created = true;
        }
      }
      const tokenHash = hashToken(token);
      const existing = await findTokenByName(store.db, bootstrapTokenName);
      if (!existing) {
        await insertToken(store.db, {
          id: createId('tok'),
          name: bootstrapTokenName,
          tokenHash,
          role: 'admin',
          createdAt: clock.now().toISOString(),
        });
      } else if (existing.tokenHash !== tokenHash) {
        await replaceTokenHash(store.db, existing.id, tokenHash);
        cached.clear();
      }
      return options.bootstrapToken
        ? { source: 'environment', created: false }
        : { source: 'file', file, created };
    },
  };
}

function readTokenFile(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8').trim();
    return text === '' ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export type AccessService = ReturnType<typeof createAccessService>;
