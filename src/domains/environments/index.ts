/** Environments: development, test, production and any the user adds. */
export {
  /** Creates the environment service (list, get, create, update, remove, seed). */
  createEnvironmentService,
  seededEnvironments,
  type EnvironmentService,
} from './environment.service.ts';
