import { sql, type Kysely } from 'kysely';

// Certificates (CA certificates in PEM, public) and key stores (a client certificate with its
// private key, the key material sealed by the key store cipher). Same tables as
// migrations/postgres/0003-certificates-keystores.ts: keep the two in step.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE TABLE certificates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    pem TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  )`.execute(db);
  // the backstop of the service's locked check: a name once, ignoring case; also the list order
  await sql`CREATE UNIQUE INDEX certificates_name_key ON certificates (name_key)`.execute(db);

  await sql`CREATE TABLE key_stores (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    format TEXT NOT NULL CHECK (format IN ('pem', 'pkcs12')),
    certificate_pem TEXT NOT NULL,
    key_material TEXT NOT NULL,
    passphrase_secret TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
  )`.execute(db);
  await sql`CREATE UNIQUE INDEX key_stores_name_key ON key_stores (name_key)`.execute(db);
}
