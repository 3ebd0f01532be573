import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { validationFailed } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type {
  Certificate,
  CertificateIn,
  CertificateListQuery,
  CertificateReplace,
} from '../../contracts/certificates.ts';
import type { Usage } from '../../contracts/usages.ts';
import type { Db, Store } from '../../store/create-store.ts';
import { nameKeyOf } from '../../store/name-key.ts';
import type { AuditService } from '../audit/index.ts';
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
import {
  deleteCertificate,
  findCertificate,
  findCertificatesByName,
  insertCertificate,
  listCertificates,
  updateCertificate,
  type CertificateRecord,
} from './certificate.repo.ts';
import { toCertificate } from './certificate-view.ts';
import { createTlsChangeListeners, type TlsObjectChange } from './change-listeners.ts';
import { parseCertificatePem, toPemBundle } from './parse-pem.ts';

export interface CertificateServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
}

/** Where a private key pasted into a certificate goes instead. */
const keyAdvice =
  'a certificate entry holds only public CA certificates; put a client certificate and its key in a key store instead';

const lookup: NamedLookup<CertificateRecord> = {
  kind: 'certificate',
  what: 'certificate',
  find: findCertificate,
};

function certificateExists(name: string) {
  return nameTaken(
    'CERTIFICATE_EXISTS',
    'certificate',
    name,
    'replace its content (a renewed CA) instead of creating it again',
  );
}

/**
 * Certificates: named PEM entries of one or more CA certificates that connections trust in
 * addition to the public roots (`tls.caCertificates`). Public material, answered in full.
 */
export function createCertificateService(deps: CertificateServiceDeps) {
  const { store, clock, audit } = deps;
  const listeners = createTlsChangeListeners();
  // the summaries and fingerprints say what changed; the PEM itself would only bloat it
  const recordAudit = createAuditRecorder(audit, 'certificate', (record: CertificateRecord) =>
    toCertificate(record, {}),
  );

  /** One transaction; listeners are told after the commit. */
  const change = createChangeRunner<TlsObjectChange>({
    store,
    nameTaken: certificateExists,
    afterCommit: listeners.emit,
  });

  function readPem(pem: string): string {
    const parsed = parseCertificatePem(pem, 'pem', keyAdvice);
    if ('problems' in parsed) throw validationFailed(parsed.problems);
    return toPemBundle(parsed.certificates);
  }

  return {
    async list(
      query: CertificateListQuery,
    ): Promise<{ items: Certificate[]; next: string | null }> {
      const { page, next } = await readNamePage(query, 'c', (filter) =>
        listCertificates(store.db, filter),
      );
      const now = clock.now();
      return { items: page.map((record) => toCertificate(record, { now })), next };
    },

    /**
     * Whether a certificate of this id or name exists, read through `db` (a connection's save
     * checks its tls names inside its own transaction).
     */
    async exists(idOrName: string, db: Db = store.db): Promise<boolean> {
      return (await lookup.find(db, idOrName)) !== undefined;
    },

    async get(idOrName: string): Promise<Certificate> {
      const found = await findNamed(store.db, lookup, idOrName);
      return toCertificate(found, { now: clock.now(), withPem: true });
    },

    async create(input: CertificateIn, actor: Actor): Promise<Certificate> {
      const pem = readPem(input.pem);
      const record = await change(async (tx) => {
        await lockName(store, tx, 'certificate', input.name);
        const [existing] = await findCertificatesByName(tx, [input.name]);
        if (existing) throw certificateExists(existing.name);
        const now = clock.now().toISOString();
        const created: CertificateRecord = {
          id: createId('crt', clock.now().getTime()),
          name: input.name,
          description: input.description,
          pem,
          version: 1,
          createdAt: now,
          createdBy: actor.name,
          updatedAt: now,
          updatedBy: actor.name,
        };
        await insertNamed('certificates', () => insertCertificate(tx, created));
        await recordAudit(tx, actor, 'certificate.create', undefined, created);
        return {
          result: created,
          change: { kind: 'certificate', name: created.name, action: 'create' },
        };
      }, input.name);
      return toCertificate(record, { now: clock.now(), withPem: true });
    },

    /** PUT: new PEM content under the same name, version + 1 (connections pick it up). */
    async replace(idOrName: string, input: CertificateReplace, actor: Actor): Promise<Certificate> {
      const pem = readPem(input.pem);
      const record = await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        const after: CertificateRecord = {
          ...before,
          description: input.description ?? before.description,
          pem,
          version: before.version + 1,
          updatedAt: clock.now().toISOString(),
          updatedBy: actor.name,
        };
        await updateCertificate(tx, after);
        await recordAudit(tx, actor, 'certificate.replace', before, after);
        return {
          result: after,
          change: { kind: 'certificate', name: after.name, action: 'update' },
        };
      });
      return toCertificate(record, { now: clock.now(), withPem: true });
    },

    /** Refused with CERTIFICATE_IN_USE while a connection's tls.caCertificates names it. */
    async remove(idOrName: string, actor: Actor): Promise<void> {
      await change(async (tx) => {
        const before = await findAndLock(store, tx, lookup, idOrName);
        await refuseWhileUsed(tx, {
          kind: 'certificate',
          name: before.name,
          code: 'CERTIFICATE_IN_USE',
          what: 'certificate',
          advice:
            'remove it from their tls.caCertificates (and redeploy where a deployed revision trusts it) first',
        });
        await deleteCertificate(tx, before.id);
        await recordAudit(tx, actor, 'certificate.delete', before, undefined);
        return {
          result: undefined,
          change: { kind: 'certificate', name: before.name, action: 'delete' },
        };
      });
    },

    /**
     * The PEM of each named certificate (names ignore case), in the order asked, and the
     * names that have none. For resolveTlsOptions and for checks of a connection's `tls`.
     */
    async readPems(names: readonly string[]): Promise<{ pems: string[]; missing: string[] }> {
      const found = await findCertificatesByName(store.db, names);
      const byKey = new Map(found.map((record) => [nameKeyOf(record.name), record.pem]));
      const pems: string[] = [];
      const missing: string[] = [];
      for (const name of names) {
        const pem = byKey.get(nameKeyOf(name));
        if (pem === undefined) missing.push(name);
        else pems.push(pem);
      }
      return { pems, missing };
    },

    /** Which connections trust the certificate, per environment (NOT_FOUND: no such one). */
    async usages(idOrName: string): Promise<Usage[]> {
      const found = await findNamed(store.db, lookup, idOrName);
      return findUsages(store.db, 'certificate', found.name);
    },

    /** Calls `listener` after every committed change of a certificate. */
    onChange: listeners.onChange,
  };
}

export type CertificateService = ReturnType<typeof createCertificateService>;
