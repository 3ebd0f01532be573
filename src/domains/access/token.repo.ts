import type { Db } from '../../store/create-store.ts';

export interface TokenRow {
  id: string;
  name: string;
  role: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  const row = await db
    .selectFrom('tokens')
    .select(['id', 'name', 'role', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      name: row.name,
      role: row.role,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    }
  );
}

export async function findTokenByName(
  db: Db,
  name: string,
): Promise<{ id: string; tokenHash: string } | undefined> {
  const row = await db
    .selectFrom('tokens')
    .select(['id', 'token_hash'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row && { id: row.id, tokenHash: row.token_hash };
}

export async function insertToken(
  db: Db,
  token: { id: string; name: string; tokenHash: string; role: string; createdAt: string },
): Promise<void> {
  await db
    .insertInto('tokens')
    .values({
      id: token.id,
      name: token.name,
      token_hash: token.tokenHash,
      role: token.role,
      created_at: token.createdAt,
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

export async function touchToken(db: Db, id: string, at: string): Promise<void> {
  await db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', id).execute();
}
