import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import type { KeyMaterialCipher } from '../keystores/index.ts';

/** A stored call header: its value, or for a credential its value sealed (base64). */
type StoredHeader = string | { sealed: string };

/**
 * A delivery's own headers wait in the store until they are sent; credentials among them
 * (Authorization, *-token, *-key…) are sealed there with AES-256-GCM under a key derived from
 * the master key, bound to the delivery and the header name, so the database file never holds
 * them in clear. Other headers are kept as given.
 */
export function createHeaderSeal(cipher: KeyMaterialCipher) {
  const aadOf = (deliveryId: string, name: string) => `${deliveryId}\u0000${name.toLowerCase()}`;
  return {
    /** The JSON to store for `headers` of delivery `deliveryId`. */
    seal(deliveryId: string, headers: Record<string, string>): string {
      const stored: Record<string, StoredHeader> = {};
      for (const [name, value] of Object.entries(headers)) {
        stored[name] = isSensitiveHeaderName(name)
          ? {
              sealed: cipher
                .encrypt(Buffer.from(value, 'utf8'), aadOf(deliveryId, name))
                .toString('base64'),
            }
          : value;
      }
      return JSON.stringify(stored);
    },

    /** The headers to send, opened; throws (KeyMaterialCipherError) under another master key. */
    open(deliveryId: string, json: string): Record<string, string> {
      const stored = JSON.parse(json) as Record<string, StoredHeader>;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(stored)) {
        headers[name] =
          typeof value === 'string'
            ? value
            : cipher
                .decrypt(Buffer.from(value.sealed, 'base64'), aadOf(deliveryId, name))
                .toString('utf8');
      }
      return headers;
    },
  };
}

export type HeaderSeal = ReturnType<typeof createHeaderSeal>;
