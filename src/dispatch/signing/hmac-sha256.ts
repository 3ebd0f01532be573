import { TemplateUnresolvedError } from '../render/template-unresolved-error.ts';
import type { SignInput, Signer } from './create-signer.ts';
import { createHmacSha256Key } from './hmac-sha256-key.ts';

/**
 * GitHub-style body signature: `<header>: sha256=<hex HMAC-SHA256 of the body bytes>`, keyed
 * with the secret's UTF-8 bytes exactly as stored (GitHub's X-Hub-Signature-256 scheme; no
 * trimming, since a receiver computes with the same string). An empty secret is refused
 * with a TemplateUnresolvedError naming `label`, never the value.
 */
export function createHmacSha256Signer(secret: string, headerName: string, label: string): Signer {
  if (secret === '') {
    throw new TemplateUnresolvedError(
      [],
      [{ reference: label, reason: 'an hmac-sha256 signing secret must not be empty' }],
    );
  }
  const key = createHmacSha256Key(Buffer.from(secret, 'utf8'));
  return {
    scheme: 'hmac-sha256',
    sign({ body }: SignInput): Array<[string, string]> {
      return [[headerName, `sha256=${key.digest('', body, 'hex')}`]];
    },
  };
}
