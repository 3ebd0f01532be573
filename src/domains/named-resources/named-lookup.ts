import { notFound } from '../../core/errors.ts';
import type { Db, Store, Tx } from '../../store/create-store.ts';
import { nameKeyOf } from '../../store/name-key.ts';

/** How to find one kind of named resource, and how its NOT_FOUND and lock name it. */
export interface NamedLookup<R> {
  /** the lock namespace: `certificate` → `certificate-name:<key>` */
  kind: string;
  /** as NOT_FOUND names it: `key store` */
  what: string;
  /** by id, else by name ignoring case */
  find(db: Db, idOrName: string): Promise<R | undefined>;
}

/** The resource with this id or name; NOT_FOUND when there is none. */
export async function findNamed<R>(db: Db, lookup: NamedLookup<R>, idOrName: string): Promise<R> {
  const found = await lookup.find(db, idOrName);
  if (!found) throw notFound(lookup.what, idOrName);
  return found;
}

/**
 * Waits for other transactions changing this name (`<kind>-name:<name key>`): a PostgreSQL
 * advisory lock; SQLite runs one transaction at a time already.
 */
export function lockName(store: Store, tx: Tx, kind: string, name: string): Promise<void> {
  return store.lock(tx, `${kind}-name:${nameKeyOf(name)}`);
}

/**
 * Finds by id or name, locks its name, and reads it again under the lock (another transaction
 * may have changed or deleted it meanwhile). NOT_FOUND when there is none, before or after.
 */
export async function findAndLock<R extends { id: string; name: string }>(
  store: Store,
  tx: Tx,
  lookup: NamedLookup<R>,
  idOrName: string,
): Promise<R> {
  const found = await findNamed(tx, lookup, idOrName);
  await lockName(store, tx, lookup.kind, found.name);
  const current = await lookup.find(tx, found.id);
  if (!current) throw notFound(lookup.what, idOrName);
  return current;
}
