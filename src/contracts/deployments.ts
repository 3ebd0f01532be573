import { z } from 'zod';
import { isoTimestamp, listQuery, slugId } from './common.ts';

/**
 * How a deploy or undeploy ended. `unchanged`: the revision asked for was already deployed
 * (or, for an undeploy, nothing was); `failed`: refused by a deploy rule, with the reason in
 * `message` — the same reason the request was answered with.
 */
export const deploymentOutcomes = ['deployed', 'unchanged', 'undeployed', 'failed'] as const;
export type DeploymentOutcome = (typeof deploymentOutcomes)[number];

export const deploymentActions = ['deploy', 'undeploy'] as const;
export type DeploymentAction = (typeof deploymentActions)[number];

/** `POST /connections/{id}/deploy`: pin a revision (default: the latest) to an environment. */
export const deployIn = z
  .strictObject({
    environment: slugId.describe('the environment to deploy to, e.g. production'),
    revision: z
      .int({ error: 'revision must be a whole number' })
      .min(1, { error: 'revision must be at least 1' })
      .optional()
      .describe('the revision to deploy (default: the latest)'),
  })
  .meta({ id: 'DeployIn' });

/** `POST /connections/{id}/undeploy`: the environment stops running the connection. */
export const undeployIn = z
  .strictObject({
    environment: slugId.describe('the environment to undeploy from'),
  })
  .meta({ id: 'UndeployIn' });

/** One entry of a connection's deployment history. */
export const deploymentResultOut = z
  .object({
    id: z.string(),
    connectionId: z.string(),
    environment: z.string(),
    action: z.enum(deploymentActions),
    revision: z
      .int()
      .nullable()
      .describe(
        'deploy: the revision asked for; undeploy: the revision taken down (null: none was deployed)',
      ),
    previousRevision: z
      .int()
      .nullable()
      .describe('what the environment ran before (null: nothing)'),
    outcome: z.enum(deploymentOutcomes),
    message: z.string(),
    createdAt: isoTimestamp,
    createdBy: z.string(),
  })
  .meta({ id: 'DeploymentResult' });

/** The revision an environment runs, as the connection answer shows it per environment id. */
export const deploymentStateOut = z
  .object({
    revision: z.int(),
    deployedAt: isoTimestamp,
    deployedBy: z.string(),
    variablesChanged: z
      .array(z.string())
      .describe('variables whose value changed since this deploy: redeploy to apply'),
  })
  .meta({ id: 'DeploymentState' });

/** `GET /connections/{id}/deployments`: newest first, optionally for one environment. */
export const deploymentListQuery = listQuery.extend({
  environment: slugId.optional().describe('only results for this environment'),
});

export type DeployIn = z.infer<typeof deployIn>;
export type UndeployIn = z.infer<typeof undeployIn>;
export type DeploymentResult = z.infer<typeof deploymentResultOut>;
export type DeploymentState = z.infer<typeof deploymentStateOut>;
export type DeploymentListQuery = z.infer<typeof deploymentListQuery>;
