import type { X509Certificate } from 'node:crypto';
import type { Warning } from '../../contracts/common.ts';
import {
  certificateExpiryWarningDays,
  type CertificateSummary,
} from '../../contracts/certificates.ts';

const dayMs = 86_400_000;

/** Everything public a certificate says about itself, in the API's words. */
export function summarizeCertificate(certificate: X509Certificate): CertificateSummary {
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    subjectAltNames: splitAltNames(certificate.subjectAltName),
    serialNumber: certificate.serialNumber.toUpperCase(),
    fingerprintSha256: certificate.fingerprint256,
    notBefore: certificate.validFromDate.toISOString(),
    notAfter: certificate.validToDate.toISOString(),
    isCA: certificate.ca,
    keyAlgorithm: describeKey(certificate),
  };
}

/** Node prints a name one attribute per line (`CN=x\nO=y`); lists read it as `CN=x, O=y`. */
function formatName(name: string): string {
  return name.split('\n').filter(Boolean).join(', ');
}

/**
 * Node prints SANs as `DNS:a, IP Address:1.2.3.4, DNS:"b, c"` (a value with a comma or quote is
 * a JSON string): split on the separators outside quotes, `IP Address:` shortened to `IP:`.
 */
export function splitAltNames(text: string | undefined): string[] {
  if (!text) return [];
  const entries: string[] = [];
  const pattern = /([A-Za-z][A-Za-z ]*):("(?:[^"\\]|\\.)*"|[^,]*)(?:, |$)/g;
  for (const match of text.matchAll(pattern)) {
    const type = match[1] === 'IP Address' ? 'IP' : (match[1] as string);
    const raw = match[2] as string;
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw;
      }
    }
    entries.push(`${type}:${value}`);
  }
  return entries;
}

function describeKey(certificate: X509Certificate): string {
  const key = certificate.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `${key.asymmetricKeyType.toUpperCase()} ${details.modulusLength ?? '?'}`;
    case 'ec':
      return `EC ${details.namedCurve === 'prime256v1' ? 'P-256' : details.namedCurve === 'secp384r1' ? 'P-384' : details.namedCurve === 'secp521r1' ? 'P-521' : (details.namedCurve ?? '?')}`;
    case 'ed25519':
      return 'Ed25519';
    case 'ed448':
      return 'Ed448';
    default:
      return key.asymmetricKeyType ?? 'unknown';
  }
}

/**
 * Warnings about validity at `now`: expired, expiring within 30 days, not valid yet. `pathOf`
 * names the certificate in the answer (`certificates[1]`, `chain[0]`).
 */
export function validityWarnings(
  summaries: readonly CertificateSummary[],
  now: Date,
  pathOf: (index: number) => string,
): Warning[] {
  const warnings: Warning[] = [];
  summaries.forEach((summary, index) => {
    const path = pathOf(index);
    const notAfterMs = Date.parse(summary.notAfter);
    const leftMs = notAfterMs - now.getTime();
    const who = `'${summary.subject}'`;
    if (leftMs <= 0) {
      warnings.push({
        code: 'CERTIFICATE_EXPIRED',
        path,
        message: `certificate ${who} expired on ${summary.notAfter} (${daysText(-leftMs)} ago): TLS handshakes that need it fail; replace it`,
      });
    } else if (leftMs <= certificateExpiryWarningDays * dayMs) {
      warnings.push({
        code: 'CERTIFICATE_EXPIRES_SOON',
        path,
        message: `certificate ${who} expires on ${summary.notAfter} (in ${daysText(leftMs)}); replace it before then`,
      });
    }
    if (Date.parse(summary.notBefore) > now.getTime()) {
      warnings.push({
        code: 'CERTIFICATE_NOT_YET_VALID',
        path,
        message: `certificate ${who} is valid only from ${summary.notBefore}; handshakes fail until then (or the server clock is behind)`,
      });
    }
  });
  return warnings;
}

function daysText(ms: number): string {
  const days = Math.floor(ms / dayMs);
  if (days >= 1) return `${days} day${days === 1 ? '' : 's'}`;
  const hours = Math.max(1, Math.floor(ms / 3_600_000));
  return `${hours} hour${hours === 1 ? '' : 's'}`;
}
