import { AppError } from '../../core/errors.ts';
import type { EnvironmentParams } from '../../contracts/connections.ts';
import type { EnvironmentKind } from '../../contracts/environments.ts';
import type { Store } from '../../store/create-store.ts';
import { findRevision, type ConnectionService } from '../connections/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import { findDeployment } from './deployment.repo.ts';
import type { PinnedVariables } from './pinned-variables.ts';

/** What the runtime calls: the deployed revision of a connection in one environment. */
export interface DeployedConnection {
  connectionId: string;
  name: string;
  /** the project id; null: a global connection */
  project: string | null;
  /** always true: a disabled connection is refused with CONNECTION_DISABLED */
  enabled: boolean;
  /** the environment's canonical id (ids ignore case) */
  environmentId: string;
  environmentKind: EnvironmentKind;
  revision: number;
  /** the parameters of that revision for that environment */
  params: EnvironmentParams;
  /** the values of its {{var.*}} when it was deployed: the runtime uses these, not today's */
  pinnedVariables: PinnedVariables;
}

export interface DeployedLookupDeps {
  store: Store;
  environments: EnvironmentService;
  connections: ConnectionService;
}

/** The runtime's one question: what does this connection run in this environment? */
export function createDeployedLookup(deps: DeployedLookupDeps) {
  const { store } = deps;
  return {
    /**
     * Resolves the deployed revision of `connectionIdOrName` (an id, or a name looked up as
     * `{id}` paths do, in `options.project`) in `environmentId`. Refuses in DESIGN §2 step 1's
     * order: NOT_FOUND (environment or connection), CONNECTION_NOT_DEPLOYED, then
     * CONNECTION_DISABLED. Four small reads; the dispatch engine caches the answer and drops
     * it on `onChange`.
     */
    async getDeployed(
      connectionIdOrName: string,
      environmentId: string,
      options: { project?: string } = {},
    ): Promise<DeployedConnection> {
      const environment = await deps.environments.get(environmentId);
      const connection = await deps.connections.find(store.db, connectionIdOrName, options);
      const deployment = await findDeployment(store.db, connection.id, environment.id);
      if (!deployment) {
        throw new AppError(
          'CONNECTION_NOT_DEPLOYED',
          `connection '${connection.name}' is not deployed to environment '${environment.id}'; deploy a revision to it first`,
          { id: connection.id, environment: environment.id },
        );
      }
      if (!connection.enabled) {
        throw new AppError(
          'CONNECTION_DISABLED',
          `connection '${connection.name}' is disabled; enable it to call it`,
          { id: connection.id },
        );
      }
      const revision = await findRevision(store.db, connection.id, deployment.revision);
      const params = revision?.spec.environments[environment.id];
      if (!params) {
        // cannot happen: deploy checks the parameters and a foreign key keeps the revision
        throw new Error(
          `deployment of ${connection.id} to ${environment.id} names revision ${deployment.revision}, which has no parameters there`,
        );
      }
      return {
        connectionId: connection.id,
        name: connection.name,
        project: connection.project,
        enabled: connection.enabled,
        environmentId: environment.id,
        environmentKind: environment.kind,
        revision: deployment.revision,
        params,
        pinnedVariables: deployment.pinnedVariables,
      };
    },
  };
}
