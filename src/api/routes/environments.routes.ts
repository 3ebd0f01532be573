import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import { environmentIn, environmentOut, environmentPatch } from '../../contracts/environments.ts';
import type { ZodApp } from '../create-app.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['environments'];

export function registerEnvironmentRoutes(app: ZodApp): void {
  const { environments } = app.services;

  app.get(
    '/api/v1/environments',
    {
      config: { permission: 'config:read' },
      schema: { tags, summary: 'List environments', response: { 200: listOf(environmentOut) } },
    },
    async () => ({ items: await environments.list(), next: null }),
  );

  app.post(
    '/api/v1/environments',
    {
      config: { permission: 'environments:write' },
      schema: {
        tags,
        summary: 'Create an environment',
        body: environmentIn,
        response: { 201: environmentOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await environments.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/environments/${encodeURIComponent(created.id)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/environments/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get an environment',
        params,
        response: { 200: environmentOut, 404: errorOut },
      },
    },
    async (request) => environments.get(request.params.id),
  );

  app.patch(
    '/api/v1/environments/:id',
    {
      config: { permission: 'environments:write' },
      schema: {
        tags,
        summary: 'Change an environment',
        description:
          'Lowering a production-kind environment to another kind, or raising one to production while a critical connection runs there, waits for a second admin: 409 APPROVAL_REQUIRED with the approvalId, and nothing is changed until another admin approves it.',
        params,
        body: environmentPatch,
        response: {
          200: environmentOut,
          400: errorOut,
          403: errorOut,
          404: errorOut,
          409: errorOut,
        },
      },
    },
    async (request) => environments.update(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/environments/:id',
    {
      config: { permission: 'environments:write' },
      schema: {
        tags,
        summary: 'Delete an environment no connection uses',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await environments.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );
}
