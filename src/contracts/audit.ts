import { z } from 'zod';
import { isoTimestamp } from './common.ts';

export const auditRecordOut = z
  .object({
    id: z.string(),
    at: isoTimestamp,
    actor: z.string(),
    action: z.string().describe('e.g. connection.create, connection.disable'),
    targetType: z.string(),
    targetId: z.string(),
    targetName: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
  })
  .meta({ id: 'AuditRecord' });

export type AuditRecord = z.infer<typeof auditRecordOut>;
