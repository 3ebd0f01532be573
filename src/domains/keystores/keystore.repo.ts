import type { KeyStoreFormat } from '../../contracts/keystores.ts';
import type { Db } from '../../store/create-store.ts';
import type { KeyStoresTable } from '../../store/database.ts';
import {
  nameKeyOf,
  pageByNameKey,
  whereIdOrName,
  whereName,
  type NamePageFilter,
} from '../../store/name-key.ts';
import { updatableColumns } from '../../store/updatable-columns.ts';

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
  const row = await whereIdOrName(
    db.selectFrom('key_stores').selectAll(),
    idOrName,
  ).executeTakeFirst();
  return row && toRecord(row);
}

/** By name only, ignoring case: how a connection's `tls.keyStore` refers to one. */
export async function findKeyStoreByName(
  db: Db,
  name: string,
): Promise<KeyStoreRecord | undefined> {
  const row = await whereName(db.selectFrom('key_stores').selectAll(), name).executeTakeFirst();
  return row && toRecord(row);
}

export async function insertKeyStore(db: Db, record: KeyStoreRecord): Promise<void> {
  await db.insertInto('key_stores').values(toRow(record)).execute();
}

export async function updateKeyStore(db: Db, record: KeyStoreRecord): Promise<void> {
  await db
    .updateTable('key_stores')
    .set(updatableColumns(toRow(record)))
    .where('id', '=', record.id)
    .execute();
}

export async function deleteKeyStore(db: Db, id: string): Promise<void> {
  await db.deleteFrom('key_stores').where('id', '=', id).execute();
}

/** One page in name order, read forward from the unique name_key index. */
export async function listKeyStores(db: Db, filter: NamePageFilter): Promise<KeyStoreRecord[]> {
  const rows = await pageByNameKey(db.selectFrom('key_stores').selectAll(), filter).execute();
  return rows.map(toRecord);
}
