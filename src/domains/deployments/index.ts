/** Deployments: which revision of a connection each environment runs, and their history. */
export {
  /**
   * Creates the deployment service: deploy, undeploy, saveAndDeploy (PUT ?deploy=), list
   * (history, newest first), getDeployed (what the runtime calls) and onChange (after-commit
   * signal of what getDeployed would answer differently).
   */
  createDeploymentService,
  type DeploymentFailure,
  type DeploymentService,
  type DeploymentServiceDeps,
} from './deployment.service.ts';
export {
  /** The change signal the connection service and the deployment service both feed. */
  createDeploymentChanges,
  type DeploymentChangeListener,
  type DeploymentChanges,
} from './deployment-changes.ts';
export {
  /** Who may deploy where, and approvals: the hooks' shapes, and allow-all for rule tests. */
  allowEveryDeploy,
  type CheckDeployAllowed,
  type CheckUndeployAllowed,
  type DeployRequest,
  type UndeployRequest,
} from './deploy-rules.ts';
export type { DeployedConnection } from './deployed-lookup.ts';
export {
  /** Connections with parameters for or a deployment in an environment (its deletion is refused). */
  countConnectionsUsingEnvironment,
  /** Every connection an environment runs, with its revision (approvals of kind changes). */
  listDeploymentsIn,
  /** The revision each environment runs, for a page of connections in one query. */
  readDeploymentStates,
} from './deployment.repo.ts';
