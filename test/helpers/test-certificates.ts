import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/**
 * A throw-away PKI for TLS tests: a CA, a server certificate and a client certificate (mutual
 * TLS) signed by it, and the client pair as PKCS#12. Keys are RSA-2048 from node:crypto
 * (native, ~50 ms each, where node-forge's pure-JS generation takes seconds); node-forge builds
 * and signs the certificates (SHA-256) and the PKCS#12 (AES-256 PBES2 with a SHA-1 MAC, forge's
 * only MAC; OpenSSL 3 reads it without the legacy provider). Nothing touches the disk.
 */

/** A PEM certificate with its PEM (PKCS#8) private key. */
export interface TestKeyPair {
  certPem: string;
  keyPem: string;
}

export interface TestPki {
  ca: TestKeyPair;
  /** SANs: the `hosts` option (default 127.0.0.1, ::1, localhost); IP literals as IP entries */
  server: TestKeyPair;
  /** extended key usage clientAuth; `p12` holds key + certificate + CA, under `p12Passphrase` */
  client: TestKeyPair & { p12: Buffer; p12Passphrase: string };
}

export interface TestPkiOptions {
  hosts?: string[];
  /** validity of every certificate from now; default 365 */
  validDays?: number;
}

const DAY_MS = 86_400_000;
// notBefore one hour back: a test machine whose clock is a little behind still accepts it
const BACKDATE_MS = 3_600_000;
const DEFAULT_HOSTS = ['127.0.0.1', '::1', 'localhost'];

const cache = new Map<string, Promise<TestPki>>();

/**
 * Creates (once per process and options) a CA, a server and a client certificate signed by it.
 * Callers share the cached result: treat it as read-only.
 */
export function createTestPki(options: TestPkiOptions = {}): Promise<TestPki> {
  const hosts = options.hosts ?? DEFAULT_HOSTS;
  const validDays = options.validDays ?? 365;
  const key = JSON.stringify([hosts, validDays]);
  let pki = cache.get(key);
  if (pki === undefined) {
    pki = Promise.resolve().then(() => buildPki(hosts, validDays));
    cache.set(key, pki);
  }
  return pki;
}

function buildPki(hosts: string[], validDays: number): TestPki {
  const now = Date.now();
  const notBefore = new Date(now - BACKDATE_MS);
  const notAfter = new Date(now + validDays * DAY_MS);
  const ca = createTestCertificate({
    commonName: 'Hookline Test CA',
    isCA: true,
    notBefore,
    notAfter,
  });
  const server = createTestCertificate({
    commonName: hosts[0] ?? 'localhost',
    hosts,
    usage: 'server',
    issuer: ca,
    notBefore,
    notAfter,
  });
  const client = createTestCertificate({
    commonName: 'hookline-client',
    usage: 'client',
    issuer: ca,
    notBefore,
    notAfter,
  });
  const p12Passphrase = `p12-${randomBytes(9).toString('base64url')}`;
  const p12 = createTestPkcs12({ pair: client, chain: [ca.certPem], passphrase: p12Passphrase });
  return { ca, server, client: { ...client, p12, p12Passphrase } };
}

export interface TestCertificateOptions {
  commonName?: string;
  /** default: one hour ago */
  notBefore?: Date;
  /** default: 365 days from now; a past date gives an expired certificate */
  notAfter?: Date;
  /** a CA (basicConstraints cA, keyCertSign); default false */
  isCA?: boolean;
  /** DNS names and IP literals for subjectAltName */
  hosts?: string[];
  /** extended key usage: serverAuth, clientAuth, or none (default) */
  usage?: 'server' | 'client';
  /** the signing CA; default: self-signed */
  issuer?: TestKeyPair;
}

/**
 * Creates one certificate with a fresh RSA-2048 key: self-signed, or signed by `issuer`.
 * For the expiry rules: `certificateExpiringInDays(10)` (within the 30-day warning) or
 * `certificateExpiringInDays(-1)` (expired yesterday).
 */
export function createTestCertificate(options: TestCertificateOptions = {}): TestKeyPair {
  const now = Date.now();
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicPem);
  // 16 random bytes with the top bit cleared: a positive serial, unique across runs
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = options.notBefore ?? new Date(now - BACKDATE_MS);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * DAY_MS);
  const subject = [
    { name: 'commonName', value: options.commonName ?? 'hookline-test' },
    { name: 'organizationName', value: 'Hookline Tests' },
  ];
  cert.setSubject(subject);

  const issuerCert =
    options.issuer === undefined ? cert : forge.pki.certificateFromPem(options.issuer.certPem);
  cert.setIssuer(issuerCert.subject.attributes);
  cert.setExtensions(buildExtensions(options, issuerCert));

  const signingKey = options.issuer === undefined ? keyPem : options.issuer.keyPem;
  cert.sign(
    forge.pki.privateKeyFromPem(signingKey) as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  // forge writes CRLF line ends; OpenSSL and most files use LF
  return { certPem: forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n'), keyPem };
}

function buildExtensions(
  options: TestCertificateOptions,
  issuerCert: forge.pki.Certificate,
): object[] {
  const isCA = options.isCA ?? false;
  const extensions: object[] = [
    { name: 'basicConstraints', cA: isCA, critical: true },
    isCA
      ? {
          name: 'keyUsage',
          keyCertSign: true,
          cRLSign: true,
          digitalSignature: true,
          critical: true,
        }
      : { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (issuerCert.extensions.length > 0) {
    // issuer's key identifier, so chain builders (OpenSSL, Go, Java) match it without guessing
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: issuerSki(issuerCert) });
  }
  if (options.usage === 'server') extensions.push({ name: 'extKeyUsage', serverAuth: true });
  if (options.usage === 'client') extensions.push({ name: 'extKeyUsage', clientAuth: true });
  if (options.hosts !== undefined && options.hosts.length > 0) {
    extensions.push({
      name: 'subjectAltName',
      altNames: options.hosts.map((host) =>
        isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host },
      ),
    });
  }
  return extensions;
}

function issuerSki(issuerCert: forge.pki.Certificate): string {
  return issuerCert.generateSubjectKeyIdentifier().getBytes();
}

/** Creates a self-signed certificate whose notAfter is `days` from now (negative: expired). */
export function certificateExpiringInDays(
  days: number,
  commonName = 'hookline-expiring',
): TestKeyPair {
  const now = Date.now();
  const notAfter = new Date(now + days * DAY_MS);
  // keep notBefore before notAfter for already-expired certificates
  const notBefore = new Date(Math.min(now - BACKDATE_MS, notAfter.getTime() - DAY_MS));
  return createTestCertificate({ commonName, notBefore, notAfter, isCA: true });
}

/** Packs a key + certificate (+ chain) as PKCS#12 (AES-256 PBES2) under `passphrase`. */
export function createTestPkcs12(options: {
  pair: TestKeyPair;
  chain?: string[];
  passphrase: string;
}): Buffer {
  const key = forge.pki.privateKeyFromPem(options.pair.keyPem);
  const certs = [options.pair.certPem, ...(options.chain ?? [])].map((pem) =>
    forge.pki.certificateFromPem(pem),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, options.passphrase, {
    algorithm: 'aes256',
    friendlyName: 'hookline-client',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
