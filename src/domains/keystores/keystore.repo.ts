import { sql } from 'kysely';
import type { KeyStoreFormat } from '../../contracts/keystores.ts';
import type { Db } from '../../store/create-store.ts';
import type { KeyStoresTable } from '../../store/database.ts';
import { escapeLike } from '../certificates/index.ts';

/** A key_stores row as the service sees it: the key material only ever sealed. */
export interface KeyStoreRecord {
  id: string;
  name: string;
  description: string;
  format: KeyStoreFormat;
  /** the client certificate first, then its chain (public) */
  certificatePem: string;
  /** sealed private key PEM (pem) or PKCS#12 bytes (pkcs12): key-material-cipher.ts */
  sealedMaterial: Buffer;
  /** the secret holding the passphrase; null: none */
  passphraseSecret: string | null;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export function nameKeyOf(name: string): string {
  return name.toLowerCase();
}

function toRecord(row: KeyStoresTable): KeyStoreRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    format: row.format === 'pkcs12' ? 'pkcs12' : 'pem',
    certificatePem: row.certificate_pem,
    sealedMaterial: Buffer.from(row.key_material, 'base64'),
    passphraseSecret: row.passphrase_secret,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toRow(record: KeyStoreRecord): KeyStoresTable {
  return {
    id: record.id,
    name: record.name,
    name_key: nameKeyOf(record.name),
    description: record.description,
    format: record.format,
    certificate_pem: record.certificatePem,
    key_material: record.sealedMaterial.toString('base64'),
    passphrase_secret: record.passphraseSecret,
    version: record.version,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
  };
}

/** By id, else by name ignoring case (`{id}` in a path accepts either). */
export async function findKeyStore(db: Db, idOrName: string): Promise<KeyStoreRecord | undefined> {
  const row = await db
    .selectFrom('key_stores')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name_key', '=', nameKeyOf(idOrName))]))
    // an id matches before a name that happens to look like one
    .orderBy(sql`CASE WHEN id = ${idOrName} THEN 0 ELSE 1 END`)
    .executeTakeFirst();
  return row && toRecord(row);
}

/** By name only, ignoring case: how a connection's `tls.keyStore` refers to one. */
export async function findKeyStoreByName(
  db: Db,
  name: string,
): Promise<KeyStoreRecord | undefined> {
  const row = await db
    .selectFrom('key_stores')
    .selectAll()
    .where('name_key', '=', nameKeyOf(name))
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function insertKeyStore(db: Db, record: KeyStoreRecord): Promise<void> {
  await db.insertInto('key_stores').values(toRow(record)).execute();
}

export async function updateKeyStore(db: Db, record: KeyStoreRecord): Promise<void> {
  const row: Partial<ReturnType<typeof toRow>> = toRow(record);
  // identity and creation never change
  delete row.id;
  delete row.name_key;
  delete row.created_at;
  delete row.created_by;
  const changed = row;
  await db.updateTable('key_stores').set(changed).where('id', '=', record.id).execute();
}

export async function deleteKeyStore(db: Db, id: string): Promise<void> {
  await db.deleteFrom('key_stores').where('id', '=', id).execute();
}

/** One page in name order, read forward from the unique name_key index. */
export async function listKeyStores(
  db: Db,
  filter: { nameContains?: string; afterNameKey?: string; limit: number },
): Promise<KeyStoreRecord[]> {
  let query = db.selectFrom('key_stores').selectAll();
  if (filter.nameContains) {
    const pattern = `%${escapeLike(filter.nameContains.toLowerCase())}%`;
    query = query.where(sql<boolean>`name_key LIKE ${pattern} ESCAPE '\\'`);
  }
  if (filter.afterNameKey !== undefined) query = query.where('name_key', '>', filter.afterNameKey);
  const rows = await query.orderBy('name_key').limit(filter.limit).execute();
  return rows.map(toRecord);
}
