import type { SecretSource } from '../../contracts/secrets.ts';
import type { Db } from '../../store/create-store.ts';
import type { SecretsTable } from '../../store/database.ts';
import {
  nameKeyOf,
  pageByNameKey,
  whereIdOrName,
  whereName,
  type NamePageFilter,
} from '../../store/name-key.ts';
import type { SealedSecret } from './secret-cipher.ts';

/** Where a secret's value comes from, as the service sees it. */
export type SecretOrigin =
  | { source: 'stored'; sealed: SealedSecret }
  | { source: 'env'; envVar: string }
  | { source: 'file'; filePath: string };

/** A secret row: metadata and origin; a stored value only ever sealed. */
export interface SecretRecord {
  id: string;
  name: string;
  description: string;
  origin: SecretOrigin;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

function toRecord(row: SecretsTable): SecretRecord {
  let origin: SecretOrigin;
  if (row.source === 'env') origin = { source: 'env', envVar: row.env_var ?? '' };
  else if (row.source === 'file') origin = { source: 'file', filePath: row.file_path ?? '' };
  else
    origin = {
      source: 'stored',
      sealed: {
        keyId: row.key_id ?? '',
        nonce: row.nonce ?? '',
        ciphertext: row.ciphertext ?? '',
        tag: row.tag ?? '',
      },
    };
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    origin,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toRow(record: SecretRecord): SecretsTable {
  const { origin } = record;
  const sealed = origin.source === 'stored' ? origin.sealed : undefined;
  return {
    id: record.id,
    name: record.name,
    name_key: nameKeyOf(record.name),
    description: record.description,
    source: origin.source,
    env_var: origin.source === 'env' ? origin.envVar : null,
    file_path: origin.source === 'file' ? origin.filePath : null,
    key_id: sealed?.keyId ?? null,
    nonce: sealed?.nonce ?? null,
    ciphertext: sealed?.ciphertext ?? null,
    tag: sealed?.tag ?? null,
    version: record.version,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
  };
}

/** By id, else by name ignoring case (`{id}` in a path accepts either). */
export async function findSecret(db: Db, idOrName: string): Promise<SecretRecord | undefined> {
  const row = await whereIdOrName(
    db.selectFrom('secrets').selectAll(),
    idOrName,
  ).executeTakeFirst();
  return row && toRecord(row);
}

export async function findSecretByName(db: Db, name: string): Promise<SecretRecord | undefined> {
  const row = await whereName(db.selectFrom('secrets').selectAll(), name).executeTakeFirst();
  return row && toRecord(row);
}

export async function insertSecret(db: Db, record: SecretRecord): Promise<void> {
  await db.insertInto('secrets').values(toRow(record)).execute();
}

export async function updateSecret(db: Db, record: SecretRecord): Promise<void> {
  const row = toRow(record);
  await db
    .updateTable('secrets')
    .set({
      description: row.description,
      source: row.source,
      env_var: row.env_var,
      file_path: row.file_path,
      key_id: row.key_id,
      nonce: row.nonce,
      ciphertext: row.ciphertext,
      tag: row.tag,
      version: row.version,
      updated_at: row.updated_at,
      updated_by: row.updated_by,
    })
    .where('id', '=', record.id)
    .execute();
}

export async function deleteSecret(db: Db, id: string): Promise<void> {
  await db.deleteFrom('secrets').where('id', '=', id).execute();
}

export interface SecretListFilter extends NamePageFilter {
  source?: SecretSource;
}

/** One page in name order, read forward from the unique name_key index. */
export async function listSecrets(db: Db, filter: SecretListFilter): Promise<SecretRecord[]> {
  let query = db.selectFrom('secrets').selectAll();
  if (filter.source) query = query.where('source', '=', filter.source);
  const rows = await pageByNameKey(query, filter).execute();
  return rows.map(toRecord);
}

/** How many stored secrets each master key sealed (a start-up check of the key in use). */
export async function countStoredSecretsByKey(
  db: Db,
): Promise<Array<{ keyId: string; count: number }>> {
  const rows = await db
    .selectFrom('secrets')
    .select(['key_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('source', '=', 'stored')
    .groupBy('key_id')
    .execute();
  return rows.map((row) => ({ keyId: row.key_id ?? '', count: Number(row.count) }));
}
