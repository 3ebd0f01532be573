import { Readable } from 'node:stream';
import { z } from 'zod';
import { auditRecordOut, type AuditRecord } from '../../contracts/audit.ts';
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

const auditMatch = z.object({
  actor: z.string().min(1).max(200).optional().describe('who, e.g. admin'),
  action: z.string().min(1).max(100).optional().describe('e.g. environment.update'),
  targetType: z.string().min(1).max(100).optional().describe('e.g. connection'),
  targetId: z.string().min(1).max(200).optional(),
  since: queryTimestamp.optional().describe('records at or after this time'),
  until: queryTimestamp.optional().describe('records before this time'),
});

const isSinceNotAfterUntil = (query: { since?: string; until?: string }) =>
  !query.since || !query.until || query.since <= query.until;
const untilBeforeSince = { path: ['until'], error: 'until must not be before since' };

const auditQuery = listQuery
  .extend(auditMatch.shape)
  .refine(isSinceNotAfterUntil, untilBeforeSince);
const auditExportQuery = auditMatch.refine(isSinceNotAfterUntil, untilBeforeSince);

/** JSON Lines (https://jsonlines.org): one record a line, the shape of the list's items. */
export const ndjsonType = 'application/x-ndjson';

async function* toJsonLines(records: AsyncIterable<AuditRecord>): AsyncGenerator<string> {
  for await (const record of records) yield `${JSON.stringify(record)}\n`;
}

export function registerAuditRoutes(app: ZodApp): void {
  const { audit, clock } = app.services;

  app.get(
    '/api/v1/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'List audit records, newest first',
        querystring: auditQuery,
        response: { 200: listOf(auditRecordOut), 400: errorOut },
      },
    },
    async (request) => audit.list(request.query),
  );

  app.get(
    '/api/v1/audit/export',
    {
      config: { permission: 'audit:read' },
      schema: {
        operationId: 'audit.export',
        tags: ['audit'],
        summary: 'Export audit records as JSON Lines, oldest first',
        description:
          'Every record that matches the filters (no paging), one JSON object a line with the fields of the list items, oldest first, as a download named `hookline-audit-<YYYY-MM-DD>.jsonl`. Streamed: a log of any length is read 500 records at a time.',
        querystring: auditExportQuery,
        response: {
          200: {
            description: 'One audit record (as in the list) per line',
            content: { [ndjsonType]: { schema: z.string() } },
          },
          400: errorOut,
        },
      },
    },
    async (request, reply) => {
      const day = clock.now().toISOString().slice(0, 10);
      // a stream, not a string: Fastify writes each page as it is read (no serializer runs)
      const lines = Readable.from(toJsonLines(audit.exportRecords(request.query)));
      return reply
        .type(ndjsonType)
        .header('content-disposition', `attachment; filename="hookline-audit-${day}.jsonl"`)
        .send(lines as unknown as string); // the schema's `string` is the whole body, read as it streams
    },
  );
}
