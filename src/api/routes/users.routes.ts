import { z } from 'zod';
import { passwordChangeIn, userIn, userOut, userPatch, whoAmIOut } from '../../contracts/access.ts';
import { errorOut, listOf, listQuery } from '../../contracts/common.ts';
import type { ZodApp } from '../create-app.ts';
import { whoAmI } from './whoami.ts';

const params = z.object({ id: z.string().min(1).max(64).describe('user id or user name') });
const tags = ['users'];
// a user document is tiny; a password is at most 1 KiB
const userBodyLimitBytes = 16 * 1024;

export function registerUserRoutes(app: ZodApp): void {
  const { access } = app.services;

  app.get(
    '/api/v1/users/me',
    {
      config: { permission: 'account:self', beforePasswordChange: true },
      schema: {
        tags,
        summary: 'Who is calling: the user, how they authenticated, the role that counts',
        response: { 200: whoAmIOut, 401: errorOut },
      },
    },
    async (request) => whoAmI(access, request),
  );

  app.post(
    '/api/v1/users/me/password',
    {
      config: { permission: 'account:self', beforePasswordChange: true },
      bodyLimit: userBodyLimitBytes,
      schema: {
        operationId: 'users.me.changePassword',
        tags,
        summary: 'Change your own password (your other sessions end)',
        body: passwordChangeIn,
        response: { 204: z.null(), 400: errorOut },
      },
    },
    async (request, reply) => {
      await access.users.changeOwnPassword(request.actor, request.body);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'List users by user name',
        querystring: listQuery,
        response: { 200: listOf(userOut), 400: errorOut },
      },
    },
    async (request) => access.users.list(request.query),
  );

  app.post(
    '/api/v1/users',
    {
      config: { permission: 'users:manage' },
      bodyLimit: userBodyLimitBytes,
      schema: {
        tags,
        summary: 'Create a user (they choose their own password at the first login)',
        body: userIn,
        response: { 201: userOut, 400: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await access.users.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/users/${encodeURIComponent(created.id)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: { tags, summary: 'Get a user', params, response: { 200: userOut, 404: errorOut } },
    },
    async (request) => access.users.get(request.params.id),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:manage' },
      bodyLimit: userBodyLimitBytes,
      schema: {
        tags,
        summary:
          'Change a user: role, display name, disabled (signs them out), or a new password they must change',
        params,
        body: userPatch,
        response: { 200: userOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) => access.users.update(request.params.id, request.body, request.actor),
  );
}
