/**
 * Keyset pages whose cursor is the key of the last row shown (an id, a user name), opaque to
 * clients as base64url. A list reads `limit + 1` rows after `keyAfter(cursor)`: the extra row
 * only tells whether there is a next page.
 */
export function keyAfter(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}

/** The page of `rows` (read with limit + 1) as the API answers it. */
export function keyPage<Row, Item>(
  rows: Row[],
  limit: number,
  view: (row: Row) => Item,
  keyOf: (row: Row) => string,
): { items: Item[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(view),
    next:
      rows.length > limit && last !== undefined
        ? Buffer.from(keyOf(last)).toString('base64url')
        : null,
  };
}
