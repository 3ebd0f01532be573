import type { Db } from '../../store/create-store.ts';
import type { CertificatesTable } from '../../store/database.ts';
import {
  nameKeyOf,
  pageByNameKey,
  whereIdOrName,
  type NamePageFilter,
} from '../../store/name-key.ts';
import { updatableColumns } from '../../store/updatable-columns.ts';

/** A certificates row as the service sees it. */
export interface CertificateRecord {
  id: string;
  name: string;
  description: string;
  /** one or more CERTIFICATE blocks, as re-encoded on save */
  pem: string;
  version: number;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

function toRecord(row: CertificatesTable): CertificateRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    pem: row.pem,
    version: Number(row.version),
    createdAt: row.created_at,
    createdBy: row.created_by,
    updatedAt: row.updated_at,
    updatedBy: row.updated_by,
  };
}

function toRow(record: CertificateRecord): CertificatesTable {
  return {
    id: record.id,
    name: record.name,
    name_key: nameKeyOf(record.name),
    description: record.description,
    pem: record.pem,
    version: record.version,
    created_at: record.createdAt,
    created_by: record.createdBy,
    updated_at: record.updatedAt,
    updated_by: record.updatedBy,
  };
}

/** By id, else by name ignoring case (`{id}` in a path accepts either). */
export async function findCertificate(
  db: Db,
  idOrName: string,
): Promise<CertificateRecord | undefined> {
  const row = await whereIdOrName(
    db.selectFrom('certificates').selectAll(),
    idOrName,
  ).executeTakeFirst();
  return row && toRecord(row);
}

/** The certificates with these names (ignoring case); names without one are left out. */
export async function findCertificatesByName(
  db: Db,
  names: readonly string[],
): Promise<CertificateRecord[]> {
  if (names.length === 0) return [];
  const rows = await db
    .selectFrom('certificates')
    .selectAll()
    .where('name_key', 'in', names.map(nameKeyOf))
    .execute();
  return rows.map(toRecord);
}

export async function insertCertificate(db: Db, record: CertificateRecord): Promise<void> {
  await db.insertInto('certificates').values(toRow(record)).execute();
}

export async function updateCertificate(db: Db, record: CertificateRecord): Promise<void> {
  await db
    .updateTable('certificates')
    .set(updatableColumns(toRow(record)))
    .where('id', '=', record.id)
    .execute();
}

export async function deleteCertificate(db: Db, id: string): Promise<void> {
  await db.deleteFrom('certificates').where('id', '=', id).execute();
}

/** One page in name order, read forward from the unique name_key index. */
export async function listCertificates(
  db: Db,
  filter: NamePageFilter,
): Promise<CertificateRecord[]> {
  const rows = await pageByNameKey(db.selectFrom('certificates').selectAll(), filter).execute();
  return rows.map(toRecord);
}
