import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, sql, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './database.ts';
import { migrationsFor } from './migrations/index.ts';
import { openPostgres } from './postgres-dialect.ts';
import { openSqlite, type SqliteSynchronous } from './sqlite-dialect.ts';
import { privateDirectoryMode, sqliteFileName } from './file-modes.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/** The one store interface: both dialects, the same repositories and the same tests. */
export interface Store {
  readonly dialect: Dialect;
  readonly db: Db;
  /** Runs `work` in one transaction: all of it is written, or none. */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Inside a transaction, waits for other transactions holding the same key. PostgreSQL:
   * an advisory transaction lock. SQLite: a no-op, as one connection serializes every
   * transaction already.
   */
  lock(tx: Tx, key: string): Promise<void>;
  close(): Promise<void>;
}

export type StoreOptions =
  | { dialect: 'sqlite'; file: string; synchronous?: SqliteSynchronous }
  | { dialect: 'postgres'; url: string; schema?: string };

/** Where the embedded store lives: one SQLite file under the data directory. */
export function sqliteFileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: privateDirectoryMode });
  return join(dataDir, sqliteFileName);
}

export async function createStore(options: StoreOptions): Promise<Store> {
  const dialect =
    options.dialect === 'sqlite'
      ? openSqlite(options.file, { synchronous: options.synchronous }).dialect
      : openPostgres(options.url, { schema: options.schema }).dialect;
  const db = new Kysely<Database>({ dialect });
  const store: Store = {
    dialect: options.dialect,
    db,
    transaction: (work) => db.transaction().execute(work),
    async lock(tx, key) {
      if (options.dialect === 'postgres') {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(tx);
      }
    },
    close: () => db.destroy(),
  };
  try {
    // Kysely looks for its migration tables in every schema: name ours, or a table left in
    // another schema would make it skip creating them.
    await migrateToLatest(
      store,
      options.dialect === 'postgres' ? (options.schema ?? 'public') : undefined,
    );
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return store;
}

export async function migrateToLatest(store: Store, migrationTableSchema?: string): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    provider: migrationsFor(store.dialect),
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(
      `database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
