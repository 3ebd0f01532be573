import { hintFor } from '../outcome-hints.ts';
import { maskHeadersInPlace } from './answer-masking.ts';
import type { CallResult } from './engine-types.ts';
import type { DeployedTarget } from './prepare-target.ts';
import { encodeBodyForDisplay } from './display-body.ts';
import type { SecretMasker } from './secret-masker.ts';
import type { TryResult } from './try-result.ts';

/** What of an answer is shown, and what is masked in it. */
export interface AnswerShown {
  /** the body's first this many bytes (a try reads up to the masker's lookahead more) */
  previewBytes: number;
  /** the target's resolved secret values; null: none */
  masker: SecretMasker | null;
}

/**
 * The answer of a call: the last try, its body shown and every secret value masked — before
 * the body is cut to `previewBytes`, so a secret at the edge is not shown by its first part.
 */
export function toCallResult(
  result: TryResult,
  target: DeployedTarget,
  traceId: string,
  url: string,
  attempts: number,
  retryable: boolean,
  startedAt: number,
  { previewBytes, masker }: AnswerShown,
): CallResult {
  const contentType = result.headers['content-type'];
  const { bodyBytes } = result;
  const bytes = masker
    ? masker.maskBytes(bodyBytes, previewBytes)
    : bodyBytes.length <= previewBytes
      ? bodyBytes
      : bodyBytes.subarray(0, previewBytes);
  const shown = encodeBodyForDisplay(bytes, contentType);
  return {
    traceId,
    connection: { id: target.connectionId, name: target.name, revision: target.revision },
    environment: target.environmentId,
    outcome: result.outcome,
    status: result.status,
    headers: maskHeadersInPlace(result.headers, masker),
    body: shown.body,
    bodyEncoding: shown.bodyEncoding,
    truncated: result.truncated || bodyBytes.length > previewBytes,
    sizeBytes: result.sizeBytes,
    timings: {
      dnsMs: round(result.connect?.timings.dnsMs ?? null),
      connectMs: round(result.connect?.timings.connectMs ?? null),
      tlsMs: round(result.connect?.timings.tlsMs ?? null),
      firstByteMs: round(result.firstByteMs),
      totalMs: round(performance.now() - startedAt) ?? 0,
    },
    attempts,
    retryable,
    // a message may quote a rendered host (EGRESS_BLOCKED), which may hold a secret
    message: result.message === null || !masker ? result.message : masker.maskText(result.message),
    hint: result.hint ?? hintFor(result.outcome, result.status ?? undefined) ?? null,
    url,
    tlsPeer: result.connect?.tlsPeer ?? null,
    ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
  };
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
