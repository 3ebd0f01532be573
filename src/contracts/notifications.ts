import { z } from 'zod';
import { isoTimestamp, listQuery } from './common.ts';
import { notificationCodes, notificationKinds } from './notification-codes.ts';

export {
  notificationCodes,
  notificationKinds,
  notificationOwnCodes,
  type NotificationCode,
  type NotificationKind,
} from './notification-codes.ts';

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
    code: z
      .enum(notificationCodes)
      .describe(
        'a failure outcome code (HTTP_5XX…), an API error code (APPROVAL_REQUIRED…) or one of the notification codes (CIRCUIT_CLOSED…): docs/reference/notifications.md',
      ),
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
