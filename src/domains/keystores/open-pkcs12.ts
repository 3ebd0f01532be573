import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** What a PKCS#12 file holds, decrypted: its private keys and certificates, in file order. */
export interface Pkcs12Contents {
  keys: KeyObject[];
  certificates: X509Certificate[];
}

/** Why a PKCS#12 file could not be opened; never with the passphrase or key in it. */
export class Pkcs12Error extends Error {
  readonly reason: 'not-pkcs12' | 'wrong-passphrase' | 'unsupported';
  constructor(reason: 'not-pkcs12' | 'wrong-passphrase' | 'unsupported', message: string) {
    super(message);
    this.name = 'Pkcs12Error';
    this.reason = reason;
  }
}

/**
 * Opens a PKCS#12 (.p12/.pfx) file with node-forge: Node's OpenSSL opens one only inside a TLS
 * context (`pfx`), and without the legacy provider not the RC2/3DES files that older tools
 * and Windows still export; forge reads those and the AES/PBKDF2-SHA256 files of OpenSSL 3
 * and Java. Keys forge cannot model (EC, Ed25519) are taken as PKCS#8 DER into node:crypto.
 */
export function openPkcs12(bytes: Buffer, passphrase: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
  } catch {
    throw new Pkcs12Error('not-pkcs12', 'not a PKCS#12 file');
  }
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (error) {
    const message = (error as Error).message;
    if (/password|MAC could not be verified/i.test(message)) {
      throw new Pkcs12Error('wrong-passphrase', 'the passphrase does not open it');
    }
    if (/unsupported|unknown/i.test(message)) {
      throw new Pkcs12Error('unsupported', `it uses something not supported (${message})`);
    }
    throw new Pkcs12Error('not-pkcs12', 'not a PKCS#12 file');
  }

  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  try {
    for (const safeContents of pfx.safeContents) {
      for (const bag of safeContents.safeBags) {
        if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
          keys.push(keyOf(bag));
        } else if (bag.type === forge.pki.oids.certBag) {
          certificates.push(certificateOf(bag));
        }
      }
    }
  } catch (error) {
    if (error instanceof Pkcs12Error) throw error;
    throw new Pkcs12Error('not-pkcs12', 'its keys or certificates cannot be read');
  }
  return { keys, certificates };
}

type Bag = forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };

function keyOf(bag: Bag): KeyObject {
  if (bag.key) {
    // RSA, which forge models: PKCS#1 PEM, then node:crypto
    return createPrivateKey(forge.pki.privateKeyToPem(bag.key));
  }
  if (bag.asn1) {
    // forge could not model the key (EC, Ed25519) and left its PrivateKeyInfo as ASN.1
    return createPrivateKey({ key: derOf(bag.asn1), format: 'der', type: 'pkcs8' });
  }
  throw new Pkcs12Error('unsupported', 'a key bag holds no key');
}

function certificateOf(bag: Bag): X509Certificate {
  if (bag.cert) return new X509Certificate(derOf(forge.pki.certificateToAsn1(bag.cert)));
  // forge parses only RSA certificates; others come as the raw ASN.1 of the certificate
  if (bag.asn1) return new X509Certificate(derOf(bag.asn1));
  throw new Pkcs12Error('unsupported', 'a certificate bag holds no X.509 certificate');
}

function derOf(asn1: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}
