import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { Tx } from '../../store/create-store.ts';
import { authorize } from '../access/index.ts';
import { findRevision } from '../connections/index.ts';
import type { AuditService } from '../audit/index.ts';
import {
  listDeploymentsIn,
  type CheckDeployAllowed,
  type CheckUndeployAllowed,
} from '../deployments/index.ts';
import type { CheckKindChange } from '../environments/index.ts';
import {
  decideApproval,
  findApproval,
  findPendingApproval,
  insertApproval,
  type ApprovalRecord,
  type ApprovalTarget,
} from './approval.repo.ts';
import { approvalTargetName, describeApproval } from './approval-summary.ts';

export type { ApprovalRecord };

/** An approval's target with the names it shows. */
interface Subject extends ApprovalTarget {
  connection: string | null;
}

async function isCritical(tx: Tx, connectionId: string, revision: number | null): Promise<boolean> {
  if (revision === null) return false;
  return (await findRevision(tx, connectionId, revision))?.spec.critical ?? false;
}

/**
 * The two-person rule of issue "access" §5 and issue 13 §1, run inside the transaction of the
 * change it guards. A change that needs a second admin becomes a pending approval (reused
 * while the same change waits) and APPROVAL_REQUIRED names it; the caller commits that
 * approval instead of rolling it back. When an admin approves (`approvalId`), the approval is
 * checked again and marked approved in the same transaction as the change, so either both
 * happen or neither. What needs one:
 * - a deploy to a production-kind environment of a connection that is critical there: the
 *   revision deployed, the one running, or the one most recently deployed there (a connection
 *   stays critical through an undeploy: undeploy, then deploy `critical: false`, still asks);
 * - an undeploy of such a connection from a production-kind environment (an outage);
 * - lowering an environment's kind from production, and raising one to production while a
 *   critical revision runs there (else one admin lowers, deploys, and raises it back).
 */
