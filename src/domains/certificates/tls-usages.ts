import { sql } from 'kysely';
import type { TlsUsage } from '../../contracts/certificates.ts';
import type { Db } from '../../store/create-store.ts';
import { escapeLike } from '../../store/name-key.ts';

/** What a connection's `tls` can reference by name. */
export type TlsReferenceKind = 'certificate' | 'keystore';

/**
 * The connections that reference a certificate (in `tls.caCertificates`) or a key store
 * (`tls.keyStore`), names compared ignoring case: in their current configuration (any
 * environment), or in the revision deployed to an environment (which the runtime calls even
 * after the configuration moved on). Other old revisions are not searched: a later deploy or
 * rollback of one that names a deleted certificate fails at call time with the name
 * (resolveTlsOptions). A LIKE narrows the rows in SQL; the JSON decides.
 *
 * It reads the connections, revisions and deployments tables directly because those domains
 * have no such query yet; it belongs there (as countConnectionsUsingEnvironment does) once
 * they grow one.
 */
export async function findTlsUsages(
  db: Db,
  kind: TlsReferenceKind,
  name: string,
): Promise<TlsUsage[]> {
  const key = name.toLowerCase();
  const pattern = `%${escapeLike(key)}%`;
  const current = await db
    .selectFrom('connections')
    .select(['id', 'name', 'project_id', 'spec'])
    .where(sql<boolean>`lower(spec) LIKE ${pattern} ESCAPE '\\'`)
    .execute();
  const deployed = await db
    .selectFrom('deployments as d')
    .innerJoin('connection_revisions as r', (join) =>
      join.onRef('r.connection_id', '=', 'd.connection_id').onRef('r.revision', '=', 'd.revision'),
    )
    .innerJoin('connections as c', 'c.id', 'd.connection_id')
    .select(['c.id', 'c.name', 'c.project_id', 'd.environment_id', 'r.spec'])
    .where(sql<boolean>`lower(r.spec) LIKE ${pattern} ESCAPE '\\'`)
    .execute();

  const byConnection = new Map<string, TlsUsage>();
  const add = (row: { id: string; name: string; project_id: string | null }, envs: string[]) => {
    if (envs.length === 0) return;
    const usage = byConnection.get(row.id) ?? {
      connectionId: row.id,
      connectionName: row.name,
      project: row.project_id,
      environments: [],
    };
    for (const env of envs) if (!usage.environments.includes(env)) usage.environments.push(env);
    byConnection.set(row.id, usage);
  };
  for (const row of current) add(row, environmentsReferencing(row.spec, kind, key));
  for (const row of deployed) {
    const environment = row.environment_id.toLowerCase();
    const referencing = environmentsReferencing(row.spec, kind, key);
    add(
      row,
      referencing.some((id) => id.toLowerCase() === environment) ? [row.environment_id] : [],
    );
  }
  return [...byConnection.values()]
    .map((usage) => ({ ...usage, environments: usage.environments.sort() }))
    .sort((a, b) => a.connectionName.toLowerCase().localeCompare(b.connectionName.toLowerCase()));
}

function environmentsReferencing(specJson: string, kind: TlsReferenceKind, key: string): string[] {
  let spec: unknown;
  try {
    spec = JSON.parse(specJson);
  } catch {
    return [];
  }
  const environments = (spec as { environments?: unknown }).environments;
  if (typeof environments !== 'object' || environments === null) return [];
  const found: string[] = [];
  for (const [environmentId, params] of Object.entries(environments)) {
    const tls = (params as { tls?: { caCertificates?: unknown; keyStore?: unknown } } | null)?.tls;
    if (!tls) continue;
    const uses =
      kind === 'certificate'
        ? Array.isArray(tls.caCertificates) &&
          tls.caCertificates.some(
            (entry) => typeof entry === 'string' && entry.toLowerCase() === key,
          )
        : typeof tls.keyStore === 'string' && tls.keyStore.toLowerCase() === key;
    if (uses) found.push(environmentId);
  }
  return found;
}

/** `A (production, test), B (production)`: for the IN_USE messages. */
export function describeUsages(usages: readonly TlsUsage[]): string {
  const shown = usages
    .slice(0, 5)
    .map((usage) => `${usage.connectionName} (${usage.environments.join(', ')})`)
    .join(', ');
  return usages.length > 5 ? `${shown} and ${usages.length - 5} more` : shown;
}
