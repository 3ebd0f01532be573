import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import { connectionRefQuery } from '../../contracts/connections.ts';
import {
  deliveryAccepted,
  deliveryBatchAccepted,
  deliveryBatchIn,
  deliveryDetailOut,
  deliveryIn,
  deliveryListQuery,
  deliveryOut,
  deliveryReplayIn,
  deliveryReplayOut,
} from '../../contracts/deliveries.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['deliveries'];
const connectionParams = z.object({
  id: z.string().min(1).max(200).describe('the connection id or its name'),
});
const deliveryParams = z.object({
  id: z.string().min(1).max(200).describe('the delivery id (dlv_…)'),
});
const idempotencyHeaders = z.looseObject({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, {
      error: 'use 1-255 visible ASCII characters',
    })
    .optional()
    .describe(
      'a retried accept with the same key (per connection, for 24 h) answers the first delivery instead of making a second; the same key with a different body, params, headers or environment is refused with 422 IDEMPOTENCY_KEY_REUSED',
    ),
});

// One key cannot stand for a thousand deliveries: a retried batch would be stored twice while
// its caller believed the key protected it, so the header is refused rather than ignored.
const batchHeaders = z.looseObject({
  'idempotency-key': z
    .undefined({
      error:
        'Idempotency-Key is for single accepts; a batch is one transaction: retry it only when it was not answered 202',
    })
    .optional(),
});

export function registerDeliveryRoutes(app: ZodApp): void {
  const { deliveries } = app.services;

  app.post(
    '/api/v1/connections/:id/deliveries',
    {
      config: { permission: 'runtime:use', exactCallBodies: true },
      schema: {
        operationId: 'deliveries.create',
        tags,
        summary:
          'Hand over one call for durable delivery: stored before the 202, then sent and retried by the workers',
        params: connectionParams,
        querystring: connectionRefQuery,
        headers: idempotencyHeaders,
        body: deliveryIn,
        response: {
          202: deliveryAccepted,
          400: errorOut,
          404: errorOut,
          409: errorOut,
          422: errorOut,
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send(
        await deliveries.accept(request.params.id, request.body, {
          ...request.query,
          idempotencyKey: request.headers['idempotency-key'],
        }),
      ),
  );

  app.post(
    '/api/v1/connections/:id/deliveries/batch',
    {
      config: { permission: 'runtime:use', exactCallBodies: true },
      schema: {
        operationId: 'deliveries.createBatch',
        tags,
        summary:
          'Hand over up to 1,000 calls for durable delivery in one request: all stored, or none',
        params: connectionParams,
        querystring: connectionRefQuery,
        headers: batchHeaders,
        body: deliveryBatchIn,
        response: { 202: deliveryBatchAccepted, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await deliveries.acceptBatch(request.params.id, request.body, request.query)),
  );

  app.get(
    '/api/v1/deliveries',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'List deliveries, newest first, by connection, environment and status',
        querystring: deliveryListQuery,
        response: { 200: listOf(deliveryOut), 400: errorOut },
      },
    },
    async (request) => deliveries.list(request.query),
  );

  app.post(
    '/api/v1/deliveries/:id/replay',
    {
      config: { permission: 'runtime:use' },
      schema: {
        tags,
        summary:
          'Send a succeeded or failed delivery again: a new attempt of the same delivery (same webhook-id)',
        params: deliveryParams,
        response: { 202: deliveryOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request, reply) => reply.code(202).send(await deliveries.replay(request.params.id)),
  );

  app.post(
    '/api/v1/deliveries/replay',
    {
      config: { permission: 'runtime:use' },
      schema: {
        operationId: 'deliveries.replayMany',
        tags,
        summary:
          'Send again every finished delivery that matches (default: the failed ones), up to `limit` per call, oldest first; with `dryRun`, count them instead (200)',
        body: deliveryReplayIn,
        response: { 200: deliveryReplayOut, 202: deliveryReplayOut, 400: errorOut },
      },
    },
    async (request, reply) =>
      reply
        .code(request.body.dryRun ? 200 : 202)
        .send(await deliveries.replayMatching(request.body)),
  );

  app.get(
    '/api/v1/deliveries/:id',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary: 'One delivery with every attempt made (outcome, status, time, the answer)',
        params: deliveryParams,
        response: { 200: deliveryDetailOut, 404: errorOut },
      },
    },
    async (request) => deliveries.get(request.params.id),
  );
}
