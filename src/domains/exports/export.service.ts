import { createHash } from 'node:crypto';
import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import type { ExportBundleQuery } from '../../contracts/exports.ts';
import { AppError } from '../../core/errors.ts';
import type { Connection } from '../../contracts/connections.ts';
import {
  exportCredentialPlaceholder,
  exportFormatVersion,
  type ExportDependencyKind,
  type ExportedSecrets,
  type ExportedVariables,
  type ExportMetadata,
} from '../../contracts/exports.ts';
import type { Store } from '../../store/create-store.ts';
import { maskSecrets, type AuditService } from '../audit/index.ts';
import type { CertificateService } from '../certificates/index.ts';
import type { ConnectionService } from '../connections/index.ts';
import type { KeyStoreService } from '../keystores/index.ts';
import type { SecretService } from '../secrets/index.ts';
import type { VariableService } from '../variables/index.ts';
import { buildZip, checksumsOf, jsonFile, type ArchiveFile } from './export-archive.ts';
import { exportBundle } from './export-bundle.ts';
import { exportFileName } from './export-file-name.ts';
import { collectReferences, createCollector, type Reference } from './export-references.ts';
import { findKeyStoreChainPem } from './key-store-chain.repo.ts';

export interface ExportServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** `hookline <version>`, written into metadata.json */
  exporter: string;
  connections: Pick<ConnectionService, 'get'>;
  certificates: Pick<CertificateService, 'get'>;
  keyStores: Pick<KeyStoreService, 'get'>;
  secrets: Pick<SecretService, 'get'>;
  variables: Pick<VariableService, 'get'>;
}

/** An export, ready to send: the zip and the name to save it under. */
export interface ConnectionExport {
  fileName: string;
  archive: Buffer;
  connection: { id: string; name: string; revision: number };
}

/** The resource, or undefined when the store has none by that name (NOT_FOUND). */
async function findOptional<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** `{{secret.NAME}}` → NAME (key store answers hold the reference). */
function secretNameOf(reference: string): string | undefined {
  return /^\{\{\s*secret\.([^\s}]+)\s*\}\}$/.exec(reference)?.[1];
}

/**
 * The connection with every literal credential header's value replaced by the placeholder
 * (the values the audit log masks: contracts/headers.ts decides which names), and where they
 * were, for metadata.json's `valuesToSet`. `{{secret.NAME}}` references stay.
 */
function withoutLiteralCredentials(connection: Connection): {
  connection: Connection;
  valuesToSet: ExportMetadata['valuesToSet'];
} {
  const valuesToSet: ExportMetadata['valuesToSet'] = [];
  const environments: Connection['environments'] = {};
  for (const [environment, params] of Object.entries(connection.environments)) {
    const masked = maskSecrets({ headers: params.headers }) as { headers: typeof params.headers };
    environments[environment] = {
      ...params,
      headers: params.headers.map((header, index) => {
        if (masked.headers[index]?.value === header.value) return header;
        valuesToSet.push({ environment, header: header.name });
        return { ...header, value: exportCredentialPlaceholder };
      }),
    };
  }
  return { connection: { ...connection, environments }, valuesToSet };
}

/**
 * Connection exports (DESIGN §3 "Export archive"): one zip with the connection as the API
 * shows it, metadata.json (format version, exporter, time, who, SHA-256 of every other file)
 * and its dependencies — certificates, key stores' public chains, and the secrets and
 * variables its templates use. Secret values, private keys, PKCS#12 files and passphrases are
 * never read on the way: an export cannot leak what it never holds. Every export is audited.
 * The layout is described in docs/reference/export-format.md.
 */
