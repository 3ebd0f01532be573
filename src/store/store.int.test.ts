import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
