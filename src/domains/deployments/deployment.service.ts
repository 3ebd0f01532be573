import type { Clock } from '../../core/clock.ts';
import type { Actor } from '../../core/context.ts';
import { AppError, type ErrorCode } from '../../core/errors.ts';
import { createId } from '../../core/ids.ts';
import type { Connection, ConnectionIn } from '../../contracts/connections.ts';
import type { Environment } from '../../contracts/environments.ts';
import type {
  DeployIn,
  DeploymentListQuery,
  DeploymentResult,
  UndeployIn,
} from '../../contracts/deployments.ts';
import type { Store, Tx } from '../../store/create-store.ts';
import type { AuditService } from '../audit/index.ts';
import type { ChangeOptions, ConnectionService, SavedConnection } from '../connections/index.ts';
import { environmentLockKey, type EnvironmentService } from '../environments/index.ts';
import {
  checkDeployable,
  checkSigningSecret,
  findEnvironmentFor,
  type ReadSecret,
  type CheckDeployAllowed,
  type CheckUndeployAllowed,
} from './deploy-rules.ts';
import type { DeploymentChanges } from './deployment-changes.ts';
import { decodeDeploymentCursor, encodeDeploymentCursor } from './deployment-cursor.ts';
import {
  deleteDeployment,
  findDeployment,
  findLastDeployedRevision,
  insertDeploymentResult,
  listDeploymentResults,
  upsertDeployment,
} from './deployment.repo.ts';
import { createDeployedLookup } from './deployed-lookup.ts';
import { isSamePin, readPinnedVariables } from './pinned-variables.ts';

export interface DeploymentServiceDeps {
  store: Store;
  clock: Clock;
  audit: AuditService;
  environments: EnvironmentService;
  connections: ConnectionService;
  /** told after every deploy and undeploy that changed what an environment runs */
  changes: DeploymentChanges;
  /** who may deploy where, and approvals for critical connections (domains/approvals) */
  checkDeployAllowed: CheckDeployAllowed;
  /** a signing secret's value, read in the deploy's transaction (checkSigningSecret) */
  readSecret?: ReadSecret;
  /** who may undeploy where; default: anyone who reached the route */
  checkUndeployAllowed?: CheckUndeployAllowed;
  /** told after the commit when a deploy became a pending approval (notifications) */
  onApprovalRequired?: (details: Record<string, unknown>) => void;
  /** told of every refused deploy or undeploy once it is in the history (notifications) */
  onFailed?: (failure: DeploymentFailure) => void;
}

/** A refused deploy or undeploy, as a notification tells it. */
export interface DeploymentFailure {
  connectionId: string;
  connectionName: string;
  environment: string;
  action: DeploymentResult['action'];
  /** the refusal's error code, e.g. CONNECTION_DISABLED */
  code: ErrorCode;
  message: string;
}

/** A result not written yet: what a refused deploy or undeploy had found when it failed. */
type Attempt = Omit<DeploymentResult, 'id' | 'outcome' | 'message' | 'createdAt' | 'createdBy'>;

/** An approval a second admin gives now: the deploy or undeploy carries it out. */
interface ApprovalInHand {
  id: string;
  comment?: string;
}

/**
 * Deploy, undeploy and the deployment history (DESIGN §1 Deployment). Each deploy holds the
 * connection's lock, checks If-Match, applies the rules and writes the deployment, its result
 * and its audit record in one transaction. A deploy refused by a rule (unknown environment or
 * revision, no parameters for the environment, not allowed) is answered with the error and
 * also kept in the history as `failed`, written after the rollback — as CI/CD histories show
 * failed deploys. A refused Save and Deploy writes nothing at all: its revision never existed.
 */
