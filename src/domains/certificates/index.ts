/**
 * Certificates: named PEM entries of CA certificates that a connection's `tls.caCertificates`
 * trusts in addition to the public roots. Public material: answered in full, with subject,
 * issuer, SANs, validity and warnings (expired, expiring within 30 days, not yet valid).
 */
export {
  /**
   * Creates the certificate service: list, get, create, replace (PUT), remove (refused while
   * a connection references it); readPems for the TLS resolver; usages; onChange.
   */
  createCertificateService,
  type CertificateService,
  type CertificateServiceDeps,
} from './certificate.service.ts';
export {
  /** Every PEM block of a text; whether a block label is a private key's. */
  splitPemBlocks,
  isPrivateKeyLabel,
  /** Reads the certificates of a PEM field, refusing keys and non-certificates by field path. */
  parseCertificatePem,
  /** Certificates re-encoded one after the other: what is stored. */
  toPemBundle,
  /** Reads PEM this domain stored itself. */
  readStoredPem,
  type PemBlock,
  type ParsedCertificates,
} from './parse-pem.ts';
export {
  /** Subject, issuer, SANs, serial, SHA-256 fingerprint, validity, CA flag, key algorithm. */
  summarizeCertificate,
  /** CERTIFICATE_EXPIRED / _EXPIRES_SOON (30 days) / _NOT_YET_VALID warnings at a time. */
  validityWarnings,
} from './certificate-summary.ts';
export {
  /** Listeners told after a certificate or key store change commits. */
  createTlsChangeListeners,
  type TlsChangeListener,
  type TlsChangeListeners,
  type TlsObjectChange,
} from './change-listeners.ts';
