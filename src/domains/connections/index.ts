/** Connections: the central object — per-environment parameters, revisions, enable/disable. */
export {
  /** How many connections live in a project (deleting a project that holds some is refused). */
  countConnectionsInProject,
  /** How many connections have parameters for an environment (deleting one in use is refused). */
  countConnectionsUsingEnvironment,
} from './connection-counts.ts';
export {
  /** One saved revision of a connection (its spec), read through the caller's db or transaction. */
  findRevision,
} from './revision.repo.ts';
export {
  /**
   * Creates the connection service: list, nameExists, get, create, replace (PUT), patch
   * (merge patch), remove, enable, disable, moveToGlobal, listRevisions, getRevision,
   * rollback, duplicate; find and lockForChange for another domain's rules and transaction
   * (deployments). Every change is one transaction with its audit record; `onChanged` hears
   * of the ones that can change what the runtime resolves, after the commit.
   */
  createConnectionService,
  type ConnectionService,
  type ChangeOptions,
  type SavedConnection,
} from './connection.service.ts';
export {
  /**
   * What a reader sees of literal credential headers: the value for those who may edit it,
   * `****` for viewers (connection get and list, revisions).
   */
  connectionFor,
  revisionFor,
  seesLiteralCredentials,
} from './credential-masking.ts';
