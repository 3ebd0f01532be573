import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { prepareSqliteFiles, tightenSqliteFiles } from './file-modes.ts';
import { SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';

/**
 * Gives Kysely's SqliteDialect what it needs from Node's built-in `node:sqlite`, so the
 * embedded store has no native addon. Booleans become 0/1 (node:sqlite refuses them).
 */
function toSqlite(parameters: readonly unknown[]): SQLInputValue[] {
  return parameters.map((value) =>
    typeof value === 'boolean' ? (value ? 1 : 0) : (value as SQLInputValue),
  );
}

/**
 * Prepared statements are kept and reused by their SQL text: Kysely prepares every query it
 * runs, and preparing again was a measurable share of a read's time (bench/api.ts). Kysely
 * runs one query at a time on this connection, so a statement is never used twice at once.
 * Queries with inlined values would grow the cache without end, so it is bounded.
 */
const maxCachedStatements = 500;

function wrap(db: DatabaseSync): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();

  function compile(sql: string): SqliteStatement {
    const statement = db.prepare(sql);
    return {
      reader: statement.columns().length > 0,
      all: (parameters) => statement.all(...toSqlite(parameters)),
      run: (parameters) => {
        const result = statement.run(...toSqlite(parameters));
        return { changes: result.changes, lastInsertRowid: result.lastInsertRowid };
      },
      iterate: (parameters) => statement.iterate(...toSqlite(parameters)),
    };
  }

  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        // most recently used last, so the eviction below drops the least recently used
        cache.delete(sql);
      } else {
        statement = compile(sql);
        if (cache.size >= maxCachedStatements) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * FULL (the default): every commit is on disk when it returns, so an accepted delivery survives
 * a power cut. NORMAL: in WAL mode a commit survives a crash of Hookline but the last ones may
 * be lost if the machine loses power — faster when the disk's fsync is slow.
 */
export type SqliteSynchronous = 'FULL' | 'NORMAL';

export function openSqlite(
  file: string,
  options: { synchronous?: SqliteSynchronous } = {},
): { dialect: SqliteDialect; raw: DatabaseSync } {
  const onDisk = file !== ':memory:' && file !== '';
  // 0600 before SQLite creates anything: its WAL and shared memory take the file's mode
  if (onDisk) prepareSqliteFiles(file);
  const raw = new DatabaseSync(file);
  // WAL: readers never block the writer. busy_timeout: a second process (the CLI reading
  // the file, a backup) waits up to 5 s instead of failing with SQLITE_BUSY.
  raw.exec('PRAGMA journal_mode = WAL');
  // the WAL and shared-memory files exist from here on: check they are private
  if (onDisk) tightenSqliteFiles(file);
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  raw.exec(`PRAGMA synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`);
  return { dialect: new SqliteDialect({ database: wrap(raw) }), raw };
}
