import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Seals key store material (a private key PEM, a PKCS#12 file) before it reaches the store.
 * `aad` binds a sealed value to its key store, so material copied onto another row fails to
 * open instead of lending that key store its key.
 */
export interface KeyMaterialCipher {
  encrypt(plain: Buffer, aad: string): Buffer;
  decrypt(sealed: Buffer, aad: string): Buffer;
}

/** Why sealed material could not be opened (never with the material in it). */
export class KeyMaterialCipherError extends Error {
  readonly reason: 'other-key' | 'tampered';
  constructor(reason: 'other-key' | 'tampered', message: string) {
    super(message);
    this.name = 'KeyMaterialCipherError';
    this.reason = reason;
  }
}

// AES-256-GCM (NIST SP 800-38D): a random 96-bit nonce per seal, the full 128-bit tag.
const algorithm = 'aes-256-gcm';
const formatVersion = 1;
const keyIdBytes = 4;
const nonceBytes = 12;
const tagBytes = 16;
const headerBytes = 1 + keyIdBytes + nonceBytes + tagBytes;
// The master key also seals secrets (directly): HKDF gives key stores a key of their own, so
// no ciphertext of one use can ever be presented as the other's.
const hkdfInfo = 'hookline key store material v1';

/**
 * An AES-256-GCM cipher under a key derived (HKDF-SHA256) from `masterKey` (32 bytes).
 * Sealed layout: version (1 byte) | key id (4) | nonce (12) | tag (16) | ciphertext.
 */
export function createKeyMaterialCipher(
  masterKey: Buffer,
  /** what the derived key is for: another use gets another key (HKDF info) */
  purpose: string = hkdfInfo,
): KeyMaterialCipher {
  if (masterKey.length !== 32) throw new TypeError('the master key must be 32 bytes');
  const key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), purpose, 32));
  // names the key without revealing it, so "sealed under another key" can be told apart
  const keyId = createHash('sha256').update(key).digest().subarray(0, keyIdBytes);

  return {
    encrypt(plain, aad) {
      const nonce = randomBytes(nonceBytes);
      const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagBytes });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([
        Buffer.from([formatVersion]),
        keyId,
        nonce,
        cipher.getAuthTag(),
        ciphertext,
      ]);
    },
    decrypt(sealed, aad) {
      if (sealed.length < headerBytes || sealed[0] !== formatVersion) {
        throw new KeyMaterialCipherError('tampered', 'the sealed key material is damaged');
      }
      if (!sealed.subarray(1, 1 + keyIdBytes).equals(keyId)) {
        throw new KeyMaterialCipherError(
          'other-key',
          'the key material was sealed under another master key: start Hookline with the key it was stored under, or upload the key store again',
        );
      }
      const nonceAt = 1 + keyIdBytes;
      const tagAt = nonceAt + nonceBytes;
      const decipher = createDecipheriv(algorithm, key, sealed.subarray(nonceAt, tagAt), {
        authTagLength: tagBytes,
      });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(sealed.subarray(tagAt, headerBytes));
      try {
        return Buffer.concat([decipher.update(sealed.subarray(headerBytes)), decipher.final()]);
      } catch {
        throw new KeyMaterialCipherError(
          'tampered',
          'the sealed key material does not open: it was changed, or belongs to another key store',
        );
      }
    },
  };
}

/** A cipher under a random key, for one process only (tests, benchmarks). */
export function createEphemeralKeyMaterialCipher(): KeyMaterialCipher {
  return createKeyMaterialCipher(randomBytes(32));
}
