import { validationFailed } from '../../core/errors.ts';

/**
 * Opaque list cursors over a unique lower-cased name: base64url of `<kind>:<name_key>`. The
 * kind keeps a secrets cursor from being taken by the variables list and the other way round.
 */
export function encodeNameCursor(kind: string, nameKey: string): string {
  return Buffer.from(`${kind}:${nameKey}`, 'utf8').toString('base64url');
}

export function decodeNameCursor(kind: string, cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(`${kind}:`) || text.length === kind.length + 1) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
  return text.slice(kind.length + 1);
}
