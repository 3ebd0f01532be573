/** Invoke and Test Connection: what to call, what may be called, through the dispatch engine. */
export {
  createInvocationService,
  type DeployedConnection,
  type InvocationService,
  type InvocationServiceDeps,
} from './invocation.service.ts';
