import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { Tx } from '../../store/create-store.ts';
import { authorize } from '../access/index.ts';
import { findRevision } from '../connections/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { DeployRequest } from '../deployments/index.ts';
import {
  decideApproval,
  findApproval,
  findPendingApproval,
  insertApproval,
  type ApprovalRecord,
} from './approval.repo.ts';

export type { ApprovalRecord };

/**
 * The deploy rule of issue "access" §5, run inside the deploy's transaction: deploying to a
 * production-kind environment needs `deploy:production`, and a `critical` connection goes there
 * only with a second admin's approval. Without one, the deploy becomes a pending approval
 * (reused while the same revision waits) and APPROVAL_REQUIRED names it; the deployment
 * service commits that approval instead of rolling it back. With one (`request.approvalId`,
 * when an admin approves), the approval is checked again and marked approved in the same
 * transaction as the deploy, so either both happen or neither.
 */
async function isCritical(tx: Tx, connectionId: string, revision: number): Promise<boolean> {
  return (await findRevision(tx, connectionId, revision))?.spec.critical ?? false;
}

export function createApprovalGuard(deps: { clock: Clock; audit: AuditService; expiryMs: number }) {
  const { clock, audit } = deps;

  async function approve(tx: Tx, request: DeployRequest, approvalId: string): Promise<void> {
    const approval = await findApproval(tx, approvalId);
    const now = clock.now();
    if (
      !approval ||
      approval.connectionId !== request.connection.id ||
      approval.environment !== request.environment.id ||
      approval.revision !== request.revision
    ) {
      throw new AppError('APPROVAL_NOT_PENDING', `approval '${approvalId}' is not for this deploy`);
    }
    if (approval.requestedById === request.actor.id) {
      throw new AppError('FORBIDDEN', 'you asked for this deploy: another admin must approve it', {
        reason: 'own_request',
        permission: 'approvals:decide',
      });
    }
    if (approval.state !== 'pending' || Date.parse(approval.expiresAt) <= now.getTime()) {
      throw new AppError(
        'APPROVAL_NOT_PENDING',
        `approval '${approvalId}' is ${approval.state === 'pending' ? 'expired' : approval.state}`,
        { state: approval.state === 'pending' ? 'expired' : approval.state },
      );
    }
    await decideApproval(tx, approvalId, {
      state: 'approved',
      decidedBy: request.actor.name,
      decidedAt: now.toISOString(),
      comment: request.comment ?? null,
    });
    await audit.record(tx, {
      actor: request.actor,
      action: 'approval.approve',
      targetType: 'approval',
      targetId: approvalId,
      targetName: `${approval.connection} → ${approval.environment}`,
      before: { state: 'pending' },
      after: { state: 'approved', revision: approval.revision, comment: request.comment ?? null },
    });
  }

  return async function checkDeployAllowed(request: DeployRequest, tx: Tx): Promise<void> {
    const { connection, environment, revision, actor } = request;
    const production = environment.kind === 'production';
    authorize(actor, production ? 'deploy:production' : 'deploy:non-production');
    if (!production) return;
    // critical is part of each revision: the one deployed now, or the one running there (so
    // switching the flag off and deploying alone cannot skip the second person)
    const critical =
      (await isCritical(tx, connection.id, revision)) ||
      (request.runningRevision !== null &&
        (await isCritical(tx, connection.id, request.runningRevision)));
    if (!critical) return;
    if (request.approvalId !== undefined) return approve(tx, request, request.approvalId);

    const now = clock.now();
    const target = { connectionId: connection.id, environment: environment.id, revision };
    let approval = await findPendingApproval(tx, target, now.toISOString());
    if (!approval) {
      approval = {
        id: createId('apr', now.getTime()),
        connectionId: connection.id,
        connection: connection.name,
        environment: environment.id,
        revision,
        state: 'pending',
        requestedBy: actor.name,
        requestedById: actor.id,
        requestedAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + deps.expiryMs).toISOString(),
        decidedBy: null,
        decidedAt: null,
        comment: null,
        deploymentId: null,
      };
      await insertApproval(tx, approval);
      await audit.record(tx, {
        actor,
        action: 'approval.request',
        targetType: 'approval',
        targetId: approval.id,
        targetName: `${connection.name} → ${environment.id}`,
        after: { connection: connection.name, environment: environment.id, revision },
      });
    }
    throw new AppError(
      'APPROVAL_REQUIRED',
      `'${connection.name}' is critical in ${environment.id}: deploying revision ${revision} there waits for another admin to approve ${approval.id}`,
      {
        approvalId: approval.id,
        connectionId: connection.id,
        connection: connection.name,
        environment: environment.id,
        revision,
        expiresAt: approval.expiresAt,
        requestedBy: approval.requestedBy,
      },
    );
  };
}
