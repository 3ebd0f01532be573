// Group commit on both stores: writes queued in one turn share a transaction, a failing one
// is rolled back alone, and a write resolves only once it is committed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Store } from '../../src/store/create-store.ts';
import { createWriteBatcher } from '../../src/store/write-batcher.ts';
import { testStores, type OpenedStore } from '../helpers/test-stores.ts';

for (const kind of testStores()) {
  describe(`write batcher on ${kind.name}`, () => {
    let opened: OpenedStore;
    let store: Store;
    before(async () => {
      opened = await kind.open();
      store = opened.store;
      await sql`CREATE TABLE batch_rows (id INTEGER PRIMARY KEY, txid TEXT)`.execute(store.db);
    });
    after(() => opened.cleanup());

    /** The rows in the table, read outside any batch. */
    const countRows = async () =>
      Number(
        (await sql<{ n: number }>`SELECT count(*) AS n FROM batch_rows`.execute(store.db)).rows[0]
          ?.n,
      );

    test('writes made in one turn commit together; each resolves after the commit', async () => {
      const batcher = createWriteBatcher(store);
      let transactions = 0;
      const seen = new Set<unknown>();
      const writes = Array.from({ length: 50 }, (_, i) =>
        batcher.run(async (tx) => {
          if (!seen.has(tx)) {
            seen.add(tx);
            transactions += 1;
          }
          await sql`INSERT INTO batch_rows (id, txid) VALUES (${i}, ${'a'})`.execute(tx);
          return i;
        }),
      );
      assert.deepEqual(await Promise.all(writes), [...Array(50).keys()]);
      assert.equal(transactions, 1, 'one transaction for all fifty');
      assert.equal(await countRows(), 50, 'committed before they resolved');
    });

    test('a write that fails is rolled back alone; the others commit', async () => {
      const batcher = createWriteBatcher(store);
      const results = await Promise.allSettled([
        batcher.run((tx) => sql`INSERT INTO batch_rows (id, txid) VALUES (100, 'b')`.execute(tx)),
        batcher.run(async (tx) => {
          await sql`INSERT INTO batch_rows (id, txid) VALUES (101, 'b')`.execute(tx);
          // a duplicate key: this write fails after writing a row of its own
          await sql`INSERT INTO batch_rows (id, txid) VALUES (100, 'b')`.execute(tx);
        }),
        batcher.run((tx) => sql`INSERT INTO batch_rows (id, txid) VALUES (102, 'b')`.execute(tx)),
      ]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['fulfilled', 'rejected', 'fulfilled'],
      );
      const ids = (
        await sql<{ id: number }>`SELECT id FROM batch_rows WHERE txid = 'b' ORDER BY id`.execute(
          store.db,
        )
      ).rows.map((row) => Number(row.id));
      assert.deepEqual(ids, [100, 102]);
    });

    test('writes that arrive while a batch commits go in the next one', async () => {
      const batcher = createWriteBatcher(store);
      const order: string[] = [];
      const first = batcher.run(async (tx) => {
        await sql`INSERT INTO batch_rows (id, txid) VALUES (200, 'c')`.execute(tx);
        // queued from inside the running batch: it cannot join a transaction already under way
        void batcher
          .run((inner) => sql`INSERT INTO batch_rows (id, txid) VALUES (201, 'c')`.execute(inner))
          .then(() => order.push('second'));
        order.push('first ran');
      });
      await first;
      order.push('first committed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(order, ['first ran', 'first committed', 'second']);
      assert.equal(
        Number(
          (
            await sql<{ n: number }>`SELECT count(*) AS n FROM batch_rows WHERE txid = 'c'`.execute(
              store.db,
            )
          ).rows[0]?.n,
        ),
        2,
      );
    });
  });
}
