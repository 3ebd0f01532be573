import type { OutcomeCode } from '../../contracts/outcomes.ts';
import { classifyError, classifyStatus, type ReachedTarget } from '../classify-outcome.ts';
import { EgressBlockedError } from '../egress/index.ts';
import { InvalidRequestError, TemplateUnresolvedError } from '../render/index.ts';
import { PoolExhaustedError } from './pool-exhausted-error.ts';
import { RequestTimeoutError } from './request-deadline.ts';
import { flattenHeaders } from './answer-masking.ts';
import type { CollectedResponse } from './collect-exchange.ts';
import { parseRetryAfterMs } from './retry-wait.ts';
import type { ConnectRecord } from './timed-connector.ts';

/** What one HTTP try ended with, before it is shaped into the answer. */
export interface TryResult {
  outcome: OutcomeCode;
  status: number | null;
  headers: Record<string, string>;
  bodyBytes: Buffer;
  truncated: boolean;
  sizeBytes: number;
  firstByteMs: number | null;
  reachedTarget: ReachedTarget;
  message: string | null;
  retryAfterMs: number | undefined;
  connect: ConnectRecord | null;
  /** a hint of its own, sharper than the outcome's (INVALID_REQUEST names the header) */
  hint?: string;
}

/**
 * Errors of our own whose messages are written for users and carry no secret: they name
 * the missing reference, the refused host, the timeout — more useful than a generic line.
 */
function isOwnError(error: unknown): error is Error {
  return (
    error instanceof TemplateUnresolvedError ||
    error instanceof InvalidRequestError ||
    error instanceof EgressBlockedError ||
    error instanceof RequestTimeoutError ||
    error instanceof PoolExhaustedError
  );
}

/** TLS material the target needs but that cannot be loaded (keystores domain, by its code). */
export function isTlsMaterialError(error: unknown): error is Error {
  return (
    error instanceof Error && (error as { code?: unknown }).code === 'TLS_MATERIAL_UNAVAILABLE'
  );
}

/** A try that ended without an answer, classified (DESIGN §2 step 5). */
export function failedTry(
  error: unknown,
  firstByteMs: number | null,
  connect: ConnectRecord | null,
): TryResult {
  const classified = classifyError(error);
  if (isOwnError(error)) classified.message = error.message;
  return {
    outcome: classified.outcome,
    status: null,
    headers: {},
    bodyBytes: Buffer.alloc(0),
    truncated: false,
    sizeBytes: 0,
    firstByteMs,
    reachedTarget: classified.reachedTarget,
    message: classified.message,
    retryAfterMs: undefined,
    connect,
    ...(error instanceof InvalidRequestError && { hint: error.hint }),
  };
}

/** A try the target answered, classified by its status (DESIGN §2 step 5). */
export function answeredTry(response: CollectedResponse, connect: ConnectRecord | null): TryResult {
  const status = response.statusCode;
  const headers = flattenHeaders(response.headers);
  const outcome = classifyStatus(status);
  return {
    outcome,
    status,
    headers,
    bodyBytes: response.bytes,
    truncated: response.truncated,
    sizeBytes: response.sizeBytes,
    firstByteMs: response.firstByteMs,
    reachedTarget: 'yes',
    message: outcome === 'OK' ? null : `the target answered ${status}`,
    retryAfterMs:
      status === 429 || status === 503 ? parseRetryAfterMs(headers['retry-after']) : undefined,
    connect,
  };
}
