import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import {
  secretIn,
  secretListQuery,
  secretOut,
  secretPatch,
  secretRotate,
  secretStatusOut,
} from '../../contracts/secrets.ts';
import { usageOut } from '../../contracts/usages.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['secrets'];
const params = z.object({ id: z.string().min(1).max(200).describe('the secret id or its name') });
const changed = { 200: secretOut, 400: errorOut, 403: errorOut, 404: errorOut };

/**
 * Secrets: write-only. No answer carries a value: create and rotate answer metadata (where
 * the value comes from, its version) and warnings; `status` says whether a call could use
 * it now. Sources env and file read the server's own environment and files: admin only.
 */
export function registerSecretRoutes(app: ZodApp): void {
  // (the shared JSON parser never repeats the text around a syntax error, which could be
  // the secret: plugins/json-body.ts)
  const { secrets } = app.services;

  app.get(
    '/api/v1/secrets',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List secrets (metadata only, never values), in name order',
        querystring: secretListQuery,
        response: { 200: listOf(secretOut), 400: errorOut },
      },
    },
    async (request) => secrets.list(request.query),
  );

  app.post(
    '/api/v1/secrets',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Create a secret from a value (stored encrypted), an environment variable or a file of the server; answers warnings when the source cannot be read now',
        body: secretIn,
        response: { 201: secretOut, 400: errorOut, 403: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      const created = await secrets.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/secrets/${encodeURIComponent(created.name)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/secrets/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: "Get a secret's metadata by id or name (never its value)",
        params,
        response: { 200: secretOut, 404: errorOut },
      },
    },
    async (request) => secrets.get(request.params.id),
  );

  app.get(
    '/api/v1/secrets/:id/usages',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'Connections that use {{secret.NAME}} in their configuration or a deployed revision, per environment',
        params,
        response: { 200: listOf(usageOut), 404: errorOut },
      },
    },
    // one page: every connection that uses it (bounded by the connections themselves)
    async (request) => ({ items: await secrets.usages(request.params.id), next: null }),
  );

  app.get(
    '/api/v1/secrets/:id/status',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Whether a call could use the secret now, and why not (never its value)',
        params,
        response: { 200: secretStatusOut, 404: errorOut },
      },
    },
    async (request) => secrets.status(request.params.id),
  );

  app.put(
    '/api/v1/secrets/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Rotate a secret: a new value or source, version + 1',
        params,
        body: secretRotate,
        response: changed,
      },
    },
    async (request) => secrets.rotate(request.params.id, request.body, request.actor),
  );

  app.patch(
    '/api/v1/secrets/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: "Change a secret's description (rotate the value with PUT)",
        params,
        body: secretPatch,
        response: changed,
      },
    },
    async (request) => secrets.patch(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/secrets/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Delete a secret; refused with SECRET_IN_USE while connections use it',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await secrets.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );
}
