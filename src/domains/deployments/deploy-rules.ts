import type { Actor } from '../../core/context.ts';
import { AppError, notFound, validationFailed } from '../../core/errors.ts';
import type { Connection, EnvironmentParams } from '../../contracts/connections.ts';
import type { Environment } from '../../contracts/environments.ts';
import { parseTemplate } from '../../contracts/templates.ts';
import { createSigner } from '../../dispatch/signing/index.ts';
import { TemplateUnresolvedError } from '../../dispatch/render/index.ts';
import type { Db, Tx } from '../../store/create-store.ts';
import { findRevision } from '../connections/index.ts';
import type { EnvironmentService } from '../environments/index.ts';

/** What a deploy asks for, once the rules found everything it names. */
export interface DeployRequest {
  connection: Connection;
  environment: Environment;
  revision: number;
  params: EnvironmentParams;
  actor: Actor;
  /** the revision the environment runs now (null: none) */
  runningRevision: number | null;
  /** the revision last deployed there, even if undeployed since (null: none ever was) */
  lastDeployedRevision: number | null;
  /** set when an admin approves a pending approval: this deploy carries it out */
  approvalId?: string;
  /** the approver's comment */
  comment?: string;
}

/** What an undeploy asks for: the environment stops running `runningRevision`. */
export interface UndeployRequest {
  connection: Connection;
  environment: Environment;
  actor: Actor;
  /** the revision the environment runs now (null: none, the undeploy changes nothing) */
  runningRevision: number | null;
  /** set when an admin approves a pending approval: this undeploy carries it out */
  approvalId?: string;
  comment?: string;
}

/**
 * Who may deploy where, and approvals (DESIGN §1: production deploys of a `critical`
 * connection need a second person): throw FORBIDDEN, or AppError('APPROVAL_REQUIRED', …) —
 * which the deployment service commits (the approval it wrote stays) and answers. Runs inside
 * the deploy's transaction, after every other rule passed.
 */
export type CheckDeployAllowed = (request: DeployRequest, tx: Tx) => Promise<void>;

/**
 * Who may undeploy from an environment, and approvals (taking a critical connection out of
 * production is an outage): throw FORBIDDEN or APPROVAL_REQUIRED, as for deploys.
 */
export type CheckUndeployAllowed = (request: UndeployRequest, tx: Tx) => Promise<void>;

/** Every deploy allowed: for tests of the deploy rules themselves. */
export const allowEveryDeploy: CheckDeployAllowed = async () => {};

/** The environment `given` names (ids ignore case), or VALIDATION_FAILED at `path`. */
export async function findEnvironmentFor(
  db: Db,
  environments: EnvironmentService,
  given: string,
  path: string,
): Promise<Environment> {
  try {
    return await environments.get(given, db);
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw validationFailed([{ path, message: `unknown environment '${given}'` }]);
    }
    throw error;
  }
}

/**
 * The rules a revision must pass to run in an environment: it exists (NOT_FOUND), it has
 * parameters for the environment, and those keep TLS verification on when the environment is
 * production-kind — checked again here because an environment's kind can change after the
 * revision was saved (VALIDATION_FAILED at `path`).
 */
export async function checkDeployable(
  db: Db,
  connection: Connection,
  environment: Environment,
  revision: number,
  path: string,
): Promise<EnvironmentParams> {
  const saved = await findRevision(db, connection.id, revision);
  if (!saved) throw notFound('revision', `${connection.name}@${revision}`);
  const params = saved.spec.environments[environment.id];
  if (!params) {
    throw validationFailed([
      {
        path,
        message: `revision ${revision} of connection '${connection.name}' has no parameters for environment '${environment.id}'; add them and save, then deploy the new revision`,
      },
    ]);
  }
  if (environment.kind === 'production' && !params.tls.verify) {
    throw validationFailed([
      {
        path,
        message: `revision ${revision} turns TLS verification off, which production environment '${environment.id}' does not allow`,
      },
    ]);
  }
  return params;
}

/** A secret's value now, or why there is none (the secrets domain's resolveSecretDetailed). */
export type ReadSecret = (name: string, tx: Tx) => Promise<{ value: string } | { problem: string }>;

/**
 * A signing secret that cannot be a key (not `whsec_` + base64, a key under 16 bytes) is
 * refused at deploy, VALIDATION_FAILED at `environments.<env>.signing.secret` naming the
 * secret — not found on the first call as TEMPLATE_UNRESOLVED. A secret with no value now
 * (not created yet, an env or file source this process cannot read) is left to the call,
 * which names it: rotation and env/file sources must not need a deploy.
 */
export async function checkSigningSecret(
  params: EnvironmentParams,
  environmentId: string,
  readSecret: ReadSecret,
  tx: Tx,
): Promise<void> {
  const { signing } = params;
  if (signing.scheme === 'none') return;
  // the contract allows one {{secret.NAME}} reference there and nothing else
  const parsed = parseTemplate(signing.secret);
  const reference = 'references' in parsed ? parsed.references[0] : undefined;
  if (reference?.namespace !== 'secret') return;
  const { name } = reference;
  const read = await readSecret(name, tx);
  if (!('value' in read)) return;
  try {
    createSigner(signing, read.value);
  } catch (error) {
    if (!(error instanceof TemplateUnresolvedError)) throw error;
    const reason = error.refused[0]?.reason ?? error.message;
    throw validationFailed([
      {
        path: `environments.${environmentId}.signing.secret`,
        message: `the ${signing.scheme} signing secret secret.${name} cannot be used as a key: ${reason}; set the secret to a valid value, then deploy`,
      },
    ]);
  }
}
