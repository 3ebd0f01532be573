import type { FailureOutcomeCode, OutcomeCode } from '../../contracts/outcomes.ts';
import type { EngineLimits } from './prepare-target.ts';
import type { SentRequest } from './sent-request.ts';
import type { TlsPeerSummary } from './timed-connector.ts';

export interface EngineOptions extends EngineLimits {
  maxQueuedPerPool: number;
  /** pools unused this long are closed */
  idleCloseMs: number;
  /** how much of a response body a result carries (1 MiB) */
  previewBytes: number;
  /** a synchronous invoke stops retrying when the next wait would pass this */
  syncRetryBudgetMs: number;
  /** also send the trace id in this header (e.g. X-Trace-Id); null: traceparent only */
  traceIdHeader: string | null;
  maxRedirects: number;
  userAgent: string;
}

export const defaultEngineOptions: EngineOptions = {
  defaultPoolSize: 24,
  maxResponseBytes: 10 * 1024 * 1024,
  maxQueuedPerPool: 1000,
  idleCloseMs: 5 * 60_000,
  previewBytes: 1024 * 1024,
  syncRetryBudgetMs: 10_000,
  traceIdHeader: null,
  maxRedirects: 5,
  userAgent: 'Hookline',
};

/** One call: the body, `{{param.*}}` values and extra headers the caller gives. */
export interface CallInput {
  body?: unknown;
  params?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** an incoming W3C traceparent to continue */
  traceparent?: string;
  /**
   * The standard-webhooks `webhook-id` to sign with: a delivery keeps one across all its
   * attempts, so the target can drop a repeat. Absent: a new one per call.
   */
  messageId?: string;
  /**
   * How much of the answer's body the result carries (default: the engine's previewBytes).
   * A delivery keeps a short excerpt: reading and masking more would be wasted.
   */
  previewBytes?: number;
  /**
   * Set (a delivery attempt: 2 KiB): the result carries the request as sent (`request`), its
   * body cut to this many bytes, secrets as markers naming them. Absent: no request is
   * described (invoke and test answer without it).
   */
  requestExcerptBytes?: number;
}

export interface Timings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  firstByteMs: number | null;
  totalMs: number;
}

export interface CallResult {
  outcome: OutcomeCode;
  status: number | null;
  headers: Record<string, string>;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  truncated: boolean;
  sizeBytes: number;
  timings: Timings;
  attempts: number;
  retryable: boolean;
  message: string | null;
  hint: string | null;
  traceId: string;
  connection: { id: string; name: string; revision: number };
  environment: string;
  url: string;
  tlsPeer: TlsPeerSummary | null;
  /** a 429's or 503's Retry-After, in ms (not part of the invoke answer: deliveries wait it) */
  retryAfterMs?: number;
  /** the request of the last try, when the call asked for it (CallInput.requestExcerptBytes) */
  request?: SentRequest;
}

/** A failed call, for notifications and logs: no bodies, no header values. */
export interface FailureEvent {
  connectionId: string;
  connection: string;
  environment: string;
  /** never OK: only failures are reported */
  outcome: FailureOutcomeCode;
  status: number | null;
  message: string | null;
}
