import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import {
  variableIn,
  variableListQuery,
  variableOut,
  variablePatch,
  variableReplace,
  variableValueIn,
} from '../../contracts/variables.ts';
import { usageOut } from '../../contracts/usages.ts';
import { AppError } from '../../core/errors.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['variables'];
const params = z.object({ id: z.string().min(1).max(200).describe('the variable id or its name') });
const valueParams = params.extend({
  environment: z.string().min(1).max(64).describe('an environment id'),
});
const changed = { 200: variableOut, 400: errorOut, 404: errorOut };

export function registerVariableRoutes(app: ZodApp): void {
  const { variables } = app.services;

  /** A refused POST/PUT body is also checked for unknown environments: every problem at once. */
  async function refuseInvalid(request: FastifyRequest): Promise<void> {
    const refusal = request.validationError;
    if (!refusal) return;
    if (!(refusal instanceof AppError)) throw refusal;
    throw await variables.explainRefusal(request.body, refusal);
  }

  app.get(
    '/api/v1/variables',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List variables with their values, in name order',
        querystring: variableListQuery,
        response: { 200: listOf(variableOut), 400: errorOut, 404: errorOut },
      },
    },
    async (request) => variables.list(request.query),
  );

  app.post(
    '/api/v1/variables',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Create a variable: a value per environment, referenced as {{var.NAME}} (names ignore case)',
        body: variableIn,
        response: { 201: variableOut, 400: errorOut, 409: errorOut },
      },
      attachValidation: true,
    },
    async (request, reply) => {
      await refuseInvalid(request);
      const created = await variables.create(request.body, request.actor);
      return reply
        .code(201)
        .header('location', `/api/v1/variables/${encodeURIComponent(created.name)}`)
        .send(created);
    },
  );

  app.get(
    '/api/v1/variables/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'Get a variable by id or name',
        params,
        response: { 200: variableOut, 404: errorOut },
      },
    },
    async (request) => variables.get(request.params.id),
  );

  app.put(
    '/api/v1/variables/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Replace the description and every value (environments left out lose theirs)',
        params,
        body: variableReplace,
        response: changed,
      },
      attachValidation: true,
    },
    async (request) => {
      await refuseInvalid(request);
      return variables.replace(request.params.id, request.body, request.actor);
    },
  );

  app.get(
    '/api/v1/variables/:id/usages',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'Connections that use {{var.NAME}} in their configuration or a deployed revision, per environment',
        params,
        response: { 200: listOf(usageOut), 404: errorOut },
      },
    },
    // one page: every connection that uses it (bounded by the connections themselves)
    async (request) => ({ items: await variables.usages(request.params.id), next: null }),
  );

  app.patch(
    '/api/v1/variables/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: 'Set some values (null removes one) or the description; the rest stays',
        params,
        body: variablePatch,
        response: changed,
      },
    },
    async (request) => variables.patch(request.params.id, request.body, request.actor),
  );

  app.delete(
    '/api/v1/variables/:id',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary:
          'Delete a variable and all its values; refused with VARIABLE_IN_USE while connections use it',
        params,
        response: { 204: z.undefined(), 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => {
      await variables.remove(request.params.id, request.actor);
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/v1/variables/:id/values/:environment',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: "Set one environment's value",
        params: valueParams,
        body: variableValueIn,
        response: changed,
      },
    },
    async (request) =>
      variables.setValue(
        request.params.id,
        request.params.environment,
        request.body.value,
        request.actor,
      ),
  );

  app.delete(
    '/api/v1/variables/:id/values/:environment',
    {
      config: { permission: 'config:write' },
      schema: {
        tags,
        summary: "Remove one environment's value",
        params: valueParams,
        response: changed,
      },
    },
    async (request) =>
      variables.removeValue(request.params.id, request.params.environment, request.actor),
  );
}
