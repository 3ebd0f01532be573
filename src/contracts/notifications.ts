import { z } from 'zod';
import { isoTimestamp, listQuery } from './common.ts';

/**
 * dispatch_failed: a call's outcome was not OK; deploy_failed: a deploy or undeploy was refused;
 * delivery_failed: a durable delivery ended in the dead letter; circuit_opened / circuit_closed:
 * deliveries to a target are held after repeated failures / flow again; approval_requested /
 * approval_decided / approval_expired: a critical production deploy waits for, got, or lost a
 * second admin's decision
 */
export const notificationKinds = [
  'dispatch_failed',
  'deploy_failed',
  'delivery_failed',
  'circuit_opened',
  'circuit_closed',
  'approval_requested',
  'approval_decided',
  'approval_expired',
] as const;

export const notificationOut = z
  .object({
    id: z.string(),
    kind: z
      .enum(notificationKinds)
      .describe(
        'dispatch_failed: a call ended with an outcome other than OK; deploy_failed: a deploy or undeploy was refused; delivery_failed: a durable delivery ended in the dead letter (failed), waiting for a replay; circuit_opened / circuit_closed: deliveries to a target are held after repeated failures / flow again; approval_requested / approval_decided / approval_expired: a critical production deploy waits for, got, or lost a second admin’s decision',
      ),
    connectionId: z.string().nullable(),
    connection: z.string().nullable().describe('the connection name when it happened'),
    environment: z.string().nullable(),
    code: z.string().describe('the outcome or error code, e.g. HTTP_5XX'),
    message: z.string(),
    count: z.int().describe('how many times it happened in this minute'),
    minute: z.string().describe('the minute it is aggregated under, e.g. 2026-11-29T02:15Z'),
    firstAt: isoTimestamp,
    lastAt: isoTimestamp,
  })
  .meta({ id: 'Notification' });

export const notificationListQuery = listQuery.extend({
  connection: z.string().min(1).max(200).optional().describe('a connection id'),
  code: z.string().min(1).max(64).optional(),
});

export type Notification = z.infer<typeof notificationOut>;
export type NotificationListQuery = z.infer<typeof notificationListQuery>;
