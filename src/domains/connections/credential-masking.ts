import type { Actor } from '../../core/context.ts';
import type { Connection, Revision } from '../../contracts/connections.ts';
import { roleAllows } from '../access/index.ts';
import { maskSecrets } from '../audit/index.ts';

/**
 * Literal credential headers (`Authorization: Bearer abc…`, `X-Api-Key: …`: the values the
 * LITERAL_CREDENTIAL warning names) are shown to those who may edit them and as `****` to
 * everyone else (viewers). A `{{secret.NAME}}` reference is not a credential and stays.
 */
export function seesLiteralCredentials(actor: Actor): boolean {
  return roleAllows(actor.role, 'config:write');
}

/** The connection as `actor` may read it (connection get and list). */
export function connectionFor<T extends Pick<Connection, 'environments'>>(
  actor: Actor,
  connection: T,
): T {
  if (seesLiteralCredentials(actor)) return connection;
  return { ...connection, environments: maskedEnvironments(connection.environments) };
}

/** A revision as `actor` may read it (and so the diffs the console draws from revisions). */
export function revisionFor(actor: Actor, revision: Revision): Revision {
  if (seesLiteralCredentials(actor)) return revision;
  return {
    ...revision,
    spec: { ...revision.spec, environments: maskedEnvironments(revision.spec.environments) },
  };
}

function maskedEnvironments(environments: Connection['environments']): Connection['environments'] {
  return maskSecrets(environments) as Connection['environments'];
}
