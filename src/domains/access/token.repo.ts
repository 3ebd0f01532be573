import type { Db } from '../../store/create-store.ts';

/** What authenticating a token needs: the token and the user it acts for. */
export interface TokenRow {
  id: string;
  name: string;
  /** the token's own role cap; 'user' = the user's role */
  role: string;
  tokenHash: string;
  expiresAt: string | null;
  revokedAt: string | null;
  userId: string | null;
  /** the user's, null for a token whose user is gone or not linked yet */
  username: string | null;
  userRole: string | null;
  userDisabled: boolean;
  /** the user must change a password someone else set */
  userMustChangePassword: boolean;
  /** the bootstrap token (admin-token file or HOOKLINE_BOOTSTRAP_TOKEN) */
  bootstrap: boolean;
}

/** A token as lists show it. */
export interface TokenListRow {
  id: string;
  name: string;
  role: string;
  userId: string | null;
  username: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** The role column's value for "whatever role the user has". */
export const userRoleMarker = 'user';

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  const row = await db
    .selectFrom('tokens')
    .leftJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'tokens.id',
      'tokens.name',
      'tokens.role',
      'tokens.token_hash',
      'tokens.expires_at',
      'tokens.revoked_at',
      'tokens.user_id',
      'users.username',
      'users.role as user_role',
      'users.disabled',
      'users.must_change_password',
      'tokens.bootstrap',
    ])
    .where('tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      role: row.role,
      tokenHash: row.token_hash,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      userId: row.user_id,
      username: row.username,
      userRole: row.user_role,
      userDisabled: Boolean(row.disabled),
      userMustChangePassword: Boolean(row.must_change_password),
      bootstrap: Boolean(row.bootstrap),
    }
  );
}

export async function findTokenByName(
  db: Db,
  name: string,
  userId: string | null,
): Promise<{ id: string; tokenHash: string; userId: string | null } | undefined> {
  let query = db
    .selectFrom('tokens')
    .select(['id', 'token_hash', 'user_id'])
    .where('name', '=', name)
    .where('revoked_at', 'is', null);
  query = userId === null ? query : query.where('user_id', '=', userId);
  const row = await query.orderBy('created_at').executeTakeFirst();
  return row && { id: row.id, tokenHash: row.token_hash, userId: row.user_id };
}

export async function insertToken(
  db: Db,
  token: {
    id: string;
    name: string;
    tokenHash: string;
    role: string;
    createdAt: string;
    userId: string | null;
    expiresAt?: string | null;
  },
): Promise<void> {
  await db
    .insertInto('tokens')
    .values({
      id: token.id,
      name: token.name,
      token_hash: token.tokenHash,
      role: token.role,
      created_at: token.createdAt,
      user_id: token.userId,
      expires_at: token.expiresAt ?? null,
    })
    .execute();
}

export async function replaceTokenHash(db: Db, id: string, tokenHash: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ token_hash: tokenHash, revoked_at: null })
    .where('id', '=', id)
    .execute();
}

/** Marks the token `id` as the bootstrap token; any other loses the mark. */
export async function markBootstrapToken(db: Db, id: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ bootstrap: false })
    .where('bootstrap', '=', true)
    .where('id', '!=', id)
    .execute();
  await db.updateTable('tokens').set({ bootstrap: true }).where('id', '=', id).execute();
}

export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}

/** Tokens made before users existed (the bootstrap token) become the first admin's. */
export async function adoptUnownedTokens(db: Db, userId: string): Promise<void> {
  await db.updateTable('tokens').set({ user_id: userId }).where('user_id', 'is', null).execute();
}

export async function revokeToken(db: Db, id: string, at: string): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

function listRowOf(row: {
  id: string;
  name: string;
  role: string;
  user_id: string | null;
  username: string | null;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}): TokenListRow {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    userId: row.user_id,
    username: row.username,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function selectTokens(db: Db) {
  return db
    .selectFrom('tokens')
    .leftJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'tokens.id',
      'tokens.name',
      'tokens.role',
      'tokens.user_id',
      'users.username',
      'tokens.created_at',
      'tokens.expires_at',
      'tokens.revoked_at',
      'tokens.last_used_at',
    ]);
}

export async function findToken(db: Db, id: string): Promise<TokenListRow | undefined> {
  const row = await selectTokens(db).where('tokens.id', '=', id).executeTakeFirst();
  return row && listRowOf(row);
}

/** A user's tokens (all users' when userId is undefined), by id (creation order). */
export async function listTokens(
  db: Db,
  filter: { userId?: string; afterId?: string; limit: number },
): Promise<TokenListRow[]> {
  let query = selectTokens(db);
  if (filter.userId !== undefined) query = query.where('tokens.user_id', '=', filter.userId);
  if (filter.afterId !== undefined) query = query.where('tokens.id', '>', filter.afterId);
  const rows = await query.orderBy('tokens.id').limit(filter.limit).execute();
  return rows.map(listRowOf);
}

/** Whether a token with this hash exists, and whether it was revoked. */
export async function findTokenStateByHash(
  db: Db,
  tokenHash: string,
): Promise<{ id: string; revoked: boolean } | undefined> {
  const row = await db
    .selectFrom('tokens')
    .select(['id', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return row && { id: row.id, revoked: row.revoked_at !== null };
}
