import { z } from 'zod';
import { isoTimestamp, listQuery, slugId } from './common.ts';
import { callBody, callHeaders, callParams } from './invoke.ts';
import { outcomeCode } from './outcomes.ts';

/** DESIGN §1 Delivery: where a durable call is in its life. */
export const deliveryStatuses = ['pending', 'in_flight', 'succeeded', 'failed', 'paused'] as const;
export const deliveryStatus = z
  .enum(deliveryStatuses)
  .describe(
    'pending: waits for its next attempt; in_flight: a worker is sending it; succeeded; failed: dead letter, waits for a replay; paused: the connection is disabled',
  );

/** At most this many deliveries in one batch accept. */
export const maxBatchDeliveries = 1000;

/** One call to deliver: what an invoke takes, handed over instead of waited for. */
export const deliveryIn = z
  .strictObject({
    environment: slugId,
    body: callBody,
    params: callParams,
    headers: callHeaders,
  })
  .meta({ id: 'DeliveryIn' });

const deliveryItem = z.strictObject({
  body: callBody,
  params: callParams,
  headers: callHeaders,
});

export const deliveryBatchIn = z
  .strictObject({
    environment: slugId,
    items: z
      .array(deliveryItem)
      .min(1, { error: 'send at least one delivery' })
      .max(maxBatchDeliveries, { error: `at most ${maxBatchDeliveries} deliveries per batch` }),
  })
  .meta({ id: 'DeliveryBatchIn' });

export const deliveryAccepted = z
  .object({
    id: z.string(),
    status: deliveryStatus,
    duplicate: z
      .boolean()
      .describe(
        'true when an Idempotency-Key sent in the last 24 h named this delivery: it was not accepted twice',
      ),
  })
  .meta({ id: 'DeliveryAccepted' });

export const deliveryBatchAccepted = z
  .object({ items: z.array(deliveryAccepted.omit({ duplicate: true })) })
  .meta({ id: 'DeliveryBatchAccepted' });

export const deliveryOut = z
  .object({
    id: z.string(),
    connection: z.object({ id: z.string(), name: z.string() }),
    environment: z.string(),
    status: deliveryStatus,
    messageId: z.string().describe('the webhook-id it is signed with, the same on every attempt'),
    attempts: z.int().describe('attempts made so far'),
    nextAttemptAt: isoTimestamp.nullable().describe('when it is due again (pending only)'),
    lastOutcome: outcomeCode.nullable(),
    lastStatus: z.int().nullable(),
    reason: z.string().nullable().describe('why it failed, or why it is paused; null otherwise'),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    finishedAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'Delivery' });

export const deliveryAttemptOut = z
  .object({
    number: z.int(),
    startedAt: isoTimestamp,
    outcome: outcomeCode,
    status: z.int().nullable(),
    durationMs: z.number(),
    message: z.string().nullable(),
    response: z
      .object({
        headers: z.record(z.string(), z.string()),
        body: z.string(),
        bodyEncoding: z.enum(['utf8', 'base64']),
        truncated: z.boolean(),
      })
      .nullable()
      .describe('what the target answered: headers (sensitive ones masked), the first 2 KiB'),
    request: z
      .object({
        method: z.string(),
        url: z.string(),
        headers: z.record(z.string(), z.string()),
        body: z.string(),
        bodyEncoding: z.enum(['utf8', 'base64']),
        truncated: z.boolean().describe('the body was longer than the 2 KiB kept'),
      })
      .nullable()
      .describe(
        'what was sent: method, URL, headers and the first 2 KiB of the body, each secret value replaced by its reference ({{secret.NAME}}), other credential headers masked (****); null when nothing was sent (the request could not be made) or for attempts recorded before requests were kept',
      ),
  })
  .meta({ id: 'DeliveryAttempt' });

export const deliveryDetailOut = deliveryOut
  .extend({
    attemptLog: z.array(deliveryAttemptOut).describe('every attempt made, the first first'),
  })
  .meta({ id: 'DeliveryDetail' });

const createdFrom = z.iso
  .datetime({ offset: true })
  .optional()
  .describe('accepted at or after this time (ISO-8601)');
const createdTo = z.iso
  .datetime({ offset: true })
  .optional()
  .describe('accepted before this time (ISO-8601)');

export const deliveryListQuery = listQuery.extend({
  connection: z.string().min(1).max(200).optional().describe('a connection id'),
  environment: slugId.optional(),
  status: deliveryStatus.optional(),
  from: createdFrom,
  to: createdTo,
});

/** At most this many deliveries are queued again by one bulk replay call. */
export const maxReplayPerCall = 10_000;

export const deliveryReplayIn = z
  .strictObject({
    connection: z.string().min(1).max(200).optional().describe('a connection id'),
    environment: slugId.optional(),
    status: z
      .enum(['failed', 'succeeded'])
      .default('failed')
      .describe('which finished deliveries to send again (default: the dead letter)'),
    from: createdFrom,
    to: createdTo,
    limit: z
      .int()
      .min(1)
      .max(maxReplayPerCall)
      .default(1000)
      .describe('at most this many, oldest first; call again with `after` while `more` is true'),
    after: z
      .string()
      .regex(/^dlv_[0-9a-z]{26}$/, { error: 'not a delivery id' })
      .optional()
      .describe(
        "continue after this delivery: the previous answer's `next` (so one that fails again while a bulk replay runs is not picked twice)",
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe(
        `queue nothing: answer in \`matching\` how many deliveries match these filters (counted up to ${maxReplayPerCall}; \`more\` is true past that), whatever \`limit\` and \`after\` say`,
      ),
  })
  .meta({ id: 'DeliveryReplayIn' });

export const deliveryReplayOut = z
  .object({
    replayed: z.int().describe('how many were queued again by this call'),
    ids: z.array(z.string()),
    matching: z
      .int()
      .optional()
      .describe(`dry run only: how many match, at most ${maxReplayPerCall}`),
    more: z
      .boolean()
      .describe(
        `whether more deliveries match: call again to replay them (dry run: more than ${maxReplayPerCall} match)`,
      ),
    next: z
      .string()
      .nullable()
      .describe('pass as `after` to continue (null when nothing more matches)'),
  })
  .meta({ id: 'DeliveryReplayResult' });

export type DeliveryIn = z.infer<typeof deliveryIn>;
export type DeliveryBatchIn = z.infer<typeof deliveryBatchIn>;
export type DeliveryStatus = z.infer<typeof deliveryStatus>;
export type Delivery = z.infer<typeof deliveryOut>;
export type DeliveryAttempt = z.infer<typeof deliveryAttemptOut>;
export type SentRequest = NonNullable<DeliveryAttempt['request']>;
export type DeliveryDetail = z.infer<typeof deliveryDetailOut>;
export type DeliveryListQuery = z.infer<typeof deliveryListQuery>;
export type DeliveryReplayIn = z.infer<typeof deliveryReplayIn>;
export type DeliveryReplayResult = z.infer<typeof deliveryReplayOut>;
