import type { X509Certificate } from 'node:crypto';
import type { Certificate, CertificateSummary } from '../../contracts/certificates.ts';
import type { Warning } from '../../contracts/common.ts';
import type { CertificateRecord } from './certificate.repo.ts';
import { summarizeCertificate, validityWarnings } from './certificate-summary.ts';
import { readStoredPem } from './parse-pem.ts';

/**
 * The API representation: the first certificate's fields at the top (the usual entry holds
 * one CA), every certificate in `certificates`, warnings as of `now`.
 */
export function toCertificate(
  record: CertificateRecord,
  options: { now?: Date; withPem?: boolean },
): Certificate {
  const parsed = readStoredPem(record.pem);
  const summaries = parsed.map(summarizeCertificate);
  const warnings = options.now === undefined ? [] : trustWarnings(parsed, summaries, options.now);
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    ...(summaries[0] as CertificateSummary),
    certificates: summaries,
    ...(options.withPem ? { pem: record.pem } : {}),
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** Validity warnings, and a certificate that cannot anchor trust on its own. */
export function trustWarnings(
  parsed: readonly X509Certificate[],
  summaries: readonly CertificateSummary[],
  now: Date,
): Warning[] {
  const warnings = validityWarnings(summaries, now, (index) => `certificates[${index}]`);
  parsed.forEach((certificate, index) => {
    // OpenSSL accepts a self-signed certificate as a trust anchor (pinning a self-signed
    // server), but not a leaf issued by someone else without that issuer
    if (!certificate.ca && !certificate.checkIssued(certificate)) {
      warnings.push({
        code: 'CERTIFICATE_NOT_CA',
        path: `certificates[${index}]`,
        message: `certificate '${summaries[index]?.subject ?? ''}' is neither a CA nor self-signed, so it cannot anchor trust by itself; add the CA that issued it ('${summaries[index]?.issuer ?? ''}')`,
      });
    }
  });
  return warnings;
}
