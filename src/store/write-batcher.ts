import { sql } from 'kysely';
import type { Store, Tx } from './create-store.ts';

interface Job {
  work: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: small writes that arrive while one transaction is committing are run
 * together in the next one, so a durable commit (an fsync on SQLite with synchronous=FULL) is
 * shared by all of them instead of paid by each. A write arriving when the store is idle is
 * committed in the same turn of the event loop, after the I/O callbacks already read: no
 * write waits for company longer than that.
 *
 * Each write runs inside its own savepoint: one that fails is rolled back alone and its caller
 * gets the error; the others still commit. A write resolves only after the commit.
 */
export function createWriteBatcher(store: Store, options: { maxBatch?: number } = {}) {
  const maxBatch = options.maxBatch ?? 500;
  const queue: Job[] = [];
  let flushing = false;
  let scheduled = false;

  async function flush(): Promise<void> {
    flushing = true;
    try {
      while (queue.length > 0) {
        const jobs = queue.splice(0, maxBatch);
        const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
        try {
          await store.transaction(async (tx) => {
            for (const job of jobs) {
              await sql`SAVEPOINT hookline_write`.execute(tx);
              try {
                const value = await job.work(tx);
                await sql`RELEASE SAVEPOINT hookline_write`.execute(tx);
                outcomes.push({ ok: true, value });
              } catch (error) {
                await sql`ROLLBACK TO SAVEPOINT hookline_write`.execute(tx);
                await sql`RELEASE SAVEPOINT hookline_write`.execute(tx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // the commit itself failed: none of them is written
          for (const job of jobs) job.reject(error);
          continue;
        }
        jobs.forEach((job, index) => {
          const outcome = outcomes[index];
          if (outcome?.ok) job.resolve(outcome.value);
          else job.reject(outcome?.error);
        });
      }
    } finally {
      flushing = false;
    }
  }

  return {
    /** Runs `work` in a transaction shared with the writes queued with it; resolves after the commit. */
    run<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
        if (flushing || scheduled) return;
        // after this turn's I/O callbacks: node:sqlite commits synchronously, so writes that
        // arrive in the same turn (the answers read together) can only join if we wait for it
        scheduled = true;
        setImmediate(() => {
          scheduled = false;
          void flush();
        });
      });
    },
  };
}

export type WriteBatcher = ReturnType<typeof createWriteBatcher>;
