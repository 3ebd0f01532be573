import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import { projectIn, projectOut, projectPatch } from '../../contracts/projects.ts';
import type { ZodApp } from '../create-app.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['projects'];

export function registerProjectRoutes(app: ZodApp): void {
  const { projects } = app.services;

  app.get(
    '/api/v1/projects',
    {
      config: { permission: 'config:read' },
      schema: { tags, summary: 'List projects', response: { 200: listOf(projectOut) } },
    },
    async () => ({ items: await projects.list(), next: null }),
  );

  app.post(
    '/api/v1/projects',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Create a project',
        body: projectIn,
        response: { 201: projectOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await projects.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/projects/${encodeURIComponent(created.id)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/projects/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get a project',
        params,
        response: { 200: projectOut, 404: errorOut },
      },
    },
    async (request) => projects.get(request.params.id),
  );

  app.patch(
    '/api/v1/projects/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Change a project',
        params,
        body: projectPatch,
        response: { 200: projectOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => projects.update(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/projects/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Delete an empty project',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await projects.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );
}
