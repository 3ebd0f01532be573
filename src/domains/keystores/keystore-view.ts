import type { X509Certificate } from 'node:crypto';
import type { Warning } from '../../contracts/common.ts';
import type { KeyStore } from '../../contracts/keystores.ts';
import type { CertificateSummary } from '../../contracts/certificates.ts';
import { readStoredPem, summarizeCertificate, validityWarnings } from '../certificates/index.ts';
import type { KeyStoreRecord } from './keystore.repo.ts';

const clientAuthOid = '1.3.6.1.5.5.7.3.2';
const anyExtendedKeyUsageOid = '2.5.29.37.0';

/** The API representation: the client certificate and its chain, never the key. */
export function toKeyStore(record: KeyStoreRecord, options: { now?: Date }): KeyStore {
  const parsed = readStoredPem(record.certificatePem);
  const [leaf, ...chain] = parsed.map(summarizeCertificate);
  const warnings = options.now === undefined ? [] : keyStoreWarnings(parsed, options.now);
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    format: record.format,
    ...(leaf as CertificateSummary),
    chain,
    hasPrivateKey: true,
    passphrase: record.passphraseSecret === null ? null : `{{secret.${record.passphraseSecret}}}`,
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Validity of the certificate and its chain; a certificate not meant for client auth. */
export function keyStoreWarnings(parsed: readonly X509Certificate[], now: Date): Warning[] {
  const warnings = validityWarnings(parsed.map(summarizeCertificate), now, (index) =>
    index === 0 ? 'certificate' : `chain[${index - 1}]`,
  );
  const usages = parsed[0]?.keyUsage;
  // no extendedKeyUsage extension means any use; one without clientAuth is refused by
  // servers that check it (OpenSSL does for mutual TLS: "unsupported certificate purpose")
  if (
    usages &&
    usages.length > 0 &&
    !usages.includes(clientAuthOid) &&
    !usages.includes(anyExtendedKeyUsageOid)
  ) {
    warnings.push({
      code: 'KEY_STORE_NOT_CLIENT_AUTH',
      path: 'certificate',
      message:
        'the certificate is not issued for TLS client authentication (its extended key usage lacks clientAuth): servers that check it refuse the handshake',
    });
  }
  return warnings;
}
