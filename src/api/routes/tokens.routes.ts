import { z } from 'zod';
import { tokenCreatedOut, tokenIn, tokenListQuery, tokenOut } from '../../contracts/access.ts';
import { errorOut, listOf } from '../../contracts/common.ts';
import type { ZodApp } from '../create-app.ts';

const params = z.object({ id: z.string().min(1).max(64) });
const tags = ['tokens'];

export function registerTokenRoutes(app: ZodApp): void {
  const { tokens } = app.services.access;

  app.post(
    '/api/v1/tokens',
    {
      config: { permission: 'account:self' },
      bodyLimit: 4 * 1024,
      schema: {
        tags,
        summary:
          'Create an API token of yours (optionally a narrower role and an expiry); its value is shown once',
        body: tokenIn,
        response: { 201: tokenCreatedOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const created = await tokens.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/tokens/${encodeURIComponent(created.id)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { permission: 'account:self' },
      schema: {
        tags,
        summary: 'List your tokens (admins: ?user= for another user’s); never their values',
        querystring: tokenListQuery,
        response: { 200: listOf(tokenOut), 400: errorOut, 404: errorOut },
      },
    },
    async (request) => tokens.list(request.query, request.actor),
  );

  app.get(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'account:self' },
      schema: { tags, summary: 'Get a token', params, response: { 200: tokenOut, 404: errorOut } },
    },
    async (request) => tokens.get(request.params.id, request.actor),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { permission: 'account:self' },
      schema: {
        tags,
        summary: 'Revoke a token (yours; admins: anyone’s): refused from the next request on',
        params,
        response: { 200: tokenOut, 404: errorOut },
      },
    },
    async (request) => tokens.revoke(request.params.id, request.actor),
  );
}
