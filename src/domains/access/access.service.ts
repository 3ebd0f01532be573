import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import { permissionRoles, roleAllows, type Permission } from './permissions.ts';
import { createSessionService, type SessionOptions } from './session.service.ts';
import {
  adoptUnownedTokens,
  findTokenByName,
  findTokenStateByHash,
  insertToken,
  markBootstrapToken,
  replaceTokenHash,
} from './token.repo.ts';
import { createTokenService, generateToken, hashToken } from './token.service.ts';
import { createUserService } from './user.service.ts';

export const bootstrapTokenName = 'admin';

export interface BootstrapResult {
  /** where the admin token came from */
  source: 'environment' | 'file';
  /** the token file, when the token lives in one */
  file?: string;
  created: boolean;
  /** the token was revoked by an admin: it does not work (and is not revived) */
  revoked: boolean;
  /** the first admin's one-time password file, when this start created it */
  adminPasswordFile?: string;
}

/** The FORBIDDEN error naming the permission `actor` lacks; null when it holds it. */
export function missingPermission(actor: Actor, permission: Permission): AppError | null {
  if (roleAllows(actor.role, permission)) return null;
  return new AppError(
    'FORBIDDEN',
    `'${actor.name}' acts as ${actor.role} here; ${permission} needs ${permissionRoles[permission]} or above`,
    { permission, role: actor.role },
  );
}

/** Throws FORBIDDEN naming the permission `actor` lacks. */
export function authorize(actor: Actor, permission: Permission): void {
  const missing = missingPermission(actor, permission);
  if (missing) throw missing;
}

/**
 * Access: who is calling (bearer tokens, console sessions) and what they may do; users and
 * their tokens; the first admin and the bootstrap token of a fresh install.
 */
export function createAccessService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  dataDir?: string;
  sessions?: Partial<SessionOptions>;
}) {
  const { store, clock, audit } = deps;
  const tokens = createTokenService({ store, clock, audit });
  const users = createUserService({
    store,
    clock,
    audit,
    dataDir: deps.dataDir,
    onChanged: () => forgetCached(),
  });
  const sessions = createSessionService({
    store,
    clock,
    audit,
    users,
    options: deps.sessions,
  });

  function forgetCached(): void {
    tokens.forgetCached();
    sessions.forgetCached();
  }

  return {
    users,
    tokens,
    sessions,
    authorize,

    /** The actor behind a bearer token, or null when it is unknown, revoked or expired. */
    authenticate: (token: string) => tokens.authenticate(token),
    /** authenticate() from the cache alone; undefined when the store must be asked. */
    authenticateIfKnown: (token: string) => tokens.authenticateIfKnown(token),

    /**
     * Makes sure the first admin can get in: the user `admin` (one-time password in
     * `<dataDir>/admin-password`, or `adminPassword`) on a fresh store, and the bootstrap
     * token — HOOKLINE_BOOTSTRAP_TOKEN when set, else `<dataDir>/admin-token`, created (0600)
     * on first start — as that admin's token named `admin`.
     */
    async ensureBootstrapToken(options: {
      dataDir: string;
      bootstrapToken?: string;
      /** the first admin's password instead of a generated one-time password (tests) */
      adminPassword?: string;
    }): Promise<BootstrapResult> {
      const admin = await users.ensureFirstAdmin({
        dataDir: options.dataDir,
        password: options.adminPassword,
      });
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
      // the bootstrap token is the first admin's; tokens from before users existed are too
      if (admin.userId !== null) await adoptUnownedTokens(store.db, admin.userId);
      // a bootstrap token an admin revoked stays revoked: a restart must not bring it back
      const known = await findTokenStateByHash(store.db, tokenHash);
      let bootstrapId = known?.id;
      if (!known) {
        const existing = await findTokenByName(store.db, bootstrapTokenName, admin.userId);
        if (existing) {
          // HOOKLINE_BOOTSTRAP_TOKEN (or the file) changed: the old value stops working
          await replaceTokenHash(store.db, existing.id, tokenHash);
          bootstrapId = existing.id;
        } else {
          bootstrapId = createId('tok');
          await insertToken(store.db, {
            id: bootstrapId,
            name: bootstrapTokenName,
            tokenHash,
            role: 'admin',
            createdAt: clock.now().toISOString(),
            userId: admin.userId,
          });
        }
      }
      // marked: it keeps working while the first admin's one-time password waits to be changed
      await markBootstrapToken(store.db, bootstrapId as string);
      forgetCached();
      return {
        revoked: known?.revoked ?? false,
        ...(options.bootstrapToken
          ? { source: 'environment' as const, created: false }
          : { source: 'file' as const, file, created }),
        ...(admin.passwordFile && { adminPasswordFile: admin.passwordFile }),
      };
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
