import type { NotificationOwnCode } from '../../contracts/notification-codes.ts';
import type { Clock } from '../../core/clock.ts';
import { systemActor, type Actor } from '../../core/context.ts';
import { AppError, notFound } from '../../core/errors.ts';
import { keyAfter, keyPage } from '../../core/key-page.ts';
import type { Approval, ApprovalListQuery } from '../../contracts/access.ts';
import type { DeploymentResult } from '../../contracts/deployments.ts';
import type { Environment } from '../../contracts/environments.ts';
import type { Store } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { ConnectionService } from '../connections/index.ts';
import type { DeploymentService } from '../deployments/index.ts';
import type { EnvironmentService } from '../environments/index.ts';
import {
  decideApproval,
  findApproval,
  listApprovals,
  listLapsedApprovals,
  setApprovalDeployment,
  type ApprovalRecord,
} from './approval.repo.ts';
import { approvalTargetName, describeApproval } from './approval-summary.ts';

/** What happened to an approval, for notifications. */
export interface ApprovalEvent {
  kind: 'approval_requested' | 'approval_decided' | 'approval_expired';
  /** what became of it (a notification code, contracts/notification-codes.ts) */
  code: Extract<NotificationOwnCode, `APPROVAL_${string}`>;
  connectionId: string | null;
  connection: string | null;
  environment: string;
  approvalId: string;
  message: string;
}

function view({ requestedById: _requester, ...approval }: ApprovalRecord): Approval {
  return approval;
}

/** What approving answers: the approval and what it changed. */
export interface ApprovalOutcome {
  approval: Approval;
  /** deploy and undeploy: the deployment result */
  deployment: DeploymentResult | null;
  /** environment-kind: the environment as it is now */
  environment: Environment | null;
}

/**
 * Approvals of the changes the two-person rule covers (issue "access" §5, issue 13 §1):
 * deploys and undeploys of critical connections in production-kind environments, and changes
 * of an environment's kind. The guard (approval-guard.ts) creates them; here another admin
 * approves (the change happens then, by them) or rejects; pending ones lapse after the expiry
 * and are marked `expired` the next time approvals are read or decided.
 */
