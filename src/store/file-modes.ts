import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The data directory holds the store, the master key and the admin token: only the user that
// runs Hookline may enter it (0700) or read its SQLite files (0600) — a database, its WAL and
// its shared-memory index hold every configuration, delivery body and sealed secret.
// Modes are set with chmod, not left to the umask (a umask of 0 would make them world-readable).

/** The embedded store's file in the data directory. */
export const sqliteFileName = 'hookline.sqlite';

export const privateDirectoryMode = 0o700;
export const privateFileMode = 0o600;

/** The files of one SQLite database: the file, its write-ahead log and its shared memory. */
export function sqliteFilesOf(file: string): string[] {
  return [file, `${file}-wal`, `${file}-shm`];
}

/** A path whose mode was looser than it should be, and what it was. */
export interface TightenedPath {
  path: string;
  /** the mode it had, e.g. 0o755 */
  was: number;
}

/**
 * An existing data directory and the SQLite files in it, made private: a directory other
 * users may enter becomes 0700, a database file they may read 0600. What was changed is
 * answered, for the start-up log. A directory that does not exist yet is left to be created
 * (mode 0700) by whatever writes there first.
 */
export function tightenDataDir(dataDir: string): TightenedPath[] {
  const tightened: TightenedPath[] = [];
  if (!existsSync(dataDir)) return tightened;
  tightenTo(dataDir, privateDirectoryMode, tightened);
  for (const file of sqliteFilesOf(join(dataDir, sqliteFileName)))
    tightenTo(file, privateFileMode, tightened);
  return tightened;
}

/**
 * Before SQLite opens `file`: the database is created empty with mode 0600 (SQLite would
 * create it 0644 less the umask), and any file of it already there is made 0600. SQLite gives
 * the WAL and shared-memory files it creates later the database file's mode, whatever the
 * umask (os_unix.c, robust_open), so they are born 0600 too.
 */
export function prepareSqliteFiles(file: string): void {
  if (!existsSync(file)) {
    closeSync(openSync(file, 'a', privateFileMode));
    chmodSync(file, privateFileMode);
  }
  tightenSqliteFiles(file);
}

/** Every file of the database `file` that others may read or write, made 0600. */
export function tightenSqliteFiles(file: string): void {
  for (const path of sqliteFilesOf(file)) tightenTo(path, privateFileMode, []);
}

/** Clears the bits `mode` does not allow (never widens: a 0400 file stays 0400). */
function tightenTo(path: string, mode: number, tightened: TightenedPath[]): void {
  let was: number;
  try {
    was = statSync(path).mode & 0o777;
  } catch {
    return; // not there (a WAL that SQLite has not made yet)
  }
  if ((was & ~mode) === 0) return;
  chmodSync(path, was & mode);
  tightened.push({ path, was });
}
