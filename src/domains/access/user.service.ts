import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, notFound, validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import { keyAfter, keyPage } from '../../core/key-page.ts';
import type { User, UserIn, UserPatch } from '../../contracts/access.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import { hashPassword, passwordProblems, verifyPassword } from './password-hash.ts';
import { revokeUserSessions } from './session.repo.ts';
import {
  countEnabledAdmins,
  countUsers,
  findFirstAdmin,
  findUser,
  insertUser,
  listUsers,
  updateUser,
  type UserRecord,
} from './user.repo.ts';

export const firstAdminName = 'admin';
export const adminPasswordFile = 'admin-password';

/** The view of a user: everything but the password hash. */
export function userView({ passwordHash: _hash, ...user }: UserRecord): User {
  return user;
}

function checkPassword(password: string, username: string, path: string): void {
  const problems = passwordProblems(password, username);
  if (problems.length > 0) {
    throw validationFailed(problems.map((message) => ({ path, message })));
  }
}

/** Users of the console and owners of tokens (DESIGN §1 Users and access). */
export function createUserService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** a user changed (role, disabled, password): cached credentials must be read again */
  onChanged: () => void;
  /** where the first admin's one-time password file lives (removed once it is changed) */
  dataDir?: string;
}) {
  const { store, clock, audit } = deps;

  async function require(db: Db, idOrName: string): Promise<UserRecord> {
    const user = await findUser(db, idOrName);
    if (!user) throw notFound('user', idOrName);
    return user;
  }

  /** LAST_ADMIN when `user` is the last enabled admin and the change would end that. */
  async function keepAnAdmin(db: Db, user: UserRecord, patch: UserPatch): Promise<void> {
    const staysAdmin = (patch.role ?? user.role) === 'admin' && !(patch.disabled ?? user.disabled);
    if (user.role !== 'admin' || user.disabled || staysAdmin) return;
    if ((await countEnabledAdmins(db)) <= 1) {
      throw new AppError(
        'LAST_ADMIN',
        `'${user.username}' is the last enabled admin: make another user an admin first`,
        { user: user.username },
      );
    }
  }

  return {
    async create(input: UserIn, actor: Actor): Promise<User> {
      checkPassword(input.password, input.username, 'password');
      const passwordHash = await hashPassword(input.password);
      const now = clock.now().toISOString();
      const record: UserRecord = {
        id: createId('usr'),
        username: input.username,
        displayName: input.displayName ?? '',
        role: input.role,
        disabled: false,
        // a password someone else chose: the user picks their own at the first login
        mustChangePassword: actor.id !== 'system',
        createdAt: now,
        updatedAt: now,
        lastLoginAt: null,
        passwordHash,
      };
      await store.transaction(async (tx) => {
        if (await findUser(tx, input.username)) {
          throw new AppError('USER_EXISTS', `a user named '${input.username}' already exists`, {
            username: input.username,
          });
        }
        await insertUser(tx, record);
        await audit.record(tx, {
          actor,
          action: 'user.create',
          targetType: 'user',
          targetId: record.id,
          targetName: record.username,
          after: userView(record),
        });
      });
      return userView(record);
    },

    async list(query: { limit: number; cursor?: string }): Promise<{
      items: User[];
      next: string | null;
    }> {
      const rows = await listUsers(store.db, {
        afterUsername: keyAfter(query.cursor),
        limit: query.limit + 1,
      });
      return keyPage(rows, query.limit, userView, (row) => row.username);
    },

    async get(idOrName: string): Promise<User> {
      return userView(await require(store.db, idOrName));
    },

    /** An admin changes a user: role, disabled, display name, or sets a new password. */
    async update(idOrName: string, patch: UserPatch, actor: Actor): Promise<User> {
      const current = await require(store.db, idOrName);
      if (patch.password !== undefined) checkPassword(patch.password, current.username, 'password');
      const passwordHash =
        patch.password === undefined ? undefined : await hashPassword(patch.password);
      const now = clock.now().toISOString();
      const updated = await store.transaction(async (tx) => {
        // two admins demoting each other at once must not both pass the last-admin check
        await store.lock(tx, 'users:admins');
        const user = await require(tx, idOrName);
        // nothing changed: nothing written, no audit record
        const unchanged =
          passwordHash === undefined &&
          (patch.displayName ?? user.displayName) === user.displayName &&
          (patch.role ?? user.role) === user.role &&
          (patch.disabled ?? user.disabled) === user.disabled;
        if (unchanged) return user;
        await keepAnAdmin(tx, user, patch);
        await updateUser(tx, user.id, {
          displayName: patch.displayName,
          role: patch.role,
          disabled: patch.disabled,
          passwordHash,
          // a password set by someone else is changed by its owner at the next login
          ...(passwordHash !== undefined && { mustChangePassword: user.id !== actor.id }),
          updatedAt: now,
        });
        // a disabled user, or one whose password was reset, is signed out everywhere
        if (patch.disabled === true || passwordHash !== undefined) {
          await revokeUserSessions(tx, user.id, now);
        }
        const after = await require(tx, user.id);
        await audit.record(tx, {
          actor,
          action: 'user.update',
          targetType: 'user',
          targetId: user.id,
          targetName: user.username,
          before: userView(user),
          after: { ...userView(after), ...(passwordHash !== undefined && { passwordSet: true }) },
        });
        return after;
      });
      deps.onChanged();
      return userView(updated);
    },

    /** The caller changes their own password; their other sessions end. */
    async changeOwnPassword(
      actor: Actor,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      const user = await require(store.db, actor.id);
      if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
        throw validationFailed([
          { path: 'currentPassword', message: 'is not your current password' },
        ]);
      }
      checkPassword(input.newPassword, user.username, 'newPassword');
      if (input.newPassword === input.currentPassword) {
        throw validationFailed([
          { path: 'newPassword', message: 'must differ from the current password' },
        ]);
      }
      const passwordHash = await hashPassword(input.newPassword);
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        await updateUser(tx, user.id, { passwordHash, mustChangePassword: false, updatedAt: now });
        await revokeUserSessions(
          tx,
          user.id,
          now,
          actor.via === 'session' ? actor.credentialId : undefined,
        );
        await audit.record(tx, {
          actor,
          action: 'user.password_change',
          targetType: 'user',
          targetId: user.id,
          targetName: user.username,
        });
      });
      deps.onChanged();
      // the one-time password of the first start is spent
      if (user.username === firstAdminName && deps.dataDir !== undefined) {
        rmSync(join(deps.dataDir, adminPasswordFile), { force: true });
      }
    },

    /**
     * Where the first admin finds their one-time password, for the login page — only while it
     * is still unused (the file exists and `admin` has not chosen a password yet): afterwards
     * the path would tell anyone who opens the page where the server keeps its data, for
     * nothing. Null when no such hint applies (or the password came from the configuration).
     */
    async firstLoginHint(): Promise<{ username: string; passwordFile: string } | null> {
      if (deps.dataDir === undefined) return null;
      const passwordFile = resolve(deps.dataDir, adminPasswordFile);
      if (!existsSync(passwordFile)) return null;
      const admin = await findUser(store.db, firstAdminName);
      if (!admin || admin.disabled || !admin.mustChangePassword) return null;
      return { username: admin.username, passwordFile };
    },

    /**
     * First start: no user yet → the admin user `admin`, with a one-time password written to
     * `<dataDir>/admin-password` (mode 0600) unless `password` is given; it must be changed at
     * the first login. Answers the admin's id, and the file when one was written.
     */
    async ensureFirstAdmin(options: {
      dataDir: string;
      password?: string;
    }): Promise<{ userId: string | null; created: boolean; passwordFile?: string }> {
      if ((await countUsers(store.db)) > 0) {
        const admin =
          (await findUser(store.db, firstAdminName)) ?? (await findFirstAdmin(store.db));
        return { userId: admin?.id ?? null, created: false };
      }
      const password = options.password ?? randomBytes(18).toString('base64url');
      const now = clock.now().toISOString();
      const record: UserRecord = {
        id: createId('usr'),
        username: firstAdminName,
        displayName: 'Administrator',
        role: 'admin',
        disabled: false,
        mustChangePassword: options.password === undefined,
        createdAt: now,
        updatedAt: now,
        lastLoginAt: null,
        passwordHash: await hashPassword(password),
      };
      let passwordFile: string | undefined;
      if (options.password === undefined) {
        passwordFile = join(options.dataDir, adminPasswordFile);
        writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
        chmodSync(passwordFile, 0o600);
      }
      await store.transaction(async (tx) => {
        await insertUser(tx, record);
        await audit.record(tx, {
          actor: { id: 'system', name: 'system', role: 'admin', via: 'system' },
          action: 'user.create',
          targetType: 'user',
          targetId: record.id,
          targetName: record.username,
          after: userView(record),
        });
      });
      return { userId: record.id, created: true, ...(passwordFile && { passwordFile }) };
    },

    /** The stored record (with its hash), for login. */
    find(idOrName: string): Promise<UserRecord | undefined> {
      return findUser(store.db, idOrName);
    },

    /** The user's last login, written in the caller's transaction (the session's). */
    async recordLogin(db: Db, userId: string, at: string): Promise<void> {
      await updateUser(db, userId, { lastLoginAt: at });
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
