/** Connections: the central object — per-environment parameters, revisions, enable/disable. */
export {
  /** How many connections live in a project (deleting a project that holds some is refused). */
  countConnectionsInProject,
  /** How many connections have parameters for an environment (deleting one in use is refused). */
  countConnectionsUsingEnvironment,
} from './connection-counts.ts';
export {
  /**
   * Creates the connection service: list, nameExists, get, create, replace (PUT), patch
   * (merge patch), remove, enable, disable, moveToGlobal, listRevisions, getRevision,
   * rollback, duplicate. Every change is one transaction with its audit record.
   */
  createConnectionService,
  type ConnectionService,
  type ChangeOptions,
  type SavedConnection,
} from './connection.service.ts';