export function createApprovalGuard(deps: { clock: Clock; audit: AuditService; expiryMs: number }) {
  const { clock, audit } = deps;

  async function approve(
    tx: Tx,
    approvalId: string,
    subject: Subject,
    actor: Actor,
    comment: string | undefined,
  ): Promise<void> {
    authorize(actor, 'approvals:decide');
    const approval = await findApproval(tx, approvalId);
    const now = clock.now();
    if (
      !approval ||
      approval.action !== subject.action ||
      approval.connectionId !== subject.connectionId ||
      approval.environment !== subject.environment ||
      approval.revision !== subject.revision ||
      approval.kind !== subject.kind
    ) {
      throw new AppError(
        'APPROVAL_NOT_PENDING',
        approval
          ? `approval '${approvalId}' is for a change that no longer matches: it was to ${describeApproval(approval)}; ask again`
          : `approval '${approvalId}' is not for this change`,
      );
    }
    if (approval.requestedById === actor.id) {
      throw new AppError('FORBIDDEN', 'you asked for this change: another admin must approve it', {
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
      decidedBy: actor.name,
      decidedAt: now.toISOString(),
      comment: comment ?? null,
    });
    await audit.record(tx, {
      actor,
      action: 'approval.approve',
      targetType: 'approval',
      targetId: approvalId,
      targetName: approvalTargetName(approval),
      before: { state: 'pending' },
      after: {
        state: 'approved',
        action: approval.action,
        revision: approval.revision,
        kind: approval.kind,
        comment: comment ?? null,
      },
    });
  }

  /** Writes (or finds) the pending approval of `subject`, then throws APPROVAL_REQUIRED. */
  async function requireApproval(
    tx: Tx,
    subject: Subject,
    actor: Actor,
    why: string,
  ): Promise<never> {
    const now = clock.now();
    let approval = await findPendingApproval(tx, subject, now.toISOString());
    if (!approval) {
      approval = {
        id: createId('apr', now.getTime()),
        ...subject,
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
        targetName: approvalTargetName(approval),
        after: {
          action: subject.action,
          connection: subject.connection,
          environment: subject.environment,
          revision: subject.revision,
          kind: subject.kind,
        },
      });
    }
    throw new AppError(
      'APPROVAL_REQUIRED',
      `${why}: the request to ${describeApproval(approval)} waits for another admin to approve ${approval.id}`,
      {
        approvalId: approval.id,
        action: subject.action,
        connectionId: subject.connectionId,
        connection: subject.connection,
        environment: subject.environment,
        revision: subject.revision,
        kind: subject.kind,
        expiresAt: approval.expiresAt,
        requestedBy: approval.requestedBy,
      },
    );
  }

  const checkDeploy: CheckDeployAllowed = async (request, tx) => {
    const { connection, environment, revision, actor } = request;
    const production = environment.kind === 'production';
    authorize(actor, production ? 'deploy:production' : 'deploy:non-production');
    const subject: Subject = {
      action: 'deploy',
      connectionId: connection.id,
      connection: connection.name,
      environment: environment.id,
      revision,
      kind: null,
    };
    if (request.approvalId !== undefined) {
      return approve(tx, request.approvalId, subject, actor, request.comment);
    }
    if (!production) return;
    // critical is part of each revision: the one deployed now, the one running there, or the
    // one deployed there last (so switching the flag off, or undeploying first, and deploying
    // alone cannot skip the second person)
    const critical =
      (await isCritical(tx, connection.id, revision)) ||
      (await isCritical(tx, connection.id, request.runningRevision)) ||
      (await isCritical(tx, connection.id, request.lastDeployedRevision));
    if (!critical) return;
    await requireApproval(
      tx,
      subject,
      actor,
      `'${connection.name}' is critical in ${environment.id}`,
    );
  };

  const checkUndeploy: CheckUndeployAllowed = async (request, tx) => {
    const { connection, environment, actor, runningRevision } = request;
    const production = environment.kind === 'production';
    authorize(actor, production ? 'deploy:production' : 'deploy:non-production');
    const subject: Subject = {
      action: 'undeploy',
      connectionId: connection.id,
      connection: connection.name,
      environment: environment.id,
      revision: runningRevision,
      kind: null,
    };
    if (request.approvalId !== undefined) {
      return approve(tx, request.approvalId, subject, actor, request.comment);
    }
    if (!production || runningRevision === null) return;
    // taking a critical connection out of production is an outage: the revision running
    // there, or the connection as it is configured now, says critical
    const critical = connection.critical || (await isCritical(tx, connection.id, runningRevision));
    if (!critical) return;
    await requireApproval(
      tx,
      subject,
      actor,
      `'${connection.name}' is critical in ${environment.id}: undeploying it is an outage`,
    );
  };

  /** The first connection whose revision running in `environmentId` is critical. */
  async function findCriticalDeployed(
    tx: Tx,
    environmentId: string,
  ): Promise<{ connectionId: string; revision: number } | undefined> {
    for (const deployment of await listDeploymentsIn(tx, environmentId)) {
      if (await isCritical(tx, deployment.connectionId, deployment.revision)) return deployment;
    }
    return undefined;
  }

  const checkKindChange: CheckKindChange = async (request, tx) => {
    const { environment, kind, actor } = request;
    authorize(actor, 'environments:write');
    const subject: Subject = {
      action: 'environment-kind',
      connectionId: null,
      connection: null,
      environment: environment.id,
      revision: null,
      kind,
    };
    if (request.approvalId !== undefined) {
      return approve(tx, request.approvalId, subject, actor, request.comment);
    }
    if (environment.kind === 'production') {
      await requireApproval(
        tx,
        subject,
        actor,
        `'${environment.id}' is production-kind: lowering it lifts the production rules (second admin for critical connections, admins only, TLS verification)`,
      );
    }
    if (kind !== 'production') return;
    const critical = await findCriticalDeployed(tx, environment.id);
    if (!critical) return;
    await requireApproval(
      tx,
      subject,
      actor,
      `revision ${critical.revision} of a critical connection (${critical.connectionId}) runs in '${environment.id}'`,
    );
  };

  return { checkDeploy, checkUndeploy, checkKindChange };
}

export type ApprovalGuard = ReturnType<typeof createApprovalGuard>;
