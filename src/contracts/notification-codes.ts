import { errorCodes, type ErrorCode } from '../core/errors.ts';
import { outcomeCodes, type FailureOutcomeCode } from './outcome-codes.ts';

/**
 * What a notification is about (`kind`) and its `code`. Closed sets, documented in
 * docs/reference/notifications.md and kept in step with it and the OpenAPI `Notification`
 * schema by src/contracts/codes.test.ts.
 *
 * No zod here: the console imports it (side-effect free).
 */
export const notificationKinds = [
  /** a call's outcome was not OK */
  'dispatch_failed',
  /** a deploy or undeploy was refused */
  'deploy_failed',
  /** a durable delivery ended in the dead letter */
  'delivery_failed',
  /** deliveries to a target are held after repeated failures */
  'circuit_opened',
  /** deliveries to a target flow again */
  'circuit_closed',
  /** a critical production deploy waits for a second admin */
  'approval_requested',
  /** a second admin approved or rejected it */
  'approval_decided',
  /** nobody decided in time */
  'approval_expired',
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

/**
 * The codes only notifications carry. Every other notification code is a failure outcome
 * (docs/reference/outcomes.md; never OK: a notification is not about a success) or an API
 * error code (docs/reference/errors.md).
 */
export const notificationOwnCodes = [
  /** circuit_closed: the probe succeeded, deliveries flow again */
  'CIRCUIT_CLOSED',
  /** approval_decided: approved, and the deploy carried out */
  'APPROVAL_APPROVED',
  /** approval_decided: rejected (or withdrawn), nothing deployed */
  'APPROVAL_REJECTED',
  /** approval_expired: nobody decided within the expiry */
  'APPROVAL_EXPIRED',
  /** delivery_failed: its credential headers were sealed under another master key (or are damaged) */
  'SEALED_HEADERS_UNREADABLE',
] as const;

export type NotificationOwnCode = (typeof notificationOwnCodes)[number];

/** Every code a notification can carry: a closed enum of three documented sets. */
export const notificationCodes = [
  ...outcomeCodes.filter((code): code is FailureOutcomeCode => code !== 'OK'),
  ...errorCodes.filter((code) => !(outcomeCodes as readonly string[]).includes(code)),
  ...notificationOwnCodes,
] as const;

export type NotificationCode = FailureOutcomeCode | ErrorCode | NotificationOwnCode;
