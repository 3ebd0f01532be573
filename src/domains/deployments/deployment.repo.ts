import type {
  DeploymentAction,
  DeploymentOutcome,
  DeploymentResult,
  DeploymentState,
} from '../../contracts/deployments.ts';
import type { Db } from '../../store/create-store.ts';
import { readValuesByName } from '../variables/index.ts';
import {
  changedVariables,
  parsePinnedVariables,
  type PinnedVariables,
} from './pinned-variables.ts';

/** The revision one environment runs. */
export interface DeploymentRecord {
  connectionId: string;
  environmentId: string;
  revision: number;
  deployedAt: string;
  deployedBy: string;
  /** the values of the revision's {{var.*}} when it was deployed: what the runtime uses */
  pinnedVariables: PinnedVariables;
}

export async function findDeployment(
  db: Db,
  connectionId: string,
  environmentId: string,
): Promise<DeploymentRecord | undefined> {
  const row = await db
    .selectFrom('deployments')
    .selectAll()
    .where('connection_id', '=', connectionId)
    .where('environment_id', '=', environmentId)
    .executeTakeFirst();
  return (
    row && {
      connectionId: row.connection_id,
      environmentId: row.environment_id,
      revision: Number(row.revision),
      deployedAt: row.deployed_at,
      deployedBy: row.deployed_by,
      pinnedVariables: parsePinnedVariables(row.pinned_variables),
    }
  );
}

/** Every connection an environment runs, with the revision it runs. */
export async function listDeploymentsIn(
  db: Db,
  environmentId: string,
): Promise<Array<{ connectionId: string; revision: number }>> {
  const rows = await db
    .selectFrom('deployments')
    .select(['connection_id', 'revision'])
    .where('environment_id', '=', environmentId)
    .orderBy('connection_id')
    .execute();
  return rows.map((row) => ({ connectionId: row.connection_id, revision: Number(row.revision) }));
}

/**
 * The revision most recently deployed to an environment (whether it still runs or was
 * undeployed since), from the history; null when none ever was.
 */
export async function findLastDeployedRevision(
  db: Db,
  connectionId: string,
  environmentId: string,
): Promise<number | null> {
  const row = await db
    .selectFrom('deployment_results')
    .select('revision')
    .where('connection_id', '=', connectionId)
    .where('environment_id', '=', environmentId)
    .where('outcome', '=', 'deployed')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.revision == null ? null : Number(row.revision);
}

/** Pins `record.revision` to the environment, replacing what it ran. */
export async function upsertDeployment(db: Db, record: DeploymentRecord): Promise<void> {
  await db
    .insertInto('deployments')
    .values({
      connection_id: record.connectionId,
      environment_id: record.environmentId,
      revision: record.revision,
      deployed_at: record.deployedAt,
      deployed_by: record.deployedBy,
      pinned_variables: JSON.stringify(record.pinnedVariables),
    })
    .onConflict((oc) =>
      oc.columns(['connection_id', 'environment_id']).doUpdateSet({
        revision: record.revision,
        deployed_at: record.deployedAt,
        deployed_by: record.deployedBy,
        pinned_variables: JSON.stringify(record.pinnedVariables),
      }),
    )
    .execute();
}

export async function deleteDeployment(
  db: Db,
  connectionId: string,
  environmentId: string,
): Promise<void> {
  await db
    .deleteFrom('deployments')
    .where('connection_id', '=', connectionId)
    .where('environment_id', '=', environmentId)
    .execute();
}

/**
 * What each environment runs, for many connections (a page of the connection list) in two
 * queries — the deployments, then the current values of every variable they pinned:
 * connection id → environment id → state. Connections deployed nowhere are absent.
 */
export async function readDeploymentStates(
  db: Db,
  connectionIds: readonly string[],
): Promise<Map<string, Record<string, DeploymentState>>> {
  const states = new Map<string, Record<string, DeploymentState>>();
  if (connectionIds.length === 0) return states;
  const rows = await db
    .selectFrom('deployments')
    .selectAll()
    .where('connection_id', 'in', connectionIds)
    .orderBy('connection_id')
    .orderBy('environment_id')
    .execute();
  const pins = rows.map((row) => parsePinnedVariables(row.pinned_variables));
  const current = await readValuesByName(
    db,
    pins.flatMap((pinned) => Object.keys(pinned)),
  );
  for (const [index, row] of rows.entries()) {
    const byEnvironment = states.get(row.connection_id) ?? {};
    byEnvironment[row.environment_id] = {
      revision: Number(row.revision),
      deployedAt: row.deployed_at,
      deployedBy: row.deployed_by,
      variablesChanged: changedVariables(pins[index] ?? {}, current, row.environment_id),
    };
    states.set(row.connection_id, byEnvironment);
  }
  return states;
}

export async function insertDeploymentResult(db: Db, result: DeploymentResult): Promise<void> {
  await db
    .insertInto('deployment_results')
    .values({
      id: result.id,
      connection_id: result.connectionId,
      environment_id: result.environment,
      action: result.action,
      revision: result.revision,
      previous_revision: result.previousRevision,
      outcome: result.outcome,
      message: result.message,
      created_at: result.createdAt,
      created_by: result.createdBy,
    })
    .execute();
}

/**
 * Newest first. Deploys of one connection hold its lock, so their `seq` order is the order
 * they committed in; `beforeSeq` continues a page.
 */
export async function listDeploymentResults(
  db: Db,
  connectionId: string,
  page: { environmentId?: string; beforeSeq?: number; limit: number },
): Promise<Array<DeploymentResult & { seq: number }>> {
  let query = db
    .selectFrom('deployment_results')
    .selectAll()
    .where('connection_id', '=', connectionId);
  if (page.environmentId !== undefined) {
    query = query.where('environment_id', '=', page.environmentId);
  }
  if (page.beforeSeq !== undefined) query = query.where('seq', '<', page.beforeSeq);
  const rows = await query.orderBy('seq', 'desc').limit(page.limit).execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    id: row.id,
    connectionId: row.connection_id,
    environment: row.environment_id,
    action: row.action as DeploymentAction,
    revision: row.revision === null ? null : Number(row.revision),
    previousRevision: row.previous_revision === null ? null : Number(row.previous_revision),
    outcome: row.outcome as DeploymentOutcome,
    message: row.message,
    createdAt: row.created_at,
    createdBy: row.created_by,
  }));
}

/**
 * How many connections use an environment: parameters for it in their current configuration,
 * or a revision deployed to it (a later save may have dropped the environment while the
 * deployed revision still runs there). Reads connections' `connection_environments` index
 * table beside ours, in one query, so a connection that is both counts once.
 */
export async function countConnectionsUsingEnvironment(
  db: Db,
  environmentId: string,
): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('connection_environments')
        .select('connection_id')
        .where('environment_id', '=', environmentId)
        .union(
          db
            .selectFrom('deployments')
            .select('connection_id')
            .where('environment_id', '=', environmentId),
        )
        .as('using_environment'),
    )
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
