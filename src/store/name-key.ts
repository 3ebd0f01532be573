import { sql, type SelectQueryBuilder } from 'kysely';

// The `name_key` column: certificates, key stores, secrets and variables keep their name
// lower-cased beside it, under a unique index `<table>_name_key`, so names ignore case.

/** The stored key of a name: names ignore case. */
export function nameKeyOf(name: string): string {
  return name.toLowerCase();
}

/** `%`, `_` and `\` match themselves in a LIKE pattern escaped with `\`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** By id, else by name ignoring case (`{id}` in a path accepts either): the id match first. */
export function whereIdOrName<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  idOrName: string,
): SelectQueryBuilder<DB, TB, O> {
  return (
    query
      .where(sql<boolean>`(id = ${idOrName} OR name_key = ${nameKeyOf(idOrName)})`)
      // an id matches before a name that happens to look like one
      .orderBy(sql`CASE WHEN id = ${idOrName} THEN 0 ELSE 1 END`)
  );
}

/** By name only, ignoring case: how a connection's templates and `tls` settings refer to one. */
export function whereName<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  name: string,
): SelectQueryBuilder<DB, TB, O> {
  return query.where(sql<boolean>`name_key = ${nameKeyOf(name)}`);
}

/** A page of a list in name order: part of the name (any case), keyset after a name key. */
export interface NamePageFilter {
  nameContains?: string;
  /** keyset: rows after this name_key */
  afterNameKey?: string;
  limit: number;
}

/** One page in name order, read forward from the unique name_key index. */
export function pageByNameKey<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filter: NamePageFilter,
): SelectQueryBuilder<DB, TB, O> {
  let page = query;
  if (filter.nameContains) {
    const pattern = `%${escapeLike(filter.nameContains.toLowerCase())}%`;
    page = page.where(sql<boolean>`name_key LIKE ${pattern} ESCAPE '\\'`);
  }
  if (filter.afterNameKey !== undefined) {
    page = page.where(sql<boolean>`name_key > ${filter.afterNameKey}`);
  }
  return page.orderBy(sql`name_key`).limit(filter.limit);
}
