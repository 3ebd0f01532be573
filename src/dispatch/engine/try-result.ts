import type { OutcomeCode } from '../../contracts/outcomes.ts';
import { classifyError, type ReachedTarget } from '../classify-outcome.ts';
import { EgressBlockedError } from '../egress/index.ts';
import { TemplateUnresolvedError } from '../render/index.ts';
import { PoolExhaustedError } from './pool-exhausted-error.ts';
import { RequestTimeoutError } from './request-deadline.ts';
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
}

/**
 * Errors of our own whose messages are written for users and carry no secret: they name
 * the missing reference, the refused host, the timeout — more useful than a generic line.
 */
function isOwnError(error: unknown): error is Error {
  return (
    error instanceof TemplateUnresolvedError ||
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
  };
}
