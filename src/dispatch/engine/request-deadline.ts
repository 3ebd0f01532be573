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
  /** true once the deadline fired (whatever error undici then reported) */
  readonly expired: boolean;
  /** the RequestTimeoutError once expired */
  readonly reason: RequestTimeoutError | null;
  /** what to do when it fires (abort the exchange); called at most once */
  onExpire(abort: (reason: RequestTimeoutError) => void): void;
  clear(): void;
}

interface PendingDeadline {
  endsAt: number;
  timeoutMs: number;
  reason: RequestTimeoutError | null;
  abort: ((reason: RequestTimeoutError) => void) | null;
}

/**
 * One deadline for the whole exchange — queueing for a pooled socket, connect, TLS, sending,
 * the headers and every byte of the body. undici's `headersTimeout`/`bodyTimeout` only
 * measure silence, so a target dripping one byte a second would otherwise hold a request
 * for ever; the exchange's abort (collect-exchange.ts) cuts it wherever it is.
 *
 * The deadlines of all requests share one ticking timer: a setTimeout + clearTimeout per
 * request cost ~4 µs (bench/dispatch.ts), a Set entry ~0.2 µs. A deadline fires within one
 * tick (10 ms) after its time — 1% of the shortest allowed timeout (1,000 ms).
 */
export function createDeadlineClock(options: { tickMs?: number } = {}) {
  const tickMs = options.tickMs ?? 10;
  const pending = new Set<PendingDeadline>();
  let timer: NodeJS.Timeout | undefined;

  function tick(): void {
    const now = performance.now();
    for (const deadline of pending) {
      if (deadline.endsAt <= now) {
        pending.delete(deadline);
        deadline.reason = new RequestTimeoutError(deadline.timeoutMs);
        deadline.abort?.(deadline.reason);
      }
    }
    if (pending.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    start(timeoutMs: number): RequestDeadline {
      // A connect that stalls until the end is the connect timer's to report (CONNECT_TIMEOUT:
      // provably not sent, so safe to retry); with connectTimeoutMs = requestTimeoutMs (the
      // defaults) both would fire together, so the deadline waits 1% (at most 20 ms) longer.
      const graceMs = Math.min(20, timeoutMs * 0.01);
      const deadline: PendingDeadline = {
        endsAt: performance.now() + timeoutMs + graceMs,
        timeoutMs,
        reason: null,
        abort: null,
      };
      pending.add(deadline);
      if (!timer) {
        timer = setInterval(tick, tickMs);
        // a pending deadline alone must not keep the process alive
        timer.unref();
      }
      return {
        get expired() {
          return deadline.reason !== null;
        },
        get reason() {
          return deadline.reason;
        },
        onExpire(abort) {
          deadline.abort = abort;
        },
        clear: () => {
          pending.delete(deadline);
        },
      };
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

export type DeadlineClock = ReturnType<typeof createDeadlineClock>;
