import type { Warning } from '../../contracts/common.ts';
import type { Secret } from '../../contracts/secrets.ts';
import type { SecretRecord } from './secret.repo.ts';

/** The API representation: metadata and where the value comes from, never the value. */
export function toSecret(record: SecretRecord): Secret {
  const { origin } = record;
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    source: origin.source,
    ...(origin.source === 'env' ? { env: origin.envVar } : {}),
    ...(origin.source === 'file' ? { file: origin.filePath } : {}),
    ...(origin.source === 'stored' ? { keyId: origin.sealed.keyId } : {}),
    version: record.version,
    createdAt: record.createdAt,
    createdBy: record.createdBy,
    updatedAt: record.updatedAt,
    updatedBy: record.updatedBy,
  };
}

export function withWarnings(secret: Secret, warnings: Warning[]): Secret {
  return warnings.length > 0 ? { ...secret, warnings } : secret;
}
