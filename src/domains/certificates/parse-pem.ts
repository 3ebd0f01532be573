import { X509Certificate } from 'node:crypto';
import type { Problem } from '../../core/errors.ts';
import { maxCertificatesPerEntry } from '../../contracts/certificates.ts';

/** One `-----BEGIN <label>-----` … `-----END <label>-----` block of a PEM text. */
export interface PemBlock {
  label: string;
  /** the whole block, header and footer included */
  text: string;
}

// RFC 7468 §2: labels are printable ASCII without '-'; text between blocks is explanatory
const blockPattern =
  /-----BEGIN ([\x21-\x2c\x2e-\x7e](?:[\x20-\x2c\x2e-\x7e]*[\x21-\x2c\x2e-\x7e])?)-----[\s\S]*?-----END \1-----/g;

/** Every PEM block of `text`, in order; anything between blocks is ignored. */
export function splitPemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(blockPattern)].map((match) => ({
    label: match[1] as string,
    text: match[0],
  }));
}

/** True for the labels of private keys: PRIVATE KEY, RSA/EC/DSA PRIVATE KEY, ENCRYPTED PRIVATE KEY. */
export function isPrivateKeyLabel(label: string): boolean {
  return /PRIVATE KEY$/.test(label);
}

export type ParsedCertificates = { certificates: X509Certificate[] } | { problems: Problem[] };

/**
 * Reads the certificates of a PEM text given in `field`. Refuses (never echoing the text)
 * what holds no certificate, a block that is not a valid certificate, and any private key:
 * `keyAdvice` says where a key belongs instead.
 */
export function parseCertificatePem(
  text: string,
  field: string,
  keyAdvice: string,
): ParsedCertificates {
  const blocks = splitPemBlocks(text);
  const problems: Problem[] = [];
  if (blocks.some((block) => isPrivateKeyLabel(block.label))) {
    problems.push({ path: field, message: `${field} contains a private key: ${keyAdvice}` });
    return { problems };
  }
  const certificates: X509Certificate[] = [];
  blocks.forEach((block, index) => {
    const where = blocks.length > 1 ? ` (block ${index + 1})` : '';
    if (block.label !== 'CERTIFICATE') {
      problems.push({
        path: field,
        message: `${field} holds a '${block.label}' block${where}; only -----BEGIN CERTIFICATE----- blocks belong here`,
      });
      return;
    }
    try {
      certificates.push(new X509Certificate(block.text));
    } catch {
      problems.push({
        path: field,
        message: `${field}${where} is not a valid X.509 certificate (damaged or truncated base64?)`,
      });
    }
  });
  if (blocks.length === 0) {
    problems.push({
      path: field,
      message: `${field} holds no certificate: expected PEM text starting with -----BEGIN CERTIFICATE----- (convert DER with \`openssl x509 -inform der -in cert.der\`)`,
    });
  } else if (certificates.length > maxCertificatesPerEntry) {
    problems.push({
      path: field,
      message: `${field} holds ${certificates.length} certificates; at most ${maxCertificatesPerEntry}`,
    });
  }
  return problems.length > 0 ? { problems } : { certificates };
}

/** The certificates as stored: each re-encoded by OpenSSL, one after the other. */
export function toPemBundle(certificates: readonly X509Certificate[]): string {
  return certificates.map((certificate) => certificate.toString().trimEnd()).join('\n') + '\n';
}

/** Reads PEM this service stored itself (trusted to parse). */
export function readStoredPem(pem: string): X509Certificate[] {
  return splitPemBlocks(pem).map((block) => new X509Certificate(block.text));
}
