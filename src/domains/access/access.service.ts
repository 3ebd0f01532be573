import { createHash, randomBytes } from 'node:crypto';
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
} from './token.repo.ts';

export const bootstrapTokenName = 'admin';
// last_used_at is a hint, not a log: one write a minute per token keeps reads read-only.
const touchIntervalMs = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

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

export function createAccessService(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const lastTouched = new Map<string, number>();

  return {
    /** The actor behind a bearer token, or null when it is unknown, revoked or expired. */
    async authenticate(token: string): Promise<Actor | null> {
      const row = await findTokenByHash(store.db, hashToken(token));
      if (!row || row.revokedAt) return null;
      const now = clock.now();
      if (row.expiresAt && row.expiresAt <= now.toISOString()) return null;
      const last = lastTouched.get(row.id) ?? 0;
      if (now.getTime() - last >= touchIntervalMs) {
        lastTouched.set(row.id, now.getTime());
        await touchToken(store.db, row.id, now.toISOString());
      }
      return { id: row.id, name: row.name, role: row.role as Actor['role'] };
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
