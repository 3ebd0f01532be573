// STUB: replaced by the connections work.
import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import type { ProjectService } from '../projects/index.ts';

export interface ConnectionServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  environments: EnvironmentService;
  projects: ProjectService;
}

export function createConnectionService(deps: ConnectionServiceDeps) {
  return { deps };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
