/**
 * Key stores: a client certificate with its private key for mutual TLS (PEM, or PKCS#12 with
 * a passphrase from the secret store), named by a connection's `tls.keyStore`. The key is
 * sealed (AES-256-GCM under a key derived from the master key) and never answered, logged or
 * audited. `resolveTlsOptions` turns a connection's `tls` into TLS options for dispatch.
 */
export {
  /**
   * Creates the key store service: list, get, create, replace (PUT), remove (refused while a
   * connection references it); resolveTlsOptions and findMissingReferences for the runtime;
   * onChange / onTlsChange (certificates too) for caches.
   */
  createKeyStoreService,
  type KeyStoreService,
  type KeyStoreServiceDeps,
} from './keystore.service.ts';
export {
  /** Turns a connection's `tls` into TLS options (what the key store service exposes). */
  createTlsResolver,
  type TlsOptions,
  type TlsResolver,
} from './resolve-tls-options.ts';
export {
  /** AES-256-GCM under an HKDF-derived key; `aad` binds material to its key store. */
  createKeyMaterialCipher,
  /** A cipher under a random key, for one process (tests, benchmarks). */
  createEphemeralKeyMaterialCipher,
  KeyMaterialCipherError,
  type KeyMaterialCipher,
} from './key-material-cipher.ts';
export {
  /** Thrown by resolveTlsOptions: names the missing certificate or key store. */
  TlsMaterialError,
} from './tls-material-error.ts';
export {
  /** Opens a PKCS#12 file (node-forge): its keys and certificates. */
  openPkcs12,
  Pkcs12Error,
  type Pkcs12Contents,
} from './open-pkcs12.ts';
