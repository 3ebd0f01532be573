import { validationFailed } from '../../core/errors.ts';

/**
 * Opaque cursors: base64url of where the last page ended. Clients pass `next` back as
 * `cursor` and never read it; the prefix tells a connection cursor from a revision cursor.
 */
export type ConnectionCursor =
  | { sort: 'name'; nameKey: string; id: string }
  | { sort: 'updated'; updatedAt: string; id: string };

const invalidCursor = () =>
  validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);

/** `c`: a page of the name order ended here; `u`: of the last-changed order. */
export function encodeConnectionCursor(cursor: ConnectionCursor): string {
  const value =
    cursor.sort === 'name' ? ['c', cursor.nameKey, cursor.id] : ['u', cursor.updatedAt, cursor.id];
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The cursor `text`, refused unless it comes from a list in the `sort` order. */
export function decodeConnectionCursor(text: string, sort: 'name' | 'updated'): ConnectionCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    value[0] !== (sort === 'name' ? 'c' : 'u') ||
    typeof value[1] !== 'string' ||
    typeof value[2] !== 'string'
  )
    throw invalidCursor();
  return sort === 'name'
    ? { sort, nameKey: value[1], id: value[2] }
    : { sort, updatedAt: value[1], id: value[2] };
}

export function encodeRevisionCursor(revision: number): string {
  return Buffer.from(`r:${revision}`).toString('base64url');
}

export function decodeRevisionCursor(text: string): number {
  const match = /^r:(\d{1,9})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}
