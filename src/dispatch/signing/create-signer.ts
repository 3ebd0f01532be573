import type { EnvironmentParams } from '../../contracts/connections.ts';
import { parseTemplate } from '../../contracts/templates.ts';
import { createId } from '../../core/ids.ts';
import { createHmacSha256Signer } from './hmac-sha256.ts';
import { createStandardWebhooksSigner } from './standard-webhooks.ts';

/** An environment's `signing` parameters (contracts/connections.ts `signing`). */
export type SigningSettings = EnvironmentParams['signing'];

/** What one try signs: the same message id on every attempt of one call. */
export interface SignInput {
  /** standard-webhooks `webhook-id` (createMessageId()); ignored by hmac-sha256 */
  messageId: string;
  /** Unix time in whole seconds; ignored by hmac-sha256 */
  timestampSeconds: number;
  /** the exact bytes sent; undefined: no body (signed as empty) */
  body: Buffer | undefined;
}

/** Signs requests with a key decoded once; `sign` only hashes. */
export interface Signer {
  readonly scheme: 'standard-webhooks' | 'hmac-sha256';
  /** the headers to add to the request, names as they are sent */
  sign(input: SignInput): Array<[string, string]>;
}

/**
 * The signer for an environment's signing settings and the value of its signing secret, or
 * null for scheme `none`. Decodes the key here, once per deployed revision. A secret that
 * cannot be a key throws a TemplateUnresolvedError (code TEMPLATE_UNRESOLVED) that names the
 * secret reference and what is wrong, never the value.
 */
export function createSigner(signing: SigningSettings, secretValue: string): Signer | null {
  switch (signing.scheme) {
    case 'none':
      return null;
    case 'standard-webhooks':
      return createStandardWebhooksSigner(secretValue, labelOf(signing.secret));
    case 'hmac-sha256':
      return createHmacSha256Signer(secretValue, signing.header, labelOf(signing.secret));
  }
}

/** `secret.NAME` for `{{secret.NAME}}`: how errors name the signing secret. */
function labelOf(reference: string): string {
  const parsed = parseTemplate(reference);
  const first = 'references' in parsed ? parsed.references[0] : undefined;
  return first ? `${first.namespace}.${first.name}` : 'signing.secret';
}

/**
 * A new message id for the standard-webhooks `webhook-id` header: `msg_` + 26 characters
 * (time-ordered, 80 random bits, core/ids.ts). Make one per call and keep it across attempts:
 * receivers use it as the idempotency key (DESIGN.md §2 step 6).
 */
export function createMessageId(): string {
  return createId('msg');
}
