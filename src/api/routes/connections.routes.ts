import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorOut, listOf, listQuery } from '../../contracts/common.ts';
import {
  connectionIn,
  connectionListOut,
  connectionListQuery,
  connectionOut,
  connectionPatch,
  connectionRefQuery,
  connectionSaveQuery,
  duplicateIn,
  ifMatchHeader,
  nameExistsOut,
  nameExistsQuery,
  revisionOut,
  revisionSummaryOut,
  rollbackIn,
  type Connection,
} from '../../contracts/connections.ts';
import { AppError } from '../../core/errors.ts';
import { connectionFor, revisionFor } from '../../domains/connections/index.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['connections'];
const params = z.object({
  id: z.string().min(1).max(200).describe('the connection id or its name'),
});
const revisionParams = params.extend({ revision: z.coerce.number().int().min(1) });
const ifMatch = z.looseObject({
  'if-match': ifMatchHeader
    .optional()
    .describe('the revision you read, e.g. "3": refused with REVISION_CONFLICT if it changed'),
});
const changed = { 200: connectionOut, 400: errorOut, 404: errorOut, 409: errorOut };
const acted = { 200: connectionOut, 404: errorOut, 409: errorOut };

/** A connection answer carries its revision as the ETag, to send back as If-Match. */
function sendConnection(reply: FastifyReply, connection: Connection, status = 200) {
  return reply.code(status).header('etag', `"${connection.revision}"`).send(connection);
}

function sendCreated(reply: FastifyReply, connection: Connection) {
  reply.header('location', `/api/v1/connections/${connection.id}`);
  return sendConnection(reply, connection, 201);
}

export function registerConnectionRoutes(app: ZodApp): void {
  const { connections, deployments } = app.services;

  /**
   * POST and PUT validate with attachValidation, so that a refused body is also checked
   * against the store (unknown environment or project, TLS off in production): the user
   * gets every problem in one answer. Validation runs on the raw body; nothing is written.
   */
  async function refuseInvalid(request: FastifyRequest): Promise<void> {
    const refusal = request.validationError;
    if (!refusal) return;
    if (!(refusal instanceof AppError)) throw refusal;
    throw await connections.explainRefusal(request.body, refusal);
  }

  app.get(
    '/api/v1/connections',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List connections (what a project sees), in name order, with how many match',
        querystring: connectionListQuery,
        response: { 200: connectionListOut, 400: errorOut, 404: errorOut },
      },
    },
    async (request) => {
      const page = await connections.list(request.query);
      return { ...page, items: page.items.map((item) => connectionFor(request.actor, item)) };
    },
  );

  app.post(
    '/api/v1/connections',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Create a connection (answers warnings for plain http in production, literal credentials)',
        body: connectionIn,
        response: { 201: connectionOut, 400: errorOut, 409: errorOut },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      await refuseInvalid(request);
      return sendCreated(reply, await connections.create(request.body, request.actor));
    },
  );

  // before /:id, so `name-exists` is never read as a connection name
  app.get(
    '/api/v1/connections/name-exists',
    {
      config: { permission: 'config:read' },
      schema: {
        operationId: 'connections.nameExists',
        tags,
        summary: 'Check whether a connection name is taken where it would be saved',
        querystring: nameExistsQuery,
        response: { 200: nameExistsOut, 400: errorOut },
      },
    },
    async (request) => connections.nameExists(request.query),
  );

  app.get(
    '/api/v1/connections/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get a connection by id or name',
        params,
        querystring: connectionRefQuery,
        response: { 200: connectionOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        connectionFor(request.actor, await connections.get(request.params.id, request.query)),
      ),
  );

  app.put(
    '/api/v1/connections/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Replace a connection (a new revision when its configuration changed); ?deploy=<env> is Save and Deploy, in one transaction',
        params,
        querystring: connectionSaveQuery,
        headers: ifMatch,
        body: connectionIn,
        response: changed,
      },
      attachValidation: true,
    },
    async (request, reply) => {
      await refuseInvalid(request);
      const { deploy, ...ref } = request.query;
      const options = { ...ref, ifMatch: request.headers['if-match'] };
      return sendConnection(
        reply,
        deploy === undefined
          ? await connections.replace(request.params.id, request.body, request.actor, options)
          : await deployments.saveAndDeploy(
              request.params.id,
              request.body,
              deploy,
              request.actor,
              options,
            ),
      );
    },
  );

  app.patch(
    '/api/v1/connections/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Change a connection with a JSON merge patch (RFC 7396)',
        params,
        querystring: connectionRefQuery,
        headers: ifMatch,
        body: connectionPatch,
        response: changed,
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        await connections.patch(request.params.id, request.body, request.actor, {
          ...request.query,
          ifMatch: request.headers['if-match'],
        }),
      ),
  );

  app.delete(
    '/api/v1/connections/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Delete a connection and its revisions',
        params,
        querystring: connectionRefQuery,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await connections.remove(request.params.id, request.actor, request.query);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/connections/:id/enable',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Enable a connection',
        params,
        querystring: connectionRefQuery,
        response: acted,
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        await connections.enable(request.params.id, request.actor, request.query),
      ),
  );

  app.post(
    '/api/v1/connections/:id/disable',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Disable a connection: it keeps its configuration, every call fails',
        params,
        querystring: connectionRefQuery,
        response: acted,
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        await connections.disable(request.params.id, request.actor, request.query),
      ),
  );

  app.post(
    '/api/v1/connections/:id/move-to-global',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Make a project connection global (visible to every project)',
        params,
        querystring: connectionRefQuery,
        response: acted,
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        await connections.moveToGlobal(request.params.id, request.actor, request.query),
      ),
  );

  app.get(
    '/api/v1/connections/:id/revisions',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: "List a connection's revisions, newest first",
        params,
        querystring: listQuery.extend(connectionRefQuery.shape),
        response: { 200: listOf(revisionSummaryOut), 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) => connections.listRevisions(request.params.id, request.query),
  );

  app.get(
    '/api/v1/connections/:id/revisions/:revision',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get one revision of a connection',
        params: revisionParams,
        querystring: connectionRefQuery,
        response: { 200: revisionOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) =>
      revisionFor(
        request.actor,
        await connections.getRevision(request.params.id, request.params.revision, request.query),
      ),
  );

  app.post(
    '/api/v1/connections/:id/rollback',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Save the configuration of an earlier revision as a new revision',
        params,
        querystring: connectionRefQuery,
        body: rollbackIn,
        response: changed,
      },
    },
    async (request, reply) =>
      sendConnection(
        reply,
        await connections.rollback(
          request.params.id,
          request.body.revision,
          request.actor,
          request.query,
        ),
      ),
  );

  app.post(
    '/api/v1/connections/:id/duplicate',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Copy a connection under a new name (revision 1)',
        params,
        querystring: connectionRefQuery,
        body: duplicateIn,
        response: { 201: connectionOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) =>
      sendCreated(
        reply,
        await connections.duplicate(request.params.id, request.body, request.actor, request.query),
      ),
  );
}
