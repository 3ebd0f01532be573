import { validationFailed } from '../../core/errors.ts';

/**
 * Opaque cursor of the deployment history: base64url of `d:<seq>` of the last result shown.
 * Clients pass `next` back as `cursor` and never read it.
 */
export function encodeDeploymentCursor(seq: number): string {
  return Buffer.from(`d:${seq}`).toString('base64url');
}

export function decodeDeploymentCursor(text: string): number {
  const match = /^d:(\d{1,15})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) {
    throw validationFailed([{ path: 'query.cursor', message: 'not a cursor from this list' }]);
  }
  return Number(match[1]);
}
