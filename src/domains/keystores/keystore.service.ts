import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  KeyStore,
  KeyStoreIn,
  KeyStoreListQuery,
  KeyStoreReplace,
} from '../../contracts/keystores.ts';
import type { Usage } from '../../contracts/usages.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import {
  createTlsChangeListeners,
  toPemBundle,
  type CertificateService,
  type TlsChangeListener,
  type TlsObjectChange,
} from '../certificates/index.ts';
import {
  createAuditRecorder,
  createChangeRunner,
  findAndLock,
  findNamed,
  insertNamed,
  lockName,
  nameTaken,
  findUsages,
  readNamePage,
  refuseWhileUsed,
  type NamedLookup,
} from '../named-resources/index.ts';
import type { KeyMaterialCipher } from './key-material-cipher.ts';
import {
  deleteKeyStore,
  findKeyStore,
  findKeyStoreByName,
  insertKeyStore,
  listKeyStores,
  updateKeyStore,
  type KeyStoreRecord,
} from './keystore.repo.ts';
import { toKeyStore } from './keystore-view.ts';
import {
  decodePkcs12Base64,
  readPemKeyStore,
  readPkcs12KeyStore,
  type Passphrase,
} from './read-key-store.ts';
import { createTlsResolver, keyMaterialAad } from './resolve-tls-options.ts';

export interface KeyStoreServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** seals the private key / PKCS#12 before it is stored (key-material-cipher.ts) */
  cipher: KeyMaterialCipher;
  /** the value of a secret by name (passphrases); undefined when there is none */
  resolveSecret(name: string): Promise<string | undefined>;
  /** CA certificates by name, and their change events */
  certificates: Pick<CertificateService, 'readPems' | 'onChange'>;
  /**
   * The trust a connection's own CA certificates are added to. Default: Node's default set
   * (Mozilla's roots, NODE_EXTRA_CA_CERTS, and the system store under --use-system-ca).
   */
  defaultCaCertificates?: () => readonly string[];
}

type KeyStoreBody = KeyStoreIn | KeyStoreReplace;

const lookup: NamedLookup<KeyStoreRecord> = {
  kind: 'keystore',
  what: 'key store',
  find: findKeyStore,
};

function keyStoreExists(name: string) {
  return nameTaken(
    'KEY_STORE_EXISTS',
    'key store',
    name,
    'replace its content (a renewed certificate) instead of creating it again',
  );
}

/** `{{secret.NAME}}` → NAME (the contract has checked the shape). */
function secretNameOf(reference: string): string {
  return /\{\{\s*secret\.([^\s}]+)\s*\}\}/.exec(reference)?.[1] ?? reference;
}

/**
 * Key stores: a client certificate with its private key (PEM, or PKCS#12 with a passphrase
 * from the secret store) for mutual TLS, named by a connection's `tls.keyStore`. The key
 * material is sealed before it is stored and never answered, logged or audited.
 */
