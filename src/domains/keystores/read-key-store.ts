import { createPrivateKey, type KeyObject, type X509Certificate } from 'node:crypto';
import type { Problem } from '../../core/errors.ts';
import { maxPkcs12Bytes } from '../../contracts/keystores.ts';
import { isPrivateKeyLabel, parseCertificatePem, splitPemBlocks } from '../certificates/index.ts';
import { openPkcs12, Pkcs12Error } from './open-pkcs12.ts';

/** A key store's content, checked: the key, and its certificate first, then the chain. */
export interface KeyStoreContent {
  key: KeyObject;
  certificates: X509Certificate[];
}

export type ReadResult<T> = { content: T } | { problems: Problem[] };

/** The passphrase as given and as resolved from its secret (undefined: none given). */
export interface Passphrase {
  secretName: string;
  value: string;
}

/** The one private key block of a privateKeyPem field, checked, with whether it is encrypted. */
export function readPrivateKeyBlock(
  text: string,
): { block: string; encrypted: boolean } | { problems: Problem[] } {
  const field = 'privateKeyPem';
  const blocks = splitPemBlocks(text);
  const keys = blocks.filter((block) => isPrivateKeyLabel(block.label));
  const problems: Problem[] = [];
  if (blocks.some((block) => block.label === 'CERTIFICATE')) {
    problems.push({
      path: field,
      message: `${field} holds a certificate: put certificates in certificatePem`,
    });
  }
  if (keys.length === 0) {
    problems.push({
      path: field,
      message: `${field} holds no private key: expected -----BEGIN PRIVATE KEY----- (or RSA/EC/ENCRYPTED PRIVATE KEY)`,
    });
  } else if (keys.length > 1) {
    problems.push({
      path: field,
      message: `${field} holds ${keys.length} private keys; a key store holds one`,
    });
  }
  const key = keys[0];
  if (problems.length > 0 || key === undefined) return { problems };
  // PKCS#8 `ENCRYPTED PRIVATE KEY`, or the legacy OpenSSL `Proc-Type: 4,ENCRYPTED` header
  const encrypted =
    key.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(key.text);
  return { block: key.text, encrypted };
}

/** Opens a PEM private key (with its passphrase when encrypted); problems by field path. */
export function openPrivateKeyPem(
  block: string,
  encrypted: boolean,
  passphrase: Passphrase | undefined,
): ReadResult<KeyObject> {
  if (encrypted && passphrase === undefined) {
    return {
      problems: [
        {
          path: 'passphrase',
          message:
            'the private key is encrypted: store its passphrase as a secret and give passphrase as {{secret.NAME}}',
        },
      ],
    };
  }
  if (!encrypted && passphrase !== undefined) {
    return {
      problems: [
        { path: 'passphrase', message: 'the private key is not encrypted: leave passphrase out' },
      ],
    };
  }
  try {
    return {
      content: createPrivateKey(
        passphrase === undefined ? block : { key: block, passphrase: passphrase.value },
      ),
    };
  } catch {
    return {
      problems: [
        encrypted
          ? {
              path: 'passphrase',
              message: `the private key does not open with the passphrase in secret '${passphrase?.secretName ?? ''}'`,
            }
          : {
              path: 'privateKeyPem',
              message:
                'privateKeyPem is not a readable private key (damaged, or a format Node cannot read)',
            },
      ],
    };
  }
}

/**
 * Pairs the key with the certificate it belongs to (found among all given, so the order of a
 * pasted chain does not matter) and puts that certificate first.
 */
export function pairKeyWithCertificate(
  key: KeyObject,
  certificates: readonly X509Certificate[],
  keyField: string,
): ReadResult<KeyStoreContent> {
  const leaf = certificates.find((certificate) => matches(certificate, key));
  if (leaf === undefined) {
    const first = certificates[0];
    const names = first
      ? `'${first.subject.split('\n').join(', ')}'${certificates.length > 1 ? ` (nor to the other ${certificates.length - 1})` : ''}`
      : '';
    return {
      problems: [
        { path: keyField, message: `the private key does not belong to the certificate ${names}` },
      ],
    };
  }
  return { content: { key, certificates: [leaf, ...certificates.filter((c) => c !== leaf)] } };
}

