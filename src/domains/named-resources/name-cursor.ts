import { validationFailed } from '../../core/errors.ts';
import { nameKeyOf, type NamePageFilter } from '../../store/name-key.ts';

/**
 * Opaque list cursors over a unique lower-cased name: base64url of `<kind>:<name_key>`. The
 * kind keeps one list's cursor (certificates `c`, key stores `k`, secrets `s`, variables `v`)
 * from being taken by another.
 */
export function encodeNameCursor(kind: string, nameKey: string): string {
  return Buffer.from(`${kind}:${nameKey}`, 'utf8').toString('base64url');
}

/** The name key a cursor of this kind continues after; VALIDATION_FAILED for any other text. */
export function decodeNameCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || text.length === kind.length + 1) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
  return text.slice(kind.length + 1);
}

/**
 * `{page, next}` from rows read with `limit + 1`: the extra row only says that there is more,
 * and `next` continues after the last row of the page.
 */
export function splitNamePage<R extends { name: string }>(
  rows: readonly R[],
  limit: number,
  kind: string,
): { page: R[]; next: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    page,
    next: rows.length > limit && last ? encodeNameCursor(kind, nameKeyOf(last.name)) : null,
  };
}

/**
 * One page of a name-ordered list: `query.q` and `query.cursor` (of this `kind`) become the
 * filter `read` gets, with one row more than `query.limit` to learn whether more follow.
 */
export async function readNamePage<R extends { name: string }>(
  query: { q?: string; cursor?: string; limit: number },
  kind: string,
  read: (filter: NamePageFilter) => Promise<R[]>,
): Promise<{ page: R[]; next: string | null }> {
  const rows = await read({
    nameContains: query.q,
    afterNameKey: query.cursor === undefined ? undefined : decodeNameCursor(kind, query.cursor),
    limit: query.limit + 1,
  });
  return splitNamePage(rows, query.limit, kind);
}
