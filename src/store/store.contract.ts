import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from './create-store.ts';

export interface StoreUnderTest {
  name: string;
  /** a fresh, migrated store and a way to dispose of it */
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
  /** opens the same database again (a restart), migrating again */
  reopen?(store: Store): Promise<Store>;
}

const now = '2026-01-02T03:04:05.678Z';

async function withStore(
  kind: StoreUnderTest,
  work: (store: Store) => Promise<void>,
): Promise<void> {
  const { store, cleanup } = await kind.open();
  try {
    await work(store);
  } finally {
    await cleanup();
  }
}

/** One suite every Store implementation must pass (SQLite and PostgreSQL). */
export function describeStoreContract(kind: StoreUnderTest): void {
  describe(`store contract on ${kind.name}`, () => {
    test('returns timestamps as the same ISO-8601 text that was written', () =>
      withStore(kind, async (store) => {
        await store.db
          .insertInto('projects')
          .values({ id: 'p1', name: 'P1', description: '', created_at: now, updated_at: now })
          .execute();
        const row = await store.db
          .selectFrom('projects')
          .selectAll()
          .where('id', '=', 'p1')
          .executeTakeFirstOrThrow();
        assert.equal(row.created_at, now);
      }));

    test('rolls back every write of a transaction that throws', () =>
      withStore(kind, async (store) => {
        await assert.rejects(
          store.transaction(async (tx) => {
            await tx
              .insertInto('projects')
              .values({
                id: 'gone',
                name: 'Gone',
                description: '',
                created_at: now,
                updated_at: now,
              })
              .execute();
            throw new Error('boom');
          }),
          /boom/,
        );
        const rows = await store.db
          .selectFrom('projects')
          .select('id')
          .where('id', '=', 'gone')
          .execute();
        assert.deepEqual(rows, []);
      }));

    test('enforces foreign keys', () =>
      withStore(kind, async (store) => {
        await assert.rejects(
          store.db
            .insertInto('connection_environments')
            .values({ connection_id: 'con_missing', environment_id: 'nowhere' })
            .execute(),
        );
      }));

    test('reads booleans written as true/false back as truthy/falsy', () =>
      withStore(kind, async (store) => {
        await store.db
          .insertInto('projects')
          .values({ id: 'p2', name: 'P2', description: '', created_at: now, updated_at: now })
          .execute();
        for (const [id, enabled] of [
          ['con_a', true],
          ['con_b', false],
        ] as const) {
          await store.db
            .insertInto('connections')
            .values({
              id,
              project_id: 'p2',
              name: id,
              name_key: id,
              description: '',
              enabled,
              critical: false,
              current_revision: 1,
              spec: '{}',
              created_at: now,
              created_by: 't',
              updated_at: now,
              updated_by: 't',
            })
            .execute();
        }
        const rows = await store.db
          .selectFrom('connections')
          .select(['id', 'enabled'])
          .orderBy('id')
          .execute();
        assert.deepEqual(
          rows.map((r) => [r.id, Boolean(r.enabled)]),
          [
            ['con_a', true],
            ['con_b', false],
          ],
        );
      }));

    test('refuses a second global connection with the same name ignoring case (unique index)', () =>
      withStore(kind, async (store) => {
        const insert = (id: string, name: string) =>
          store.db
            .insertInto('connections')
            .values({
              id,
              project_id: null,
              name,
              name_key: name.toLowerCase(),
              description: '',
              enabled: true,
              critical: false,
              current_revision: 1,
              spec: '{}',
              created_at: now,
              created_by: 't',
              updated_at: now,
              updated_by: 't',
            })
            .execute();
        await insert('con_1', 'Hook');
        await assert.rejects(insert('con_2', 'hook'));
      }));

    test('lock() makes transactions on the same key run one after the other', () =>
      withStore(kind, async (store) => {
        const events: string[] = [];
        const worker = (label: string) =>
          store.transaction(async (tx) => {
            await store.lock(tx, 'contract-key');
            events.push(`${label}:in`);
            await new Promise((resolve) => setTimeout(resolve, 30));
            events.push(`${label}:out`);
          });
        await Promise.all([worker('a'), worker('b')]);
        // whichever went first, its out comes before the other's in
        assert.equal(events.length, 4);
        assert.equal(events[0]?.split(':')[0], events[1]?.split(':')[0]);
      }));

    if (kind.reopen) {
      const reopen = kind.reopen;
      test('keeps data across a restart and applies migrations only once', () =>
        withStore(kind, async (store) => {
          await store.db
            .insertInto('projects')
            .values({ id: 'kept', name: 'Kept', description: '', created_at: now, updated_at: now })
            .execute();
          const again = await reopen(store);
          try {
            const row = await again.db
              .selectFrom('projects')
              .select('id')
              .where('id', '=', 'kept')
              .executeTakeFirst();
            assert.equal(row?.id, 'kept');
          } finally {
            await again.close();
          }
        }));
    }
  });
}
