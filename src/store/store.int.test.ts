import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testStores } from '../../test/helpers/test-stores.ts';
import { createStore } from './create-store.ts';
import { describeStoreContract } from './store.contract.ts';

for (const kind of testStores()) {
  if (kind.name === 'sqlite') {
    // The SQLite file is reopened by path, as a restart of `hookline serve` would.
    let file = '';
    describeStoreContract({
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'hookline-store-'));
        file = join(dir, 'hookline.sqlite');
        const store = await createStore({ dialect: 'sqlite', file });
        return {
          store,
          async cleanup() {
            await store.close();
            rmSync(dir, { recursive: true, force: true });
          },
        };
      },
      reopen: () => createStore({ dialect: 'sqlite', file }),
    });
  } else {
    describeStoreContract(kind);
  }
}

test('the embedded store fsyncs every commit unless NORMAL is asked for', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hookline-store-'));
  try {
    const levels: number[] = [];
    for (const synchronous of [undefined, 'NORMAL', 'FULL'] as const) {
      const store = await createStore({
        dialect: 'sqlite',
        file: join(dir, `s-${synchronous ?? 'default'}.sqlite`),
        synchronous,
      });
      const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(store.db);
      levels.push(Number(rows[0]?.synchronous));
      await store.close();
    }
    // SQLite's numbers: 1 NORMAL, 2 FULL
    assert.deepEqual(levels, [2, 1, 2]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