export function createDeploymentService(deps: DeploymentServiceDeps) {
  const { store, clock, audit } = deps;

  function resultOf(
    attempt: Attempt,
    outcome: DeploymentResult['outcome'],
    message: string,
    actor: Actor,
  ): DeploymentResult {
    const now = clock.now();
    return {
      id: createId('dep', now.getTime()),
      ...attempt,
      outcome,
      message,
      createdAt: now.toISOString(),
      createdBy: actor.name,
    };
  }

  /**
   * The environment a deploy or undeploy goes to, locked (after the connection's lock; a kind
   * change takes only this one) so a kind change and a deploy there never interleave: the rule
   * a deploy applied is the kind the environment has when it commits. Unknown: VALIDATION_FAILED
   * at `path`.
   */
  async function lockedEnvironment(tx: Tx, environmentId: string, path: string) {
    await store.lock(tx, environmentLockKey(environmentId));
    return findEnvironmentFor(tx, deps.environments, environmentId, path);
  }

  /**
   * Deploys with the connection locked and the environment found in `tx`; refusals throw
   * AppError.
   */
  async function deployLocked(
    tx: Tx,
    connection: Connection,
    environment: Environment,
    input: { revision?: number | undefined },
    actor: Actor,
    path: string,
    attempt: Attempt,
    approval?: ApprovalInHand,
  ): Promise<DeploymentResult> {
    const current = await findDeployment(tx, connection.id, environment.id);
    attempt.previousRevision = current?.revision ?? null;
    const revision = input.revision ?? connection.revision;
    const params = await checkDeployable(tx, connection, environment, revision, path);
    if (deps.readSecret) await checkSigningSecret(params, environment.id, deps.readSecret, tx);
    await deps.checkDeployAllowed(
      {
        connection,
        environment,
        revision,
        params,
        actor,
        runningRevision: current?.revision ?? null,
        lastDeployedRevision: await findLastDeployedRevision(tx, connection.id, environment.id),
        ...(approval && { approvalId: approval.id, comment: approval.comment }),
      },
      tx,
    );

    // the values of its {{var.*}} are pinned now (DESIGN §1 Templates): a redeploy of the
    // running revision applies the variables changed since, and is otherwise unchanged
    const pinnedVariables = await readPinnedVariables(tx, params, environment.id);
    const sameRevision = current?.revision === revision;
    if (current && sameRevision && isSamePin(current.pinnedVariables, pinnedVariables)) {
      const result = resultOf(
        attempt,
        'unchanged',
        `revision ${revision} is already deployed to ${environment.id}`,
        actor,
      );
      await insertDeploymentResult(tx, result);
      return result;
    }
    const deployedAt = clock.now().toISOString();
    await upsertDeployment(tx, {
      connectionId: connection.id,
      environmentId: environment.id,
      revision,
      deployedAt,
      deployedBy: actor.name,
      pinnedVariables,
    });
    const variablesChanged =
      current && sameRevision
        ? Object.keys(pinnedVariables).filter(
            (name) => current.pinnedVariables[name] !== pinnedVariables[name],
          )
        : [];
    const was = !current
      ? ''
      : sameRevision
        ? ` (new values of ${variablesChanged.join(', ')})`
        : ` (was revision ${current.revision})`;
    const approved = approval ? `, approved in ${approval.id}` : '';
    const result = resultOf(
      attempt,
      'deployed',
      `deployed revision ${revision} to ${environment.id}${was}${approved}`,
      actor,
    );
    await insertDeploymentResult(tx, result);
    await audit.record(tx, {
      actor,
      action: 'connection.deploy',
      targetType: 'connection',
      targetId: connection.id,
      targetName: connection.name,
      before: current ? { environment: environment.id, revision: current.revision } : undefined,
      after: {
        environment: environment.id,
        revision,
        ...(variablesChanged.length > 0 && { variablesChanged }),
      },
    });
    return result;
  }

  async function undeployLocked(
    tx: Tx,
    connection: Connection,
    environment: Environment,
    actor: Actor,
    attempt: Attempt,
    approval?: ApprovalInHand,
  ): Promise<DeploymentResult> {
    const current = await findDeployment(tx, connection.id, environment.id);
    await deps.checkUndeployAllowed?.(
      {
        connection,
        environment,
        actor,
        runningRevision: current?.revision ?? null,
        ...(approval && { approvalId: approval.id, comment: approval.comment }),
      },
      tx,
    );
    if (!current) {
      const result = resultOf(
        attempt,
        'unchanged',
        `not deployed to ${environment.id}: nothing to undeploy`,
        actor,
      );
      await insertDeploymentResult(tx, result);
      return result;
    }
    attempt.revision = current.revision;
    attempt.previousRevision = current.revision;
    await deleteDeployment(tx, connection.id, environment.id);
    const approved = approval ? `, approved in ${approval.id}` : '';
    const result = resultOf(
      attempt,
      'undeployed',
      `undeployed revision ${current.revision} from ${environment.id}${approved}`,
      actor,
    );
    await insertDeploymentResult(tx, result);
    await audit.record(tx, {
      actor,
      action: 'connection.undeploy',
      targetType: 'connection',
      targetId: connection.id,
      targetName: connection.name,
      before: { environment: environment.id, revision: current.revision },
    });
    return result;
  }

  /**
   * Runs `work` on the locked connection and the environment it names, in one transaction.
   * An AppError that `work` throws (a rule's refusal) is written to the history as `failed`
   * after the rollback; errors before the connection and the environment are found (unknown
   * connection or environment, REVISION_CONFLICT) are not: they are about the request, not a
   * deploy, and an environment that does not exist has no history to add to.
   */
  async function runRecorded(
    idOrName: string,
    environmentId: string,
    options: ChangeOptions,
    actor: Actor,
    start: (connection: Connection, environment: Environment) => Attempt,
    work: (
      tx: Tx,
      connection: Connection,
      environment: Environment,
      attempt: Attempt,
    ) => Promise<DeploymentResult>,
  ): Promise<DeploymentResult> {
    let refused: { attempt: Attempt; code: ErrorCode; message: string; name: string } | undefined;
    let awaitingApproval: AppError | undefined;
    try {
      const result = await store.transaction(async (tx) => {
        const connection = await deps.connections.lockForChange(tx, idOrName, options);
        // the environment's kind decides the rules: a kind change waits for this deploy
        const environment = await lockedEnvironment(tx, environmentId, 'environment');
        const attempt = start(connection, environment);
        try {
          return await work(tx, connection, environment, attempt);
        } catch (error) {
          // not a failure: the deploy waits for a second admin, and the approval written
          // for it must be committed, not rolled back
          if (error instanceof AppError && error.code === 'APPROVAL_REQUIRED') {
            awaitingApproval = error;
            return undefined;
          }
          if (error instanceof AppError) {
            refused = { attempt, code: error.code, message: error.message, name: connection.name };
          }
          throw error;
        }
      });
      if (!result) {
        const error = awaitingApproval as AppError;
        deps.onApprovalRequired?.(error.details ?? {});
        throw error;
      }
      if (result.outcome === 'deployed' || result.outcome === 'undeployed') {
        deps.changes.emit(result.connectionId);
      }
      return result;
    } catch (error) {
      if (refused && error !== awaitingApproval) {
        await recordFailure(refused.attempt, refused.message, actor);
        deps.onFailed?.({
          connectionId: refused.attempt.connectionId,
          connectionName: refused.name,
          environment: refused.attempt.environment,
          action: refused.attempt.action,
          code: refused.code,
          message: refused.message,
        });
      }
      throw error;
    }
  }

  async function recordFailure(attempt: Attempt, message: string, actor: Actor): Promise<void> {
    try {
      await insertDeploymentResult(store.db, resultOf(attempt, 'failed', message, actor));
    } catch (error) {
      // the connection was deleted meanwhile: there is no history left to add to
      process.emitWarning(
        `could not record a failed deploy of ${attempt.connectionId}: ${(error as Error).message}`,
        'HooklineDeployment',
      );
    }
  }

  return {
    ...createDeployedLookup(deps),

    /** Pins a revision (default: the latest) to an environment; see the service's rules. */
    deploy(
      idOrName: string,
      input: DeployIn,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<DeploymentResult> {
      return runRecorded(
        idOrName,
        input.environment,
        options,
        actor,
        (connection, environment) => ({
          connectionId: connection.id,
          environment: environment.id,
          action: 'deploy',
          revision: input.revision ?? connection.revision,
          previousRevision: null,
        }),
        (tx, connection, environment, attempt) =>
          deployLocked(tx, connection, environment, input, actor, 'environment', attempt),
      );
    },

    /**
     * Carries out an approved deploy or undeploy: the approval is checked and marked approved
     * in the same transaction as the change (domains/approvals), by `approver`.
     */
    carryOutApproved(
      approval: {
        id: string;
        action: DeploymentResult['action'];
        connectionId: string;
        environment: string;
        revision: number | null;
      },
      approver: Actor,
      comment?: string,
    ): Promise<DeploymentResult> {
      const inHand = { id: approval.id, ...(comment !== undefined && { comment }) };
      const revision = approval.revision ?? undefined;
      return runRecorded(
        approval.connectionId,
        approval.environment,
        {},
        approver,
        (connection, environment) => ({
          connectionId: connection.id,
          environment: environment.id,
          action: approval.action,
          revision: approval.action === 'deploy' ? (revision ?? connection.revision) : null,
          previousRevision: null,
        }),
        (tx, connection, environment, attempt) =>
          approval.action === 'deploy'
            ? deployLocked(
                tx,
                connection,
                environment,
                { revision },
                approver,
                'environment',
                attempt,
                inHand,
              )
            : undeployLocked(tx, connection, environment, approver, attempt, inHand),
      );
    },

    /** The environment stops running the connection; `unchanged` when it ran nothing. */
    undeploy(
      idOrName: string,
      input: UndeployIn,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<DeploymentResult> {
      return runRecorded(
        idOrName,
        input.environment,
        options,
        actor,
        (connection, environment) => ({
          connectionId: connection.id,
          environment: environment.id,
          action: 'undeploy',
          revision: null,
          previousRevision: null,
        }),
        (tx, connection, environment, attempt) =>
          undeployLocked(tx, connection, environment, actor, attempt),
      );
    },

    /**
     * Save and Deploy (`PUT …/{id}?deploy=<env>`): replaces the connection and deploys the
     * saved revision in the same transaction; a refused deploy (VALIDATION_FAILED at
     * `query.deploy`) leaves neither the revision nor the deployment behind.
     */
    async saveAndDeploy(
      idOrName: string,
      input: ConnectionIn,
      environment: string,
      actor: Actor,
      options: ChangeOptions = {},
    ): Promise<SavedConnection> {
      let deployed: DeploymentResult | undefined;
      let awaitingApproval: AppError | undefined;
      const saved = await deps.connections.replace(idOrName, input, actor, {
        ...options,
        afterSave: async (tx, connection) => {
          try {
            const target = await lockedEnvironment(tx, environment, 'query.deploy');
            deployed = await deployLocked(
              tx,
              connection,
              target,
              { revision: connection.revision },
              actor,
              'query.deploy',
              {
                connectionId: connection.id,
                environment: target.id,
                action: 'deploy',
                revision: connection.revision,
                previousRevision: null,
              },
            );
          } catch (error) {
            // the revision is saved and waits, with its approval, for a second admin
            if (error instanceof AppError && error.code === 'APPROVAL_REQUIRED') {
              awaitingApproval = error;
              return;
            }
            throw error;
          }
        },
      });
      if (awaitingApproval) {
        const details = { ...awaitingApproval.details, saved: true };
        deps.onApprovalRequired?.(details);
        throw new AppError(
          'APPROVAL_REQUIRED',
          `saved revision ${saved.revision}; ${awaitingApproval.message}`,
          details,
        );
      }
      if (deployed?.outcome === 'deployed') deps.changes.emit(saved.id);
      return saved;
    },

    /** A connection's deployment history, newest first, optionally for one environment. */
    async list(
      idOrName: string,
      query: DeploymentListQuery & { project?: string },
    ): Promise<{ items: DeploymentResult[]; next: string | null }> {
      const connection = await deps.connections.find(store.db, idOrName, query);
      let environmentId = query.environment;
      if (environmentId !== undefined) {
        // a deleted environment, or one a failed deploy misspelt, is still in the history
        const known = await deps.environments.get(environmentId).catch(() => undefined);
        environmentId = known?.id ?? environmentId;
      }
      const rows = await listDeploymentResults(store.db, connection.id, {
        environmentId,
        beforeSeq: query.cursor === undefined ? undefined : decodeDeploymentCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(({ seq: _seq, ...result }) => result),
        next: rows.length > query.limit && last ? encodeDeploymentCursor(last.seq) : null,
      };
    },

    /** Calls `listener` after a change of what the runtime resolves; answers how to stop. */
    onChange: deps.changes.onChange,
  };
}

export type DeploymentService = ReturnType<typeof createDeploymentService>;