function matches(certificate: X509Certificate, key: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(key);
  } catch {
    // a key of another type than the certificate's (EC key, RSA certificate)
    return false;
  }
}

/** Reads format pem: certificatePem (+ chain) and privateKeyPem, checked to belong together. */
export function readPemKeyStore(
  input: { certificatePem: string; privateKeyPem: string },
  passphrase: Passphrase | undefined,
): ReadResult<KeyStoreContent & { keyBlock: string }> {
  const certificates = parseCertificatePem(
    input.certificatePem,
    'certificatePem',
    'put the private key in privateKeyPem',
  );
  const keyBlock = readPrivateKeyBlock(input.privateKeyPem);
  const problems = [
    ...('problems' in certificates ? certificates.problems : []),
    ...('problems' in keyBlock ? keyBlock.problems : []),
  ];
  if ('problems' in certificates || 'problems' in keyBlock) return { problems };
  const key = openPrivateKeyPem(keyBlock.block, keyBlock.encrypted, passphrase);
  if ('problems' in key) return key;
  const paired = pairKeyWithCertificate(key.content, certificates.certificates, 'privateKeyPem');
  if ('problems' in paired) return paired;
  return { content: { ...paired.content, keyBlock: keyBlock.block } };
}

/** The bytes of pkcs12Base64 (standard or URL-safe base64, line breaks allowed). */
export function decodePkcs12Base64(text: string): ReadResult<Buffer> {
  const compact = text.replace(/\s+/g, '');
  const bytes = Buffer.from(compact, /[-_]/.test(compact) ? 'base64url' : 'base64');
  if (bytes.length === 0) {
    return { problems: [{ path: 'pkcs12Base64', message: 'pkcs12Base64 is not base64' }] };
  }
  if (bytes.length > maxPkcs12Bytes) {
    return {
      problems: [
        {
          path: 'pkcs12Base64',
          message: `the PKCS#12 file must be at most ${maxPkcs12Bytes} bytes`,
        },
      ],
    };
  }
  return { content: bytes };
}

/** Reads format pkcs12: opens it with the passphrase; one key, and its certificate in it. */
export function readPkcs12KeyStore(
  bytes: Buffer,
  passphrase: Passphrase,
): ReadResult<KeyStoreContent> {
  let contents;
  try {
    contents = openPkcs12(bytes, passphrase.value);
  } catch (error) {
    if (!(error instanceof Pkcs12Error)) throw error;
    if (error.reason === 'wrong-passphrase') {
      return {
        problems: [
          {
            path: 'passphrase',
            message: `the PKCS#12 file does not open with the passphrase in secret '${passphrase.secretName}'`,
          },
        ],
      };
    }
    return {
      problems: [
        {
          path: 'pkcs12Base64',
          message:
            error.reason === 'not-pkcs12'
              ? `pkcs12Base64 is not a readable PKCS#12 (.p12/.pfx) file: ${error.message}`
              : `the PKCS#12 file ${error.message}`,
        },
      ],
    };
  }
  const field = 'pkcs12Base64';
  if (contents.keys.length !== 1) {
    return {
      problems: [
        {
          path: field,
          message:
            contents.keys.length === 0
              ? 'the PKCS#12 file holds no private key (export it with its key, e.g. openssl pkcs12 -export -inkey key.pem -in cert.pem)'
              : `the PKCS#12 file holds ${contents.keys.length} private keys; a key store holds one`,
        },
      ],
    };
  }
  if (contents.certificates.length === 0) {
    return { problems: [{ path: field, message: 'the PKCS#12 file holds no certificate' }] };
  }
  return pairKeyWithCertificate(contents.keys[0] as KeyObject, contents.certificates, field);
}
