import { utf8ByteLength } from '../core/utf8.ts';
import { z } from 'zod';
import { freeText, isoTimestamp, listQuery, warningOut } from './common.ts';

/**
 * 512 KiB of PEM: room for a whole public CA bundle (Mozilla's ~150 roots are ~220 KB) inside
 * the API's 1 MiB body limit.
 */
export const maxCertificatePemBytes = 524288;
/** Certificates in one entry: a bundle, not a trust store dump of every CA ever issued. */
export const maxCertificatesPerEntry = 500;
/** A warning is answered when a certificate expires within this many days (or has expired). */
export const certificateExpiryWarningDays = 30;

/**
 * Names of certificates and key stores: what a connection's `tls.caCertificates` and
 * `tls.keyStore` hold, typed in the CLI and used in URLs. Unique ignoring case.
 */
export function tlsObjectName(what: string) {
  return z
    .string({ error: 'name is required' })
    .min(1, { error: 'name is required', abort: true })
    .max(100, { error: 'name must be at most 100 characters', abort: true })
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
      error: `a ${what} name starts with a letter or digit and uses only letters, digits, _ . and -`,
    });
}

export const certificateName = tlsObjectName('certificate');

const description = freeText(
  z.string().max(1000, { error: 'description must be at most 1000 characters' }),
);

/** PEM text of at most `maxBytes` (UTF-8); what it holds is checked by the service. */
export function pemText(field: string, maxBytes: number) {
  return z
    .string({ error: `${field} is PEM text` })
    .min(1, { error: `${field} is required`, abort: true })
    .refine((text) => utf8ByteLength(text) <= maxBytes, {
      error: `${field} must be at most ${maxBytes} bytes`,
    });
}

const certificatePem = pemText('pem', maxCertificatePemBytes).describe(
  'one or more CA certificates, each -----BEGIN CERTIFICATE-----; text around them is ignored; never a private key',
);

export const certificateIn = z
  .strictObject({
    name: certificateName,
    description: description.default(''),
    pem: certificatePem,
  })
  .meta({
    id: 'CertificateIn',
    description:
      'CA certificates (PEM) a connection trusts in addition to the public roots: name them in `tls.caCertificates`.',
  });

/** `PUT /certificates/{id}`: new PEM content (e.g. a renewed CA); the name stays. */
export const certificateReplace = z
  .strictObject({ description: description.optional(), pem: certificatePem })
  .meta({ id: 'CertificateReplace' });

/** What one X.509 certificate says about itself (everything public). */
export const certificateSummary = z
  .object({
    subject: z.string().describe('distinguished name, e.g. `CN=Example Root CA, O=Example`'),
    issuer: z.string(),
    subjectAltNames: z
      .array(z.string())
      .describe('e.g. `DNS:api.example.com`, `IP:10.0.0.5`, `URI:…`, `email:…`'),
    serialNumber: z.string().describe('hex'),
    fingerprintSha256: z
      .string()
      .describe('colon-separated hex, as `openssl x509 -fingerprint -sha256` prints it'),
    notBefore: isoTimestamp,
    notAfter: isoTimestamp,
    isCA: z.boolean(),
    keyAlgorithm: z.string().describe('e.g. `RSA 2048`, `EC P-256`, `Ed25519`'),
  })
  .meta({ id: 'CertificateSummary' });

export const certificateOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    ...certificateSummary.shape,
    certificates: z
      .array(certificateSummary)
      .describe('every certificate of the entry (the top-level fields describe the first)'),
    pem: z.string().optional().describe('the PEM as stored (one entry, not lists)'),
    version: z.int().describe('1 on create, +1 on every replace'),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    updatedAt: isoTimestamp,
    updatedBy: z.string(),
    warnings: z
      .array(warningOut)
      .optional()
      .describe(
        'CERTIFICATE_EXPIRED, CERTIFICATE_EXPIRES_SOON (within 30 days), CERTIFICATE_NOT_YET_VALID, CERTIFICATE_NOT_CA',
      ),
  })
  .meta({ id: 'Certificate' });

export const certificateListQuery = listQuery.extend({
  q: z.string().max(100).optional().describe('part of the name, any case'),
});

export type CertificateIn = z.infer<typeof certificateIn>;
export type CertificateReplace = z.infer<typeof certificateReplace>;
export type CertificateSummary = z.infer<typeof certificateSummary>;
export type Certificate = z.infer<typeof certificateOut>;
export type CertificateListQuery = z.infer<typeof certificateListQuery>;
