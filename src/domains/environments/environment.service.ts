import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../core/clock.ts';
import { systemActor, type Actor } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import {
  defaultEgress,
  type Environment,
  type EnvironmentIn,
  type EnvironmentPatch,
} from '../../contracts/environments.ts';
import type { Db, Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import {
  deleteEnvironment,
  findEnvironment,
  insertEnvironment,
  listEnvironments,
  updateEnvironment,
} from './environment.repo.ts';

/** Seeded on first start, as DESIGN.md §1 says. */
export const seededEnvironments: readonly EnvironmentIn[] = [
  {
    id: 'development',
    name: 'Development',
    kind: 'development',
    description: '',
    egress: defaultEgress(),
  },
  { id: 'test', name: 'Test', kind: 'test', description: '', egress: defaultEgress() },
  {
    id: 'production',
    name: 'Production',
    kind: 'production',
    description: '',
    egress: defaultEgress(),
  },
];

export interface EnvironmentServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** how many connections have parameters for this environment (deleting one in use is refused) */
  countConnectionsUsing: (db: Db, environmentId: string) => Promise<number>;
  /** told after a change commits (the runtime rebuilds egress policies and kinds) */
  onChanged?: (environmentId: string) => void;
}

export function createEnvironmentService(deps: EnvironmentServiceDeps) {
  const { store, clock, audit } = deps;

  async function get(id: string, db: Db = store.db): Promise<Environment> {
    const environment = await findEnvironment(db, id);
    if (!environment) throw notFound('environment', id);
    return environment;
  }

  async function create(
    input: EnvironmentIn,
    actor: Actor,
    at: Date = clock.now(),
  ): Promise<Environment> {
    return store.transaction(async (tx) => {
      await store.lock(tx, `environment:${input.id.toLowerCase()}`);
      const existing = await findEnvironment(tx, input.id);
      if (existing) {
        throw new AppError('ENVIRONMENT_EXISTS', `environment '${existing.id}' already exists`, {
          id: existing.id,
        });
      }
      const now = at.toISOString();
      const environment: Environment = { ...input, createdAt: now, updatedAt: now };
      await insertEnvironment(tx, environment);
      await audit.record(tx, {
        actor,
        action: 'environment.create',
        targetType: 'environment',
        targetId: environment.id,
        targetName: environment.name,
        after: environment,
      });
      return environment;
    });
  }

  return {
    get,
    create: (input: EnvironmentIn, actor: Actor) => create(input, actor),
    list: () => listEnvironments(store.db),

    async update(id: string, patch: EnvironmentPatch, actor: Actor): Promise<Environment> {
      let changed = false;
      const updated = await store.transaction(async (tx) => {
        const before = await get(id, tx);
        const after: Environment = {
          ...before,
          ...patch,
          // a merge: fields the patch leaves out keep their value; a list is replaced whole
          egress: { ...before.egress, ...patch.egress },
          updatedAt: before.updatedAt,
        };
        // nothing changed: nothing written, no audit record (an editor's loop of PATCHes)
        if (isDeepStrictEqual(before, after)) return before;
        changed = true;
        after.updatedAt = clock.now().toISOString();
        await updateEnvironment(tx, after);
        await audit.record(tx, {
          actor,
          action: 'environment.update',
          targetType: 'environment',
          targetId: after.id,
          targetName: after.name,
          before,
          after,
        });
        return after;
      });
      if (changed) deps.onChanged?.(updated.id);
      return updated;
    },

    async remove(id: string, actor: Actor): Promise<void> {
      await store.transaction(async (tx) => {
        const before = await get(id, tx);
        const using = await deps.countConnectionsUsing(tx, before.id);
        if (using > 0) {
          throw new AppError(
            'ENVIRONMENT_IN_USE',
            `${using} connection(s) have parameters for or a revision deployed to environment '${before.id}'; remove or undeploy those first`,
            { connections: using },
          );
        }
        await deleteEnvironment(tx, before.id);
        await audit.record(tx, {
          actor,
          action: 'environment.delete',
          targetType: 'environment',
          targetId: before.id,
          targetName: before.name,
          before,
        });
      });
      deps.onChanged?.(id);
    },

    /** Creates the three standard environments when the store has none. */
    async seed(): Promise<void> {
      if ((await listEnvironments(store.db)).length > 0) return;
      // lists are ordered by creation time: a millisecond apart each, so development, test,
      // production keep their order however fast the machine seeds them (then by id, it was
      // development, production, test)
      const startMs = clock.now().getTime();
      for (const [index, environment] of seededEnvironments.entries()) {
        await create(environment, systemActor, new Date(startMs + index));
      }
    },
  };
}

export type EnvironmentService = ReturnType<typeof createEnvironmentService>;
