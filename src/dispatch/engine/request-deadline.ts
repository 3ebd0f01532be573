/** The error a request carries when its whole-exchange deadline passes (classified REQUEST_TIMEOUT). */
export class RequestTimeoutError extends Error {
  readonly code = 'REQUEST_TIMEOUT';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`no complete answer within the request timeout of ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

export interface RequestDeadline {
  readonly signal: AbortSignal;
  /** true once the deadline fired (whatever error undici then reported) */
  readonly expired: boolean;
  /** ms left until the deadline, never below 0 */
  remainingMs(): number;
  clear(): void;
}

/**
 * One deadline for the whole exchange — queueing for a pooled socket, connect, TLS, sending,
 * the headers and every byte of the body. undici's `headersTimeout`/`bodyTimeout` only
 * measure silence, so a target dripping one byte a second would otherwise hold a request
 * for ever; aborting the signal cuts it wherever it is.
 */
export function startRequestDeadline(timeoutMs: number, now = performance.now()): RequestDeadline {
  const controller = new AbortController();
  const endsAt = now + timeoutMs;
  let expired = false;
  // A connect that stalls until the end is the connect timer's to report (CONNECT_TIMEOUT:
  // provably not sent, so safe to retry); with connectTimeoutMs = requestTimeoutMs (the
  // defaults) both fire together, so the deadline waits 1% (at most 20 ms) longer.
  const graceMs = Math.min(20, timeoutMs * 0.01);
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new RequestTimeoutError(timeoutMs));
  }, timeoutMs + graceMs);
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    remainingMs: () => Math.max(0, endsAt - performance.now()),
    clear: () => clearTimeout(timer),
  };
}
