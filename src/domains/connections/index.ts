/** Connections: the central object — per-environment parameters, revisions, enable/disable. */
export {
  countConnectionsInProject,
  countConnectionsUsingEnvironment,
} from './connection-counts.ts';
export { createConnectionService, type ConnectionService } from './connection.service.ts';
