import { z } from 'zod';
import { approvalDecisionIn, approvalListQuery, approvalOut } from '../../contracts/access.ts';
import { errorOut, listOf } from '../../contracts/common.ts';
import { deploymentResultOut } from '../../contracts/deployments.ts';
import { environmentOut } from '../../contracts/environments.ts';
import type { ZodApp } from '../create-app.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['approvals'];

export function registerApprovalRoutes(app: ZodApp): void {
  const { approvals } = app.services;

  app.get(
    '/api/v1/approvals',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'List approvals (deploys and undeploys of critical connections in production, changes of an environment’s kind), newest first',
        querystring: approvalListQuery,
        response: { 200: listOf(approvalOut), 400: errorOut, 404: errorOut },
      },
    },
    async (request) => approvals.list(request.query),
  );

  app.get(
    '/api/v1/approvals/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get an approval',
        params,
        response: { 200: approvalOut, 404: errorOut },
      },
    },
    async (request) => approvals.get(request.params.id),
  );

  app.post(
    '/api/v1/approvals/:id/approve',
    {
      config: { permission: 'approvals:decide' },
      bodyLimit: 8 * 1024,
      schema: {
        tags,
        summary:
          'Approve another person’s request: the deploy, undeploy or kind change is made now; answers the approval and what it changed',
        params,
        body: approvalDecisionIn.optional(),
        response: {
          200: z
            .object({
              approval: approvalOut,
              deployment: deploymentResultOut
                .nullable()
                .describe('deploy and undeploy: the deployment result; else null'),
              environment: environmentOut
                .nullable()
                .describe('environment-kind: the environment as it is now; else null'),
            })
            .meta({ id: 'ApprovalOutcome' }),
          400: errorOut,
          403: errorOut,
          404: errorOut,
          409: errorOut,
        },
      },
    },
    async (request) => approvals.approve(request.params.id, request.actor, request.body?.comment),
  );

  app.post(
    '/api/v1/approvals/:id/reject',
    {
      config: { permission: 'approvals:decide' },
      bodyLimit: 8 * 1024,
      schema: {
        tags,
        summary: 'Reject a pending request: nothing is changed',
        params,
        body: approvalDecisionIn.optional(),
        response: { 200: approvalOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) => approvals.reject(request.params.id, request.actor, request.body?.comment),
  );
}
