/**
 * Why a connection's `tls` settings cannot be turned into TLS options: a certificate or key
 * store it names is missing, its passphrase secret does not resolve, or its sealed material
 * does not open. The message names them (never key material or a passphrase); the dispatch
 * engine fails the call with it rather than connecting with less trust than configured.
 */
export class TlsMaterialError extends Error {
  readonly code = 'TLS_MATERIAL_UNAVAILABLE';
  /** what is missing or unusable */
  readonly kind: 'certificate' | 'keystore';
  /** the names as the connection gave them */
  readonly names: readonly string[];
  readonly reason: 'missing' | 'passphrase-unresolved' | 'unreadable';

  constructor(
    kind: 'certificate' | 'keystore',
    names: readonly string[],
    reason: 'missing' | 'passphrase-unresolved' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'TlsMaterialError';
    this.kind = kind;
    this.names = names;
    this.reason = reason;
  }
}
