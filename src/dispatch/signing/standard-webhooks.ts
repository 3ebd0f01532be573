import { TemplateUnresolvedError } from '../render/template-unresolved-error.ts';
import type { SignInput, Signer } from './create-signer.ts';
import { createHmacSha256Key } from './hmac-sha256-key.ts';

/** The prefix of a standard-webhooks secret: `whsec_` + base64 of the key. */
export const standardWebhooksSecretPrefix = 'whsec_';
/**
 * Keys shorter than 16 bytes (128 bits) are refused. The specification asks for 24-64 bytes
 * (Svix issues 24); 16 leaves room for older receivers without accepting a toy key.
 */
export const minStandardWebhooksKeyBytes = 16;

// Standard base64 with its padding, as the reference implementation (@stablelib/base64)
// decodes it: Buffer.from(…, 'base64') would skip stray characters and sign with another key.
const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const unsafeHeaderPattern = /[\r\n\0]/;

/**
 * Decodes a standard-webhooks secret (`whsec_` + base64; the reference implementation also
 * takes it without the prefix, and so do we) into its key. Surrounding whitespace, as a
 * mounted secret file's last newline, is dropped: base64 has none. Throws a
 * TemplateUnresolvedError naming `label` (e.g. `secret.WEBHOOK_KEY`), never the value.
 */
export function decodeStandardWebhooksSecret(secret: string, label: string): Buffer {
  const trimmed = secret.trim();
  const encoded = trimmed.startsWith(standardWebhooksSecretPrefix)
    ? trimmed.slice(standardWebhooksSecretPrefix.length)
    : trimmed;
  if (encoded === '' || !base64Pattern.test(encoded)) {
    throw refuse(label, 'not a standard-webhooks secret: expected whsec_ followed by base64');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < minStandardWebhooksKeyBytes) {
    throw refuse(
      label,
      `the standard-webhooks key is ${key.length} bytes; it must be at least ${minStandardWebhooksKeyBytes} (24-64 recommended)`,
    );
  }
  return key;
}

/**
 * Standard Webhooks (standardwebhooks.com): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, over the body bytes
 * exactly as sent.
 */
export function createStandardWebhooksSigner(secret: string, label: string): Signer {
  const key = createHmacSha256Key(decodeStandardWebhooksSecret(secret, label));
  return {
    scheme: 'standard-webhooks',
    sign({ messageId, timestampSeconds, body }: SignInput): Array<[string, string]> {
      if (messageId === '' || unsafeHeaderPattern.test(messageId)) {
        throw new TypeError('messageId must be a non-empty header value (createMessageId())');
      }
      if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
        throw new TypeError('timestampSeconds must be whole seconds since the Unix epoch');
      }
      const timestamp = String(timestampSeconds);
      const signature = key.digest(`${messageId}.${timestamp}.`, body, 'base64');
      return [
        ['webhook-id', messageId],
        ['webhook-timestamp', timestamp],
        ['webhook-signature', `v1,${signature}`],
      ];
    },
  };
}

function refuse(label: string, reason: string): TemplateUnresolvedError {
  return new TemplateUnresolvedError([], [{ reference: label, reason }]);
}
