import { z } from 'zod';
import { errorOut, listOf, slugId } from '../../contracts/common.ts';
import { connectionRefQuery, ifMatchHeader } from '../../contracts/connections.ts';
import {
  deployIn,
  deploymentListQuery,
  deploymentResultOut,
  undeployIn,
} from '../../contracts/deployments.ts';
import { deployedRequestOut } from '../../contracts/deployed-request.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['deployments'];
const params = z.object({
  id: z.string().min(1).max(200).describe('the connection id or its name'),
});
const ifMatch = z.looseObject({
  'if-match': ifMatchHeader
    .optional()
    .describe(
      'the connection revision you read, e.g. "3": refused with REVISION_CONFLICT if it changed',
    ),
});
const acted = { 200: deploymentResultOut, 400: errorOut, 404: errorOut, 409: errorOut };

export function registerDeploymentRoutes(app: ZodApp): void {
  const { deployments, invocations } = app.services;

  app.get(
    '/api/v1/connections/:id/deployments/:environment/request',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'The request the revision deployed in an environment sends, with a curl command: secrets and params as placeholders, never values',
        params: params.extend({ environment: slugId }),
        querystring: connectionRefQuery,
        response: { 200: deployedRequestOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) =>
      invocations.deployedRequest(request.params.id, request.params.environment, request.query),
  );

  app.post(
    '/api/v1/connections/:id/deploy',
    {
      config: { permission: 'deploy:non-production' },
      schema: {
        tags,
        summary:
          'Deploy a revision (default: the latest) to an environment; answers the deployment result',
        params,
        querystring: connectionRefQuery,
        headers: ifMatch,
        body: deployIn,
        response: acted,
      },
    },
    async (request) =>
      deployments.deploy(request.params.id, request.body, request.actor, {
        ...request.query,
        ifMatch: request.headers['if-match'],
      }),
  );

  app.post(
    '/api/v1/connections/:id/undeploy',
    {
      config: { permission: 'deploy:non-production' },
      schema: {
        tags,
        summary: 'Undeploy a connection from an environment: calls there fail from now on',
        description:
          'Undeploying a critical connection from a production-kind environment (an outage) waits for a second admin: 409 APPROVAL_REQUIRED with the approvalId; approving it undeploys.',
        params,
        querystring: connectionRefQuery,
        headers: ifMatch,
        body: undeployIn,
        response: acted,
      },
    },
    async (request) =>
      deployments.undeploy(request.params.id, request.body, request.actor, {
        ...request.query,
        ifMatch: request.headers['if-match'],
      }),
  );

  app.get(
    '/api/v1/connections/:id/deployments',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          "List a connection's deployment results (who, when, revision, outcome), newest first",
        params,
        querystring: deploymentListQuery.extend(connectionRefQuery.shape),
        response: {
          200: listOf(deploymentResultOut),
          400: errorOut,
          404: errorOut,
          409: errorOut,
        },
      },
    },
    async (request) => deployments.list(request.params.id, request.query),
  );
}
