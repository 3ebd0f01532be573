import { DatabaseSync } from 'node:sqlite';
import { performance } from 'node:perf_hooks';
import { summarize, type LoadResult } from './run-load.ts';

/**
 * The disk's floor for one durable write: `commits` transactions of one small insert each,
 * on a node:sqlite file opened with the store's pragmas (WAL, synchronous=FULL: one fsync
 * of the WAL per commit). No HTTP, no Kysely, no JSON: no create can be faster than this.
 */
export function measureSqliteCommitFloor(file: string, commits: number): LoadResult {
  const db = new DatabaseSync(file);
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO rows (body) VALUES (?)');
    const body = 'x'.repeat(1500);
    const latenciesMs: number[] = [];
    const startedAt = performance.now();
    for (let i = 0; i < commits; i++) {
      const t0 = performance.now();
      db.exec('BEGIN');
      insert.run(body);
      db.exec('COMMIT');
      latenciesMs.push(performance.now() - t0);
    }
    return summarize([{ concurrency: 1, elapsedMs: performance.now() - startedAt, latenciesMs }]);
  } finally {
    db.close();
  }
}
