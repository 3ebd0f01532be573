import { z } from 'zod';
import {
  certificateSummary,
  maxCertificatePemBytes,
  pemText,
  tlsObjectName,
} from './certificates.ts';
import { freeText, isoTimestamp, listQuery, warningOut } from './common.ts';
import { parseTemplate } from './templates.ts';

/** 64 KiB: a private key (an RSA-16384 PEM is ~12 KB) or a PKCS#12 with a long chain. */
export const maxPrivateKeyPemBytes = 65536;
export const maxPkcs12Bytes = 65536;
export const keyStoreFormats = ['pem', 'pkcs12'] as const;
export type KeyStoreFormat = (typeof keyStoreFormats)[number];

export const keyStoreName = tlsObjectName('key store');

const description = freeText(
  z.string().max(1000, { error: 'description must be at most 1000 characters' }),
);

/**
 * A passphrase is never sent as text: it lives in the secret store and is referenced, so it
 * is resolved (and can be rotated) like any other secret and never appears in an export.
 */
const passphraseReference = z
  .string({ error: 'passphrase is a {{secret.NAME}} reference' })
  .superRefine((value, ctx) => {
    const parsed = parseTemplate(value);
    const ok =
      !('problem' in parsed) &&
      parsed.references.length === 1 &&
      parsed.references[0]?.namespace === 'secret' &&
      parsed.references[0].raw === value.trim();
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        message:
          'passphrase must be a {{secret.NAME}} reference: store the passphrase as a secret first (never the passphrase itself here)',
      });
    }
  })
  .describe('`{{secret.NAME}}`: the secret holding the passphrase');

const pemFields = {
  format: z.literal('pem'),
  certificatePem: pemText('certificatePem', maxCertificatePemBytes).describe(
    'the client certificate, then optionally its intermediate CAs (PEM)',
  ),
  privateKeyPem: pemText('privateKeyPem', maxPrivateKeyPemBytes).describe(
    'the private key of the certificate (PKCS#8, PKCS#1 or SEC1 PEM; encrypted PEM needs passphrase); never returned',
  ),
  passphrase: passphraseReference.optional(),
};

// ceil(64 KiB / 3) * 4 = 87,384 base64 characters, plus line breaks of a wrapped encoding
const maxPkcs12Base64Chars = 90000;

const pkcs12Fields = {
  format: z.literal('pkcs12'),
  pkcs12Base64: z
    .string({ error: 'pkcs12Base64 is the PKCS#12 file in base64' })
    .min(1, { error: 'pkcs12Base64 is required', abort: true })
    .max(maxPkcs12Base64Chars, {
      error: `pkcs12Base64 must be at most ${maxPkcs12Bytes} bytes once decoded`,
      abort: true,
    })
    .regex(/^[A-Za-z0-9+/=_\-\s]+$/, { error: 'pkcs12Base64 is not base64' })
    .describe('the .p12/.pfx file, base64; never returned'),
  passphrase: passphraseReference,
};

const formatError = { error: 'format must be pem or pkcs12' };

export const keyStoreIn = z
  .discriminatedUnion(
    'format',
    [
      z.strictObject({ name: keyStoreName, description: description.default(''), ...pemFields }),
      z.strictObject({ name: keyStoreName, description: description.default(''), ...pkcs12Fields }),
    ],
    formatError,
  )
  .meta({
    id: 'KeyStoreIn',
    description:
      'A client certificate with its private key, for mutual TLS: name it in a connection\'s `tls.keyStore`. `format: "pem"` with certificatePem + privateKeyPem, or `format: "pkcs12"` with pkcs12Base64; a passphrase is a {{secret.NAME}} reference.',
  });

/** `PUT /keystores/{id}`: new content (a renewed certificate); the name stays. */
export const keyStoreReplace = z
  .discriminatedUnion(
    'format',
    [
      z.strictObject({ description: description.optional(), ...pemFields }),
      z.strictObject({ description: description.optional(), ...pkcs12Fields }),
    ],
    formatError,
  )
  .meta({ id: 'KeyStoreReplace' });

/** What the API says about a key store: the certificate, never the key. */
export const keyStoreOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    format: z.enum(keyStoreFormats),
    ...certificateSummary.shape,
    chain: z
      .array(certificateSummary)
      .describe('the certificates sent after the client certificate (intermediate CAs)'),
    hasPrivateKey: z.literal(true).describe('the key is stored sealed and never returned'),
    passphrase: z.string().nullable().describe('the {{secret.NAME}} holding the passphrase'),
    version: z.int().describe('1 on create, +1 on every replace'),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    updatedAt: isoTimestamp,
    updatedBy: z.string(),
    warnings: z
      .array(warningOut)
      .optional()
      .describe(
        'CERTIFICATE_EXPIRED, CERTIFICATE_EXPIRES_SOON (within 30 days), CERTIFICATE_NOT_YET_VALID, KEY_STORE_NOT_CLIENT_AUTH',
      ),
  })
  .meta({ id: 'KeyStore' });

export const keyStoreListQuery = listQuery.extend({
  q: z.string().max(100).optional().describe('part of the name, any case'),
});

export type KeyStoreIn = z.infer<typeof keyStoreIn>;
export type KeyStoreReplace = z.infer<typeof keyStoreReplace>;
export type KeyStore = z.infer<typeof keyStoreOut>;
export type KeyStoreListQuery = z.infer<typeof keyStoreListQuery>;
