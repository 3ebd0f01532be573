/** Environments: development, test, production and any the user adds. */
export {
  /** Creates the environment service (list, get, create, update, changeKindApproved, remove, seed). */
  createEnvironmentService,
  environmentLockKey,
  seededEnvironments,
  type EnvironmentService,
  type CheckKindChange,
  type KindChangeRequest,
} from './environment.service.ts';
