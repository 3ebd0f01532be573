import { z } from 'zod';
import { auditRecordOut } from '../../contracts/audit.ts';
import { errorOut, listOf, listQuery } from '../../contracts/common.ts';
import type { ZodApp } from '../create-app.ts';

const timestampOrDate = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/**
 * An ISO-8601 timestamp with a zone (`2025-11-13T09:30:00Z`) or a date (`2025-11-13`, midnight
 * UTC), normalised to the stored form (UTC, milliseconds) so it compares as text on SQLite too.
 */
const queryTimestamp = z
  .string()
  .refine((text) => timestampOrDate.safeParse(text).success, {
    error: 'use an ISO-8601 timestamp with a zone (2025-11-13T09:30:00Z) or a date (2025-11-13)',
  })
  .transform((text) => new Date(text).toISOString());

const auditQuery = listQuery
  .extend({
    actor: z.string().min(1).max(200).optional().describe('who, e.g. admin'),
    action: z.string().min(1).max(100).optional().describe('e.g. environment.update'),
    targetType: z.string().min(1).max(100).optional().describe('e.g. connection'),
    targetId: z.string().min(1).max(200).optional(),
    since: queryTimestamp.optional().describe('records at or after this time'),
    until: queryTimestamp.optional().describe('records before this time'),
  })
  .refine((query) => !query.since || !query.until || query.since <= query.until, {
    path: ['until'],
    error: 'until must not be before since',
  });

export function registerAuditRoutes(app: ZodApp): void {
  const { audit } = app.services;

  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'List audit records, newest first',
        querystring: auditQuery,
        response: { 200: listOf(auditRecordOut), 400: errorOut },
      },
    },
    async (request) => audit.list(request.query),
  );
}
