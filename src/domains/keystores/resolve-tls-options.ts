import { createPrivateKey, type KeyObject } from 'node:crypto';
import { getCACertificates } from 'node:tls';
import type { EnvironmentParams } from '../../contracts/connections.ts';
import type { Store } from '../../store/create-store.ts';
import { splitPemBlocks, type CertificateService } from '../certificates/index.ts';
import { KeyMaterialCipherError, type KeyMaterialCipher } from './key-material-cipher.ts';
import { findKeyStoreByName, type KeyStoreRecord } from './keystore.repo.ts';
import { openPkcs12 } from './open-pkcs12.ts';
import { TlsMaterialError } from './tls-material-error.ts';

/** What `resolveTlsOptions` answers: undici/tls `connect` options for one connection. */
export interface TlsOptions {
  /** the default roots followed by the connection's own CA certificates, one PEM each */
  ca?: string[];
  /** the client certificate, then its chain (PEM) */
  cert?: string;
  /** the client's private key, PKCS#8 PEM, unencrypted (in memory only) */
  key?: string;
  rejectUnauthorized: boolean;
}

export interface TlsResolverDeps {
  store: Store;
  cipher: KeyMaterialCipher;
  resolveSecret(name: string): Promise<string | undefined>;
  certificates: Pick<CertificateService, 'readPems'>;
  /** default: Node's default set (tls.getCACertificates('default')) */
  defaultCaCertificates?: () => readonly string[];
}

/** The additional authenticated data binding sealed material to its key store. */
export function keyMaterialAad(keyStoreId: string): string {
  return `hookline:keystore:v1:${keyStoreId}`;
}

/** Turns a connection's `tls` settings into TLS options, reading certificates and key stores. */
export function createTlsResolver(deps: TlsResolverDeps) {
  const { store, cipher } = deps;
  // Mozilla's roots, NODE_EXTRA_CA_CERTS, and the system store under --use-system-ca
  const defaultCa = deps.defaultCaCertificates ?? (() => getCACertificates('default'));

  /** The key of a stored key store, decrypted for a TLS context; errors name the key store. */
  async function openPrivateKey(record: KeyStoreRecord): Promise<KeyObject> {
    let material: Buffer;
    try {
      material = cipher.decrypt(record.sealedMaterial, keyMaterialAad(record.id));
    } catch (error) {
      const why = error instanceof KeyMaterialCipherError ? error.message : 'it does not open';
      throw new TlsMaterialError(
        'keystore',
        [record.name],
        'unreadable',
        `key store '${record.name}' cannot be used: ${why}`,
      );
    }
    let passphrase: string | undefined;
    if (record.passphraseSecret !== null) {
      passphrase = await deps.resolveSecret(record.passphraseSecret);
      if (passphrase === undefined) {
        throw new TlsMaterialError(
          'keystore',
          [record.name],
          'passphrase-unresolved',
          `the passphrase of key store '${record.name}' cannot be resolved: secret '${record.passphraseSecret}' does not exist or cannot be read`,
        );
      }
    }
    try {
      if (record.format === 'pem') {
        const pem = material.toString('utf8');
        return createPrivateKey(passphrase === undefined ? pem : { key: pem, passphrase });
      }
      const key = openPkcs12(material, passphrase ?? '').keys[0];
      if (!key) throw new Error('no key');
      return key;
    } catch {
      throw new TlsMaterialError(
        'keystore',
        [record.name],
        'unreadable',
        record.passphraseSecret === null
          ? `the private key of key store '${record.name}' cannot be read`
          : `the private key of key store '${record.name}' does not open with the passphrase in secret '${record.passphraseSecret}' (was the secret changed to another value?)`,
      );
    }
  }

  return {
    /**
     * `verify` → rejectUnauthorized; `caCertificates` are added to the default roots (only
     * when verifying: with verify off no CA is consulted); `keyStore` gives cert (+ chain)
     * and an unencrypted PKCS#8 key, PKCS#12 converted to PEM. Throws TlsMaterialError
     * naming a missing certificate or key store, or a passphrase secret that does not resolve.
     */
    async resolveTlsOptions(tls: EnvironmentParams['tls']): Promise<TlsOptions> {
      const options: TlsOptions = { rejectUnauthorized: tls.verify };
      if (tls.verify && tls.caCertificates.length > 0) {
        const { pems, missing } = await deps.certificates.readPems(tls.caCertificates);
        if (missing.length > 0) {
          throw new TlsMaterialError(
            'certificate',
            missing,
            'missing',
            `${missing.length === 1 ? 'certificate' : 'certificates'} ${missing.map((name) => `'${name}'`).join(', ')} named in tls.caCertificates ${missing.length === 1 ? 'does' : 'do'} not exist`,
          );
        }
        const own = pems.flatMap((pem) => splitPemBlocks(pem).map((block) => `${block.text}\n`));
        // Node's `ca` replaces the default roots; a connection's CAs are extra trust
        options.ca = [...defaultCa(), ...own];
      }
      if (tls.keyStore !== null) {
        const record = await findKeyStoreByName(store.db, tls.keyStore);
        if (!record) {
          throw new TlsMaterialError(
            'keystore',
            [tls.keyStore],
            'missing',
            `key store '${tls.keyStore}' named in tls.keyStore does not exist`,
          );
        }
        const key = await openPrivateKey(record);
        options.cert = record.certificatePem;
        options.key = key.export({ type: 'pkcs8', format: 'pem' }).toString();
      }
      return options;
    },

    /** The names a `tls` setting references that do not exist: `{certificates, keyStore}`. */
    async findMissingReferences(
      tls: Pick<EnvironmentParams['tls'], 'caCertificates' | 'keyStore'>,
    ): Promise<{ certificates: string[]; keyStore: string | null }> {
      const { missing } = await deps.certificates.readPems(tls.caCertificates);
      const keyStore =
        tls.keyStore !== null && !(await findKeyStoreByName(store.db, tls.keyStore))
          ? tls.keyStore
          : null;
      return { certificates: missing, keyStore };
    },
  };
}

export type TlsResolver = ReturnType<typeof createTlsResolver>;
