import { isDeepStrictEqual } from 'node:util';
import type { Clock } from '../../core/clock.ts';
import { systemActor, type Actor } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import {
  defaultEgress,
  type Environment,
  type EnvironmentIn,
  type EnvironmentKind,
  type EnvironmentPatch,
} from '../../contracts/environments.ts';
import type { Db, Store, Tx } from '../../store/create-store.ts';
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

/** A change of an environment's kind, as the rule deciding it sees it. */
export interface KindChangeRequest {
  /** the environment as it is now */
  environment: Environment;
  /** the kind asked for (differs from the current one) */
  kind: EnvironmentKind;
  actor: Actor;
  /** set when an admin approves a pending approval: this change carries it out */
  approvalId?: string;
  comment?: string;
}

/**
 * The lock an environment's changes take (ids ignore case): its kind changes here, and the
 * deploys and undeploys in it (domains/deployments), so that a deploy applies the kind the
 * environment has when it commits.
 */
export function environmentLockKey(id: string): string {
  return `environment:${id.toLowerCase()}`;
}

/**
 * Whether an environment's kind may change (the kind decides who deploys there and what the
 * two-person rule covers): throw FORBIDDEN, or AppError('APPROVAL_REQUIRED', …) — which the
 * service commits (the approval written stays) and answers, changing nothing. Runs inside
 * the change's transaction.
 */
export type CheckKindChange = (request: KindChangeRequest, tx: Tx) => Promise<void>;

export interface EnvironmentServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  /** how many connections have parameters for this environment (deleting one in use is refused) */
  countConnectionsUsing: (db: Db, environmentId: string) => Promise<number>;
  /** told after a change commits (the runtime rebuilds egress policies and kinds) */
  onChanged?: (environmentId: string) => void;
  /** who may change a kind, and approvals (domains/approvals); default: allowed */
  checkKindChange?: CheckKindChange;
  /** told after the commit when a kind change became a pending approval (notifications) */
  onApprovalRequired?: (details: Record<string, unknown>) => void;
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
      await store.lock(tx, environmentLockKey(input.id));
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
      let awaitingApproval: AppError | undefined;
      let changed = false;
      const updated = await store.transaction(async (tx) => {
        // two kind changes at once must not both ask for (or skip) an approval
        await store.lock(tx, environmentLockKey(id));
        const before = await get(id, tx);
        if (patch.kind !== undefined && patch.kind !== before.kind) {
          try {
            await deps.checkKindChange?.({ environment: before, kind: patch.kind, actor }, tx);
          } catch (error) {
            // the approval written for it must be committed, not rolled back; nothing of the
            // patch is applied
            if (error instanceof AppError && error.code === 'APPROVAL_REQUIRED') {
              awaitingApproval = error;
              return undefined;
            }
            throw error;
          }
        }
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
      if (!updated) {
        const error = awaitingApproval as AppError;
        deps.onApprovalRequired?.(error.details ?? {});
        const others = Object.keys(patch).filter((key) => key !== 'kind');
        if (others.length === 0) throw error;
        throw new AppError(
          'APPROVAL_REQUIRED',
          `${error.message}; nothing else was changed either (${others.join(', ')}): send those without kind`,
          error.details,
        );
      }
      if (changed) deps.onChanged?.(updated.id);
      return updated;
    },

    /**
     * Carries out an approved kind change: the approval is checked and marked approved in the
     * same transaction (domains/approvals), by `approver`.
     */
    async changeKindApproved(
      approval: { id: string; environment: string; kind: EnvironmentKind },
      approver: Actor,
      comment?: string,
    ): Promise<Environment> {
      const updated = await store.transaction(async (tx) => {
        await store.lock(tx, environmentLockKey(approval.environment));
        const before = await get(approval.environment, tx);
        await deps.checkKindChange?.(
          {
            environment: before,
            kind: approval.kind,
            actor: approver,
            approvalId: approval.id,
            ...(comment !== undefined && { comment }),
          },
          tx,
        );
        const after: Environment = {
          ...before,
          kind: approval.kind,
          updatedAt: clock.now().toISOString(),
        };
        await updateEnvironment(tx, after);
        await audit.record(tx, {
          actor: approver,
          action: 'environment.update',
          targetType: 'environment',
          targetId: after.id,
          targetName: after.name,
          before,
          after: { ...after, approvalId: approval.id },
        });
        return after;
      });
      deps.onChanged?.(updated.id);
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
