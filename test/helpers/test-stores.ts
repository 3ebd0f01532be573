import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createStore, type Store } from '../../src/store/create-store.ts';

export interface OpenedStore {
  store: Store;
  /** closes the store and removes its file or schema */
  cleanup(): Promise<void>;
  /** closes the store and opens the same file or schema again, as a restarted server does */
  reopen(): Promise<Store>;
}

export interface TestStoreKind {
  name: 'sqlite' | 'postgres';
  open(): Promise<OpenedStore>;
}

const sqliteKind: TestStoreKind = {
  name: 'sqlite',
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'hookline-test-'));
    const file = join(dir, 'hookline.sqlite');
    const opened: OpenedStore = {
      store: await createStore({ dialect: 'sqlite', file }),
      async cleanup() {
        await opened.store.close();
        rmSync(dir, { recursive: true, force: true });
      },
      async reopen() {
        await opened.store.close();
        opened.store = await createStore({ dialect: 'sqlite', file });
        return opened.store;
      },
    };
    return opened;
  },
};

function postgresKind(url: string): TestStoreKind {
  return {
    name: 'postgres',
    async open() {
      // One schema per test store: test files run in parallel without seeing each other.
      const schema = `hl_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await runAdmin(url, `CREATE SCHEMA ${schema}`);
      const opened: OpenedStore = {
        store: await openSchema(url, schema),
        async cleanup() {
          await opened.store.close();
          await runAdmin(url, `DROP SCHEMA ${schema} CASCADE`);
        },
        async reopen() {
          await opened.store.close();
          opened.store = await openSchema(url, schema);
          return opened.store;
        },
      };
      return opened;
    },
  };
}

/**
 * Opens (and migrates) the store in its schema. Kysely's migrator looks for its tables with an
 * introspection of EVERY schema that calls has_schema_privilege() per schema name; when another
 * test file drops its schema in that very moment, the query fails with 3F000 naming the other
 * schema (seen with two test files at once on a 2-core CI machine). Ours is untouched by that:
 * try again, a few times, for that error only.
 */
async function openSchema(url: string, schema: string): Promise<Store> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createStore({ dialect: 'postgres', url, schema });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const anotherSchemaVanished =
        cause?.code === '3F000' && !String(cause.message).includes(schema);
      if (!anotherSchemaVanished || attempt >= 5) throw error;
    }
  }
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The stores every store-backed suite runs against: SQLite always, PostgreSQL when
 * HOOKLINE_TEST_DATABASE_URL is set. In CI (CI=true) a missing URL is an error, never a
 * silent skip.
 */
export function testStores(): TestStoreKind[] {
  const url = process.env.HOOKLINE_TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI=true but HOOKLINE_TEST_DATABASE_URL is not set: the PostgreSQL suite would be skipped',
    );
  }
  return url ? [sqliteKind, postgresKind(url)] : [sqliteKind];
}