export function createExportService(deps: ExportServiceDeps) {
  const { store, clock, audit } = deps;

  /** Builds the archive of `idOrName` (`project`: where a name is looked up) and audits it. */
  async function exportConnection(
    idOrName: string,
    actor: Actor,
    options: { project?: string } = {},
  ): Promise<ConnectionExport & { project: string | null }> {
    const exportedAt = clock.now();
    const { connection, valuesToSet } = withoutLiteralCredentials(
      await deps.connections.get(idOrName, options),
    );
    const files: ArchiveFile[] = [jsonFile('connection.json', connection)];
    const included: Record<ExportDependencyKind, string[]> = {
      certificate: [],
      keystore: [],
      secret: [],
      variable: [],
    };
    const missing: ExportMetadata['dependencies']['missing'] = [];

    const referenced = collectReferences(connection);
    for (const reference of referenced.certificate) {
      const certificate = await findOptional(() => deps.certificates.get(reference.name));
      if (!certificate) {
        missing.push({ kind: 'certificate', name: reference.name });
        continue;
      }
      const { pem, ...summary } = certificate;
      const at = `dependencies/certificates/${certificate.name}`;
      files.push(jsonFile(`${at}.json`, summary));
      files.push({ path: `${at}.pem`, content: Buffer.from(pem ?? '', 'utf8') });
      included.certificate.push(certificate.name);
    }

    // a key store's passphrase lives in the secret store: its name joins the secrets
    const secretReferences = createCollector(referenced);
    for (const reference of referenced.keystore) {
      const keyStore = await findOptional(() => deps.keyStores.get(reference.name));
      const chainPem = keyStore && (await findKeyStoreChainPem(store.db, keyStore.name));
      if (!keyStore || chainPem === undefined) {
        missing.push({ kind: 'keystore', name: reference.name });
        continue;
      }
      const at = `dependencies/keystores/${keyStore.name}`;
      files.push(jsonFile(`${at}.json`, keyStore));
      files.push({ path: `${at}.pem`, content: Buffer.from(chainPem, 'utf8') });
      included.keystore.push(keyStore.name);
      const passphraseSecret = keyStore.passphrase && secretNameOf(keyStore.passphrase);
      if (passphraseSecret) {
        secretReferences.add('secret', passphraseSecret, `keystores.${keyStore.name}.passphrase`);
      }
    }

    const secrets: ExportedSecrets['secrets'] = [];
    for (const reference of secretReferences.result().secret) {
      // metadata only: where the value comes from, never the value (nor the env/file name)
      const secret = await findOptional(() => deps.secrets.get(reference.name));
      if (!secret) {
        missing.push({ kind: 'secret', name: reference.name });
        continue;
      }
      secrets.push(
        dependencyEntry(reference, secret.name, {
          description: secret.description,
          source: secret.source,
        }),
      );
      included.secret.push(secret.name);
    }
    files.push(jsonFile('dependencies/secrets.json', { secrets } satisfies ExportedSecrets));

    const variables: ExportedVariables['variables'] = [];
    for (const reference of referenced.variable) {
      const variable = await findOptional(() => deps.variables.get(reference.name));
      if (!variable) {
        missing.push({ kind: 'variable', name: reference.name });
        continue;
      }
      variables.push(
        dependencyEntry(reference, variable.name, {
          description: variable.description,
          values: variable.values,
        }),
      );
      included.variable.push(variable.name);
    }
    files.push(jsonFile('dependencies/variables.json', { variables } satisfies ExportedVariables));

    const metadata: ExportMetadata = {
      formatVersion: exportFormatVersion,
      exporter: deps.exporter,
      exportedAt: exportedAt.toISOString(),
      exportedBy: actor.name,
      connection: {
        id: connection.id,
        name: connection.name,
        project: connection.project,
        revision: connection.revision,
      },
      dependencies: {
        certificates: included.certificate,
        keyStores: included.keystore,
        secrets: included.secret,
        variables: included.variable,
        missing,
      },
      files: checksumsOf(files),
      valuesToSet,
    };
    const archive = await buildZip([jsonFile('metadata.json', metadata), ...files], exportedAt);
    const fileName = exportFileName(connection.name, exportedAt);

    await audit.record(store.db, {
      actor,
      action: 'connection.export',
      targetType: 'connection',
      targetId: connection.id,
      targetName: connection.name,
      after: {
        revision: connection.revision,
        fileName,
        sha256: createHash('sha256').update(archive).digest('hex'),
      },
    });
    return {
      fileName,
      archive,
      connection: { id: connection.id, name: connection.name, revision: connection.revision },
      project: connection.project,
    };
  }

  return {
    exportConnection,
    /**
     * One archive of several connections (each one's own archive inside, each export
     * audited); any not found refuses the whole export.
     */
    exportConnections: (request: ExportBundleQuery, actor: Actor) =>
      exportBundle(
        {
          exporter: deps.exporter,
          now: () => clock.now(),
          resolve: async (idOrName, options) => (await deps.connections.get(idOrName, options)).id,
          exportConnection,
        },
        request,
        actor,
      ),
  };
}

/** A secrets.json / variables.json entry: the stored name, its fields, where it is used. */
function dependencyEntry<T extends object>(
  reference: Reference,
  name: string,
  fields: T,
): { name: string; usedBy: string[] } & T {
  return { name, ...fields, usedBy: reference.usedBy };
}

export type ExportService = ReturnType<typeof createExportService>;
