import { z } from 'zod';
import { errorOut, listOf } from '../../contracts/common.ts';
import { connectionRefQuery } from '../../contracts/connections.ts';
import { draftTestIn, invokeIn, invokeOut, testIn, testOut } from '../../contracts/invoke.ts';
import { metricsOut, metricsQuery } from '../../contracts/metrics.ts';
import { notificationListQuery, notificationOut } from '../../contracts/notifications.ts';
import { outcomeCode } from '../../contracts/outcomes.ts';
import type { ZodApp } from '../create-app.ts';

const tags = ['runtime'];
const params = z.object({
  id: z.string().min(1).max(200).describe('the connection id or its name'),
});
const traceHeaders = z.looseObject({
  traceparent: z.string().max(55).optional().describe('a W3C traceparent to continue'),
});

const healthLevel = z
  .enum(['ok', 'degraded', 'failing'])
  .describe(
    'from the latest 20 tries: failing when the last failed and at least half did (or the delivery circuit is open), degraded when any did, ok when none did',
  );
const healthOut = z
  .object({
    connectionId: z.string(),
    connection: z.string(),
    environment: z.string(),
    health: healthLevel,
    lastOutcome: outcomeCode,
    lastAt: z.string().describe('ISO-8601 UTC timestamp of the latest try'),
    recentTries: z.int(),
    recentFailures: z.int(),
    circuit: z.enum(['closed', 'open', 'half_open']),
  })
  .meta({ id: 'ConnectionHealth' });

export function registerInvokeRoutes(app: ZodApp): void {
  const { invocations, notifications, engine, metrics } = app.services;

  app.post(
    '/api/v1/connections/:id/invoke',
    {
      config: { permission: 'runtime:use', exactCallBodies: true },
      schema: {
        tags,
        summary:
          'Call the deployed revision now and answer what came back (any outcome is a 200; see outcome)',
        params,
        querystring: connectionRefQuery,
        headers: traceHeaders,
        body: invokeIn,
        response: { 200: invokeOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) =>
      invocations.invoke(request.params.id, request.body, {
        ...request.query,
        traceparent: request.headers.traceparent,
      }),
  );

  app.post(
    '/api/v1/connections/:id/test',
    {
      config: { permission: 'runtime:use', exactCallBodies: true },
      schema: {
        tags,
        summary:
          'Test Connection: one real call of the latest revision (deployed or not) with timings, TLS peer and a hint',
        params,
        querystring: connectionRefQuery,
        headers: traceHeaders,
        body: testIn,
        response: { 200: testOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) =>
      invocations.test(request.params.id, request.body, {
        ...request.query,
        traceparent: request.headers.traceparent,
      }),
  );

  app.post(
    '/api/v1/connections/test',
    {
      config: { permission: 'runtime:use', exactCallBodies: true },
      schema: {
        operationId: 'connections.testDraft',
        tags,
        summary: 'Test Connection for a configuration that is not saved yet',
        headers: traceHeaders,
        body: draftTestIn,
        response: { 200: testOut, 400: errorOut },
      },
    },
    async (request) =>
      invocations.testDraft(request.body, { traceparent: request.headers.traceparent }),
  );

  app.get(
    '/api/v1/connections/:id/metrics',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'Calls over time (1h, 24h or 7d, stored per minute), by outcome, latency percentiles, timeout rate, pool and circuit state, per environment',
        params,
        querystring: metricsQuery,
        response: { 200: metricsOut, 400: errorOut, 404: errorOut, 409: errorOut },
      },
    },
    async (request) => metrics.connectionMetrics(request.params.id, request.query),
  );

  app.get(
    '/api/v1/connection-health',
    {
      config: { permission: 'config:read' },
      schema: {
        tags,
        summary:
          'The health of every connection and environment called since this server started (targets never called are not listed)',
        querystring: z.object({
          health: healthLevel.optional(),
          environment: z.string().optional(),
        }),
        response: { 200: z.object({ items: z.array(healthOut) }) },
      },
    },
    async (request) => ({ items: invocations.health(request.query) }),
  );

  app.get(
    '/api/v1/notifications',
    {
      config: { permission: 'config:read' },
      schema: {
        tags: ['notifications'],
        summary: 'Failures, aggregated per connection, environment, code and minute; newest first',
        querystring: notificationListQuery,
        response: { 200: listOf(notificationOut), 400: errorOut },
      },
    },
    async (request) => notifications.list(request.query),
  );

  app.get(
    '/metrics',
    {
      config: { permission: 'metrics:read' },
      schema: { tags: ['health'], summary: 'Prometheus metrics (bearer token required)' },
    },
    async (_request, reply) => {
      const { contentType, body } = await engine.metrics.exposition();
      return reply.type(contentType).send(body);
    },
  );
}
