import { sql } from 'kysely';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { parseTemplate, type TemplateNamespace } from '../../contracts/templates.ts';
import type { Usage } from '../../contracts/usages.ts';
import type { Db } from '../../store/create-store.ts';
import { escapeLike } from '../../store/name-key.ts';

/** What a connection's configuration can name: `tls` entries and template references. */
export type UsageKind = 'certificate' | 'keystore' | 'secret' | 'variable';

const templateNamespaceOf: Partial<Record<UsageKind, TemplateNamespace>> = {
  secret: 'secret',
  variable: 'var',
};

/**
 * The connections that use a certificate (`tls.caCertificates`), a key store (`tls.keyStore`),
 * a secret or a variable (`{{secret.NAME}}` / `{{var.NAME}}` in the URL, a header value or the
 * signing secret; a secret also through the key stores whose passphrase it is), names compared
 * ignoring case: in their current configuration (the latest
 * revision, any environment), or in the revision deployed to an environment (which the runtime
 * calls even after the configuration moved on). Other old revisions are not searched: a later
 * deploy or rollback of one that names a deleted resource is refused or fails at call time
 * with the name.
 *
 * Two queries whatever the number of connections or revisions: a LIKE on the lower-cased spec
 * narrows the rows in SQL (deployments join their revision by primary key), the JSON decides.
 * It reads the connections, revisions and deployments tables directly because those domains
 * import this one (through the resources they check); keep the fields in step with
 * exports/export-references.ts, which lists the same references for an export.
 */
export async function findUsages(db: Db, kind: UsageKind, name: string): Promise<Usage[]> {
  const key = name.toLowerCase();
  const namespace = templateNamespaceOf[kind];
  const needle = namespace ? `${namespace}.${key}` : key;
  const pattern = `%${escapeLike(needle)}%`;
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

  const byConnection = new Map<string, Usage>();
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
  for (const row of current) add(row, environmentsUsing(row.spec, kind, key));
  for (const row of deployed) {
    const environment = row.environment_id.toLowerCase();
    const using = environmentsUsing(row.spec, kind, key);
    add(row, using.some((id) => id.toLowerCase() === environment) ? [row.environment_id] : []);
  }
  if (kind === 'secret') {
    // a key store's passphrase: the connections using that key store need the secret as well
    // (without it their mutual TLS stops at the next pool), so they count as its users
    const keyStores = await db
      .selectFrom('key_stores')
      .select('name')
      .where(sql<string>`lower(passphrase_secret)`, '=', key)
      .execute();
    for (const keyStore of keyStores) {
      for (const usage of await findUsages(db, 'keystore', keyStore.name)) {
        add(
          { id: usage.connectionId, name: usage.connectionName, project_id: usage.project },
          usage.environments,
        );
      }
    }
  }
  return [...byConnection.values()]
    .map((usage) => ({ ...usage, environments: usage.environments.sort() }))
    .sort((a, b) => a.connectionName.toLowerCase().localeCompare(b.connectionName.toLowerCase()));
}

interface StoredParams {
  url?: unknown;
  headers?: unknown;
  signing?: { secret?: unknown };
  tls?: { caCertificates?: unknown; keyStore?: unknown };
}

/** The environment ids of a stored spec whose parameters use the resource. */
function environmentsUsing(specJson: string, kind: UsageKind, key: string): string[] {
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
    if (typeof params === 'object' && params !== null && uses(params, kind, key)) {
      found.push(environmentId);
    }
  }
  return found;
}

function uses(params: StoredParams, kind: UsageKind, key: string): boolean {
  const namespace = templateNamespaceOf[kind];
  if (namespace) return templateTextsOf(params).some((text) => names(text, namespace, key));
  const tls = params.tls;
  if (!tls) return false;
  if (kind === 'keystore')
    return typeof tls.keyStore === 'string' && tls.keyStore.toLowerCase() === key;
  return (
    Array.isArray(tls.caCertificates) &&
    tls.caCertificates.some((entry) => typeof entry === 'string' && entry.toLowerCase() === key)
  );
}

/** The fields templates may use: the URL, header values and the signing secret. */
function templateTextsOf(params: StoredParams): string[] {
  const texts: unknown[] = [params.url, params.signing?.secret];
  if (Array.isArray(params.headers)) {
    for (const header of params.headers) texts.push((header as { value?: unknown } | null)?.value);
  }
  return texts.filter((text): text is string => typeof text === 'string');
}

function names(text: string, namespace: TemplateNamespace, key: string): boolean {
  const parsed = parseTemplate(text);
  // a saved configuration always parses; a text that does not refers to nothing
  if ('problem' in parsed) return false;
  return parsed.references.some(
    (reference) => reference.namespace === namespace && reference.name.toLowerCase() === key,
  );
}

/** `A (production, test), B (production)`: for the IN_USE messages. */
export function describeUsages(usages: readonly Usage[]): string {
  const shown = usages
    .slice(0, 5)
    .map((usage) => `${usage.connectionName} (${usage.environments.join(', ')})`)
    .join(', ');
  return usages.length > 5 ? `${shown} and ${usages.length - 5} more` : shown;
}

/**
 * What every delete of a named resource does first (in its transaction, after the name lock):
 * refuse with `code` (409) while connections use it, naming them in the message and in
 * `details.usages`; `advice` says how to stop using it.
 */
export async function refuseWhileUsed(
  db: Db,
  options: { kind: UsageKind; name: string; code: ErrorCode; what: string; advice: string },
): Promise<void> {
  const usages = await findUsages(db, options.kind, options.name);
  if (usages.length === 0) return;
  const count = `${usages.length} connection${usages.length === 1 ? '' : 's'}`;
  throw new AppError(
    options.code,
    `${options.what} '${options.name}' is used by ${count}: ${describeUsages(usages)}; ${options.advice}`,
    { usages },
  );
}