export function createApprovalService(deps: {
  store: Store;
  clock: Clock;
  audit: AuditService;
  connections: ConnectionService;
  deployments: DeploymentService;
  environments: EnvironmentService;
  onEvent?: (event: ApprovalEvent) => void;
}) {
  const { store, clock, audit } = deps;

  async function expireLapsed(): Promise<void> {
    const now = clock.now().toISOString();
    for (const approval of await listLapsedApprovals(store.db, now)) {
      const expired = await store.transaction(async (tx) => {
        const changed = await decideApproval(tx, approval.id, {
          state: 'expired',
          decidedBy: null,
          decidedAt: now,
          comment: null,
        });
        if (changed) {
          await audit.record(tx, {
            actor: systemActor,
            action: 'approval.expire',
            targetType: 'approval',
            targetId: approval.id,
            targetName: approvalTargetName(approval),
            before: { state: 'pending' },
            after: { state: 'expired' },
          });
        }
        return changed;
      });
      if (expired) {
        deps.onEvent?.({
          kind: 'approval_expired',
          code: 'APPROVAL_EXPIRED',
          connectionId: approval.connectionId,
          connection: approval.connection,
          environment: approval.environment,
          approvalId: approval.id,
          message: `approval ${approval.id}: the request to ${describeApproval(approval)} expired undecided; ask again`,
        });
      }
    }
  }

  async function pending(id: string): Promise<ApprovalRecord> {
    await expireLapsed();
    const approval = await findApproval(store.db, id);
    if (!approval) throw notFound('approval', id);
    if (approval.state !== 'pending') {
      throw new AppError('APPROVAL_NOT_PENDING', `approval '${id}' is already ${approval.state}`, {
        state: approval.state,
      });
    }
    return approval;
  }

  function ownRequest(approval: ApprovalRecord, actor: Actor): boolean {
    return approval.requestedById === actor.id;
  }

  return {
    expireLapsed,

    async list(query: ApprovalListQuery): Promise<{ items: Approval[]; next: string | null }> {
      await expireLapsed();
      const connectionId =
        query.connection === undefined
          ? undefined
          : (await deps.connections.find(store.db, query.connection)).id;
      const rows = await listApprovals(store.db, {
        state: query.state,
        connectionId,
        environment: query.environment,
        action: query.action,
        beforeId: keyAfter(query.cursor),
        limit: query.limit + 1,
      });
      return keyPage(rows, query.limit, view, (row) => row.id);
    },

    async get(id: string): Promise<Approval> {
      await expireLapsed();
      const approval = await findApproval(store.db, id);
      if (!approval) throw notFound('approval', id);
      return view(approval);
    },

    /** Another admin approves: the change is made now, by them, with the approval in it. */
    async approve(id: string, actor: Actor, comment?: string): Promise<ApprovalOutcome> {
      const approval = await pending(id);
      if (ownRequest(approval, actor)) {
        throw new AppError(
          'FORBIDDEN',
          'you asked for this change: another admin must approve it',
          {
            reason: 'own_request',
            permission: 'approvals:decide',
          },
        );
      }
      let deployment: DeploymentResult | null = null;
      let environment: Environment | null = null;
      let done: string;
      if (approval.action === 'environment-kind' && approval.kind !== null) {
        environment = await deps.environments.changeKindApproved(
          { id, environment: approval.environment, kind: approval.kind },
          actor,
          comment,
        );
        done = `'${environment.id}' is ${environment.kind}-kind now`;
      } else if (approval.action !== 'environment-kind' && approval.connectionId !== null) {
        deployment = await deps.deployments.carryOutApproved(
          {
            id,
            action: approval.action,
            connectionId: approval.connectionId,
            environment: approval.environment,
            revision: approval.revision,
          },
          actor,
          comment,
        );
        await setApprovalDeployment(store.db, id, deployment.id);
        done = deployment.message;
      } else {
        throw new AppError('APPROVAL_NOT_PENDING', `approval '${id}' names no target`);
      }
      deps.onEvent?.({
        kind: 'approval_decided',
        code: 'APPROVAL_APPROVED',
        connectionId: approval.connectionId,
        connection: approval.connection,
        environment: approval.environment,
        approvalId: id,
        message: `${actor.name} approved the request to ${describeApproval(approval)} (asked by ${approval.requestedBy}): ${done}`,
      });
      const decided = view((await findApproval(store.db, id)) as ApprovalRecord);
      return { approval: decided, deployment, environment };
    },

    /** An admin rejects (or the requester withdraws): nothing is deployed. */
    async reject(id: string, actor: Actor, comment?: string): Promise<Approval> {
      const approval = await pending(id);
      const now = clock.now().toISOString();
      await store.transaction(async (tx) => {
        const changed = await decideApproval(tx, id, {
          state: 'rejected',
          decidedBy: actor.name,
          decidedAt: now,
          comment: comment ?? null,
        });
        if (!changed) {
          throw new AppError('APPROVAL_NOT_PENDING', `approval '${id}' was decided meanwhile`);
        }
        await audit.record(tx, {
          actor,
          action: 'approval.reject',
          targetType: 'approval',
          targetId: id,
          targetName: approvalTargetName(approval),
          before: { state: 'pending' },
          after: { state: 'rejected', comment: comment ?? null },
        });
      });
      deps.onEvent?.({
        kind: 'approval_decided',
        code: 'APPROVAL_REJECTED',
        connectionId: approval.connectionId,
        connection: approval.connection,
        environment: approval.environment,
        approvalId: id,
        message: `${actor.name} rejected the request to ${describeApproval(approval)} (asked by ${approval.requestedBy})${comment ? `: ${comment}` : ''}`,
      });
      return view((await findApproval(store.db, id)) as ApprovalRecord);
    },
  };
}

export type ApprovalService = ReturnType<typeof createApprovalService>;
