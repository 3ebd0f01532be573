import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { masterKeyIdOf } from './master-key.ts';

// AES-256-GCM as NIST SP 800-38D recommends it: a random 96-bit nonce per encryption (safe
// for far more than the 2^32 encryptions one key may do) and the full 128-bit tag.
const algorithm = 'aes-256-gcm';
const nonceBytes = 12;
const tagBytes = 16;

/** What the store keeps of a stored secret: never the value, never the key. */
export interface SealedSecret {
  /** which master key sealed it (masterKeyIdOf) */
  keyId: string;
  /** base64 */
  nonce: string;
  /** base64 */
  ciphertext: string;
  /** base64 */
  tag: string;
}

/** Why a sealed secret could not be opened; the message names the secret, never its value. */
export class SecretCipherError extends Error {
  readonly reason: 'other-key' | 'tampered';
  constructor(reason: 'other-key' | 'tampered', message: string) {
    super(message);
    this.name = 'SecretCipherError';
    this.reason = reason;
  }
}

/**
 * The additional authenticated data: the secret's name, so a ciphertext copied onto another
 * secret's row fails to open instead of handing that secret's value to the other name.
 */
function associatedData(name: string): Buffer {
  return Buffer.from(`hookline:secret:v1:${name}`, 'utf8');
}

export function sealSecret(key: Buffer, name: string, value: string): SealedSecret {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
  cipher.setAAD(associatedData(name));
  const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
  return {
    keyId: masterKeyIdOf(key),
    nonce: nonce.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** The value of a sealed secret, or a SecretCipherError saying why not. */
export function openSecret(key: Buffer, name: string, sealed: SealedSecret): string {
  const keyId = masterKeyIdOf(key);
  if (sealed.keyId !== keyId) {
    throw new SecretCipherError(
      'other-key',
      `secret '${name}' was encrypted with another master key (key id ${sealed.keyId}; this server's key id is ${keyId}): start Hookline with the key it was stored under, or store the secret again`,
    );
  }
  const tampered = () =>
    new SecretCipherError(
      'tampered',
      `secret '${name}' cannot be decrypted: its stored nonce, ciphertext or tag was changed, or it belongs to another secret; store it again`,
    );
  const nonce = Buffer.from(sealed.nonce, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (nonce.length !== nonceBytes || tag.length !== tagBytes) throw tampered();
  try {
    const decipher = createDecipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
    decipher.setAAD(associatedData(name));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.ciphertext, 'base64')),
      decipher.final(),
    ]);
    return plain.toString('utf8');
  } catch {
    throw tampered();
  }
}
