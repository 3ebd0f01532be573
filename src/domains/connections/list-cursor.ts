import { validationFailed } from '../../core/errors.ts';

/**
 * Opaque cursors: base64url of where the last page ended. Clients pass `next` back as
 * `cursor` and never read it; the prefix tells a connection cursor from a revision cursor.
 */
export interface ConnectionCursor {
  nameKey: string;
  id: string;
}

const invalidCursor = () =>
  validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);

export function encodeConnectionCursor(cursor: ConnectionCursor): string {
  return Buffer.from(JSON.stringify(['c', cursor.nameKey, cursor.id])).toString('base64url');
}

export function decodeConnectionCursor(text: string): ConnectionCursor {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (
    !Array.isArray(value) ||
    value.length !== 3 ||
    value[0] !== 'c' ||
    typeof value[1] !== 'string' ||
    typeof value[2] !== 'string'
  )
    throw invalidCursor();
  return { nameKey: value[1], id: value[2] };
}

export function encodeRevisionCursor(revision: number): string {
  return Buffer.from(`r:${revision}`).toString('base64url');
}

export function decodeRevisionCursor(text: string): number {
  const match = /^r:(\d{1,9})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw invalidCursor();
  return Number(match[1]);
}
