import { sql } from 'kysely';
import type { Db } from '../../store/create-store.ts';
import type { CertificatesTable } from '../../store/database.ts';

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

export function nameKeyOf(name: string): string {
  return name.toLowerCase();
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
  const row = await db
    .selectFrom('certificates')
    .selectAll()
    .where((eb) => eb.or([eb('id', '=', idOrName), eb('name_key', '=', nameKeyOf(idOrName))]))
    // an id matches before a name that happens to look like one
    .orderBy(sql`CASE WHEN id = ${idOrName} THEN 0 ELSE 1 END`)
    .executeTakeFirst();
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
  const row: Partial<ReturnType<typeof toRow>> = toRow(record);
  // identity and creation never change
  delete row.id;
  delete row.name_key;
  delete row.created_at;
  delete row.created_by;
  const changed = row;
  await db.updateTable('certificates').set(changed).where('id', '=', record.id).execute();
}

export async function deleteCertificate(db: Db, id: string): Promise<void> {
  await db.deleteFrom('certificates').where('id', '=', id).execute();
}

/** One page in name order, read forward from the unique name_key index. */
export async function listCertificates(
  db: Db,
  filter: { nameContains?: string; afterNameKey?: string; limit: number },
): Promise<CertificateRecord[]> {
  let query = db.selectFrom('certificates').selectAll();
  if (filter.nameContains) {
    const pattern = `%${escapeLike(filter.nameContains.toLowerCase())}%`;
    query = query.where(sql<boolean>`name_key LIKE ${pattern} ESCAPE '\\'`);
  }
  if (filter.afterNameKey !== undefined) query = query.where('name_key', '>', filter.afterNameKey);
  const rows = await query.orderBy('name_key').limit(filter.limit).execute();
  return rows.map(toRecord);
}

/** `%`, `_` and `\` match themselves in a LIKE pattern escaped with `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** SQLite: "UNIQUE constraint failed: <table>.name_key"; PostgreSQL: 23505 on the index. */
export function isUniqueNameViolation(error: unknown, table: string): boolean {
  if (!(error instanceof Error)) return false;
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  if (code === '23505') return constraint === `${table}_name_key`;
  return (
    error.message.includes('UNIQUE constraint failed') &&
    error.message.includes(`${table}.name_key`)
  );
}
