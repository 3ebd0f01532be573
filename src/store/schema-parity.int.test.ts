// Two migrations per change and nothing that checks they agree: this test migrates a SQLite file
// and a PostgreSQL schema and compares what came out — every table, its columns (name and
// whether NULL is allowed) and its indexes (name, unique, columns). A column or an index added
// to one dialect's migration only fails here, not in production on the other store.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { testStores, type OpenedStore } from '../../test/helpers/test-stores.ts';

interface SchemaShape {
  /** `table.column` → "null" | "not null" */
  columns: Record<string, string>;
  /** `table.index` → "unique (a, b)" | "(a)" */
  indexes: Record<string, string>;
}

// Bookkeeping tables of the migrator itself, named the same on both but not ours to compare.
const migratorTables = new Set(['kysely_migration', 'kysely_migration_lock']);

async function sqliteShape({ store }: OpenedStore): Promise<SchemaShape> {
  const shape: SchemaShape = { columns: {}, indexes: {} };
  const tables = await sql<{ name: string }>`
    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(
    store.db,
  );
  for (const { name: table } of tables.rows) {
    if (migratorTables.has(table)) continue;
    const columns = await sql<{ name: string; notnull: number; pk: number }>`
      SELECT name, "notnull", pk FROM pragma_table_info(${table})`.execute(store.db);
    for (const column of columns.rows) {
      // SQLite lets a non-INTEGER primary key hold NULL unless told otherwise; PostgreSQL never
      // does: a primary key column counts as NOT NULL on both.
      shape.columns[`${table}.${column.name}`] = column.notnull || column.pk ? 'not null' : 'null';
    }
    // explicit indexes only (origin 'c'): primary keys and UNIQUE constraints are compared
    // through the columns and the constraint-free index lists differ by naming alone
    const indexes = await sql<{ name: string; unique: number; origin: string }>`
      SELECT name, "unique", origin FROM pragma_index_list(${table})`.execute(store.db);
    for (const index of indexes.rows) {
      if (index.origin !== 'c') continue;
      const parts = await sql<{ name: string | null; seqno: number }>`
        SELECT name, seqno FROM pragma_index_info(${index.name}) ORDER BY seqno`.execute(store.db);
      const columnList = parts.rows.map((part) => part.name ?? '<expression>').join(', ');
      shape.indexes[`${table}.${index.name}`] = `${index.unique ? 'unique ' : ''}(${columnList})`;
    }
  }
  return shape;
}

async function postgresShape({ store }: OpenedStore): Promise<SchemaShape> {
  const shape: SchemaShape = { columns: {}, indexes: {} };
  const columns = await sql<{ table_name: string; column_name: string; is_nullable: string }>`
    SELECT table_name, column_name, is_nullable FROM information_schema.columns
    WHERE table_schema = current_schema()`.execute(store.db);
  for (const column of columns.rows) {
    if (migratorTables.has(column.table_name)) continue;
    shape.columns[`${column.table_name}.${column.column_name}`] =
      column.is_nullable === 'YES' ? 'null' : 'not null';
  }
  // indexes that are not behind a constraint (primary key, UNIQUE): the CREATE INDEX ones
  const indexes = await sql<{ table: string; index: string; unique: boolean; columns: string }>`
    SELECT t.relname AS table, i.relname AS index, x.indisunique AS unique,
           string_agg(COALESCE(a.attname, '<expression>'), ', ' ORDER BY k.ordinality) AS columns
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ordinality)
    LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
    WHERE n.nspname = current_schema()
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    GROUP BY t.relname, i.relname, x.indisunique`.execute(store.db);
  for (const index of indexes.rows) {
    if (migratorTables.has(index.table)) continue;
    shape.indexes[`${index.table}.${index.index}`] =
      `${index.unique ? 'unique ' : ''}(${index.columns})`;
  }
  return shape;
}

const stores = testStores();
const sqliteKind = stores.find((kind) => kind.name === 'sqlite');
const postgresKind = stores.find((kind) => kind.name === 'postgres');

test(
  'the SQLite and PostgreSQL migrations make the same tables, columns and indexes',
  { skip: postgresKind ? undefined : 'no PostgreSQL (HOOKLINE_TEST_DATABASE_URL)' },
  async () => {
    const sqliteStore = await sqliteKind!.open();
    const postgresStore = await postgresKind!.open();
    try {
      const fromSqlite = await sqliteShape(sqliteStore);
      const fromPostgres = await postgresShape(postgresStore);
      assert.ok(Object.keys(fromSqlite.columns).length > 50, 'the SQLite schema was read');
      assert.deepEqual(fromSqlite.columns, fromPostgres.columns, 'columns (SQLite vs PostgreSQL)');
      assert.deepEqual(fromSqlite.indexes, fromPostgres.indexes, 'indexes (SQLite vs PostgreSQL)');
    } finally {
      await sqliteStore.cleanup();
      await postgresStore.cleanup();
    }
  },
);
