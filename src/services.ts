import type { Clock } from './core/clock.ts';
import { createAccessService } from './domains/access/index.ts';
import { createAuditService } from './domains/audit/index.ts';
import {
  countConnectionsInProject,
  countConnectionsUsingEnvironment,
  createConnectionService,
} from './domains/connections/index.ts';
import { createEnvironmentService } from './domains/environments/index.ts';
import { createHttpHeaderService } from './domains/http-headers/index.ts';
import { createProjectService } from './domains/projects/index.ts';
import type { Store } from './store/create-store.ts';

/**
 * Wires every domain service to the store and to each other. Used by main.ts (the server),
 * tests and benchmarks, so all of them run the same graph; the CLI never loads this.
 */
export function createServices(deps: { store: Store; clock: Clock }) {
  const { store, clock } = deps;
  const audit = createAuditService({ store, clock });
  const access = createAccessService({ store, clock });
  const environments = createEnvironmentService({
    store,
    clock,
    audit,
    countConnectionsUsing: countConnectionsUsingEnvironment,
  });
  const projects = createProjectService({
    store,
    clock,
    audit,
    countConnectionsIn: countConnectionsInProject,
  });
  const connections = createConnectionService({ store, clock, audit, environments, projects });
  const httpHeaders = createHttpHeaderService();
  return { store, clock, audit, access, environments, projects, connections, httpHeaders };
}

export type Services = ReturnType<typeof createServices>;

/** First start: the standard environments and the `default` project. Idempotent. */
export async function seedStore(services: Services): Promise<void> {
  await services.environments.seed();
  await services.projects.seed();
}
