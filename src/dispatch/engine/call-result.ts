import { hintFor } from '../outcome-hints.ts';
import { maskHeadersInPlace, maskSecretBytes, maskSecretText } from './answer-masking.ts';
import type { CallResult } from './engine-types.ts';
import type { DeployedTarget, PreparedTarget } from './prepare-target.ts';
import { encodeBodyForDisplay } from './display-body.ts';
import type { TryResult } from './try-result.ts';

/** The answer of a call: the last try, its body shown and every secret value masked. */
export function toCallResult(
  result: TryResult,
  target: DeployedTarget,
  traceId: string,
  url: string,
  attempts: number,
  retryable: boolean,
  startedAt: number,
  secrets: PreparedTarget['maskedSecrets'],
): CallResult {
  const contentType = result.headers['content-type'];
  const shown = encodeBodyForDisplay(maskSecretBytes(result.bodyBytes, secrets), contentType);
  return {
    traceId,
    connection: { id: target.connectionId, name: target.name, revision: target.revision },
    environment: target.environmentId,
    outcome: result.outcome,
    status: result.status,
    headers: maskHeadersInPlace(result.headers, secrets),
    body: shown.body,
    bodyEncoding: shown.bodyEncoding,
    truncated: result.truncated,
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
    message: result.message === null ? null : maskSecretText(result.message, secrets),
    hint: result.hint ?? hintFor(result.outcome, result.status ?? undefined) ?? null,
    url,
    tlsPeer: result.connect?.tlsPeer ?? null,
    ...(result.retryAfterMs === undefined ? {} : { retryAfterMs: result.retryAfterMs }),
  };
}

function round(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms * 100) / 100;
}