export function createKeyStoreService(deps: KeyStoreServiceDeps) {
  const { store, clock, audit, cipher } = deps;
  const resolver = createTlsResolver(deps);
  const listeners = createTlsChangeListeners();
  // toKeyStore carries the certificate summary and the passphrase's secret name only
  const recordAudit = createAuditRecorder(audit, 'keystore', (record: KeyStoreRecord) =>
    toKeyStore(record, {}),
  );

  /** One transaction; listeners are told after the commit. */
  const change = createChangeRunner<TlsObjectChange>({
    store,
    nameTaken: keyStoreExists,
    afterCommit: listeners.emit,
  });

  async function resolvePassphrase(reference: string | undefined): Promise<Passphrase | undefined> {
    if (reference === undefined) return undefined;
    const secretName = secretNameOf(reference);
    const value = await deps.resolveSecret(secretName);
    if (value === undefined) {
      throw validationFailed([
        {
          path: 'passphrase',
          message: `secret '${secretName}' does not exist or cannot be read now: store the passphrase as a secret first, then refer to it as {{secret.${secretName}}}`,
        },
      ]);
    }
    return { secretName, value };
  }

  /**
   * Checks a body (the key opens, it belongs to the certificate) and answers what is stored:
   * the certificate chain in PEM and the material to seal. Problems by field path.
   */
  async function readBody(body: KeyStoreBody): Promise<{
    certificatePem: string;
    material: Buffer;
    passphraseSecret: string | null;
  }> {
    const passphrase = await resolvePassphrase(body.passphrase);
    if (body.format === 'pem') {
      const read = readPemKeyStore(body, passphrase);
      if ('problems' in read) throw validationFailed(read.problems);
      return {
        certificatePem: toPemBundle(read.content.certificates),
        // the key block as given: an encrypted key stays encrypted under its passphrase too
        material: Buffer.from(read.content.keyBlock.trimEnd() + '\n', 'utf8'),
        passphraseSecret: passphrase?.secretName ?? null,
      };
    }
    const bytes = decodePkcs12Base64(body.pkcs12Base64);
    if ('problems' in bytes) throw validationFailed(bytes.problems);
    const read = readPkcs12KeyStore(bytes.content, passphrase as Passphrase);
    if ('problems' in read) throw validationFailed(read.problems);
    return {
      certificatePem: toPemBundle(read.content.certificates),
      material: bytes.content,
      passphraseSecret: (passphrase as Passphrase).secretName,
    };
  }

  return {
    async list(query: KeyStoreListQuery): Promise<{ items: KeyStore[]; next: string | null }> {
      const { page, next } = await readNamePage(query, 'k', (filter) =>
        listKeyStores(store.db, filter),
      );
      const now = clock.now();
      return { items: page.map((record) => toKeyStore(record, { now })), next };
    },

    /**
     * Whether a key store of this id or name exists, read through `db` (a connection's save
     * checks its tls names inside its own transaction).
     */
    async exists(idOrName: string, db: Db = store.db): Promise<boolean> {
      return (await lookup.find(db, idOrName)) !== undefined;
    },

    async get(idOrName: string): Promise<KeyStore> {
      const found = await findNamed(store.db, lookup, idOrName);
      return toKeyStore(found, { now: clock.now() });
    },

    async create(input: KeyStoreIn, actor: Actor): Promise<KeyStore> {
      const read = await readBody(input);
      const now = clock.now();
      const id = createId('kst', now.getTime());
      const created: KeyStoreRecord = {
        id,
        name: input.name,
        description: input.description,
        format: input.format,
        certificatePem: read.certificatePem,
        sealedMaterial: cipher.encrypt(read.material, keyMaterialAad(id)),
        passphraseSecret: read.passphraseSecret,
        version: 1,
        createdAt: now.toISOString(),
        createdBy: actor.name,
        updatedAt: now.toISOString(),
        updatedBy: actor.name,
      };
      await change(async (tx) => {
        await lockName(store, tx, 'keystore', input.name);
        const existing = await findKeyStoreByName(tx, input.name);
        if (existing) throw keyStoreExists(existing.name);
        await insertNamed('key_stores', () => insertKeyStore(tx, created));
        await recordAudit(tx, actor, 'keystore.create', undefined, created);
        return {
          result: undefined,
          change: { kind: 'keystore', name: created.name, action: 'create' },
        };
      }, input.name);
      return toKeyStore(created, { now: clock.now() });
    },

    /** PUT: new content (a renewed certificate, another format) under the same name. */
    async replace(idOrName: string, input: KeyStoreReplace, actor: Actor): Promise<KeyStore> {
      const read = await readBody(input);
      const record = await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        const after: KeyStoreRecord = {
          ...before,
          description: input.description ?? before.description,
          format: input.format,
          certificatePem: read.certificatePem,
          sealedMaterial: cipher.encrypt(read.material, keyMaterialAad(before.id)),
          passphraseSecret: read.passphraseSecret,
          version: before.version + 1,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.name,
        };
        await updateKeyStore(tx, after);
        await recordAudit(tx, actor, 'keystore.replace', before, after);
        return { result: after, change: { kind: 'keystore', name: after.name, action: 'update' } };
      });
      return toKeyStore(record, { now: clock.now() });
    },

    /** Refused with KEY_STORE_IN_USE while a connection's tls.keyStore names it. */
    async remove(idOrName: string, actor: Actor): Promise<void> {
      await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        await refuseWhileUsed(tx, {
          kind: 'keystore',
          name: before.name,
          code: 'KEY_STORE_IN_USE',
          what: 'key store',
          advice:
            'point their tls.keyStore elsewhere (and redeploy where a deployed revision uses it) first',
        });
        await deleteKeyStore(tx, before.id);
        await recordAudit(tx, actor, 'keystore.delete', before, undefined);
        return {
          result: undefined,
          change: { kind: 'keystore', name: before.name, action: 'delete' },
        };
      });
    },

    /**
     * For the dispatch engine: the TLS options of a connection's `tls` settings in one
     * environment (resolve-tls-options.ts). Throws TlsMaterialError naming a missing
     * certificate or key store, or a passphrase secret that does not resolve.
     */
    resolveTlsOptions: resolver.resolveTlsOptions,

    /** The names a `tls` setting references that do not exist (for save or deploy checks). */
    findMissingReferences: resolver.findMissingReferences,

    /** Which connections name the key store in their tls.keyStore, per environment. */
    async usages(idOrName: string): Promise<Usage[]> {
      const found = await findNamed(store.db, lookup, idOrName);
      return findUsages(store.db, 'keystore', found.name);
    },

    /** Calls `listener` after every committed change of a key store. */
    onChange: listeners.onChange,

    /**
     * Calls `listener` after every committed change of a certificate or a key store: what
     * resolveTlsOptions answers may differ from then on. Answers the unsubscribe.
     */
    onTlsChange(listener: TlsChangeListener): () => void {
      const stopCertificates = deps.certificates.onChange(listener);
      const stopKeyStores = listeners.onChange(listener);
      return () => {
        stopCertificates();
        stopKeyStores();
      };
    },
  };
}

export type KeyStoreService = ReturnType<typeof createKeyStoreService>;
