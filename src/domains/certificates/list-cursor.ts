import { validationFailed } from '../../core/errors.ts';

/**
 * Opaque list cursors over a unique lower-cased name: base64url of `<kind>:<name_key>`. The
 * kind keeps a certificates cursor from being taken by the key stores list and the other way
 * round. (secrets/name-cursor.ts is the same idea; the two can move to core/ together.)
 */
export function encodeListCursor(kind: string, nameKey: string): string {
  return Buffer.from(`${kind}:${nameKey}`, 'utf8').toString('base64url');
}

export function decodeListCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || text.length === kind.length + 1) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
  return text.slice(kind.length + 1);
}
