import type { User } from '../../contracts/access.ts';
import type { Db } from '../../store/create-store.ts';
import type { UsersTable } from '../../store/database.ts';
import type { Role } from './permissions.ts';

/** A user as stored: the view plus the password hash, which never leaves this domain. */
export interface UserRecord extends User {
  passwordHash: string;
}

type UserRow = Omit<UsersTable, 'display_name'> & { display_name: string };

function recordOf(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as Role,
    disabled: Boolean(row.disabled),
    mustChangePassword: Boolean(row.must_change_password),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    lastLoginAt: row.last_login_at,
    passwordHash: row.password_hash,
  };
}

export async function insertUser(db: Db, user: UserRecord): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      username: user.username,
      display_name: user.displayName,
      role: user.role,
      password_hash: user.passwordHash,
      disabled: user.disabled,
      must_change_password: user.mustChangePassword,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      last_login_at: user.lastLoginAt,
    })
    .execute();
}

/** By id, or by user name ignoring case. */
export async function findUser(db: Db, idOrName: string): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) =>
      eb.or([
        eb('id', '=', idOrName),
        eb(eb.fn('lower', ['username']), '=', idOrName.toLowerCase()),
      ]),
    )
    .orderBy('id')
    .executeTakeFirst();
  return row && recordOf(row);
}

export async function listUsers(
  db: Db,
  page: { afterUsername?: string; limit: number },
): Promise<UserRecord[]> {
  let query = db.selectFrom('users').selectAll();
  if (page.afterUsername !== undefined) {
    query = query.where(
      (eb) => eb.fn('lower', ['username']),
      '>',
      page.afterUsername.toLowerCase(),
    );
  }
  const rows = await query
    .orderBy((eb) => eb.fn('lower', ['username']))
    .limit(page.limit)
    .execute();
  return rows.map(recordOf);
}

export async function countEnabledAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function updateUser(
  db: Db,
  id: string,
  change: Partial<
    Pick<
      UserRecord,
      'displayName' | 'role' | 'disabled' | 'mustChangePassword' | 'passwordHash' | 'lastLoginAt'
    >
  > & { updatedAt?: string },
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(change.displayName !== undefined && { display_name: change.displayName }),
      ...(change.role !== undefined && { role: change.role }),
      ...(change.disabled !== undefined && { disabled: change.disabled }),
      ...(change.mustChangePassword !== undefined && {
        must_change_password: change.mustChangePassword,
      }),
      ...(change.passwordHash !== undefined && { password_hash: change.passwordHash }),
      ...(change.lastLoginAt !== undefined && { last_login_at: change.lastLoginAt }),
      ...(change.updatedAt !== undefined && { updated_at: change.updatedAt }),
    })
    .where('id', '=', id)
    .execute();
}

/** The oldest enabled admin: who the bootstrap token acts for when `admin` is gone. */
export async function findFirstAdmin(db: Db): Promise<UserRecord | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row && recordOf(row);
}
