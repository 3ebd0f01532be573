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

/** Who is told when a deadline passes: a function, or an object (no closure per request). */
export type DeadlineListener =
  ((reason: RequestTimeoutError) => void) | { onDeadline(reason: RequestTimeoutError): void };

export interface RequestDeadline {
  /** true once the deadline fired (whatever error undici then reported) */
  readonly expired: boolean;
  /** the RequestTimeoutError once expired */
  readonly reason: RequestTimeoutError | null;
  /** what to do when it fires (abort the exchange); called at most once */
  onExpire(listener: DeadlineListener): void;
  clear(): void;
}

/**
 * One pending deadline. A class, not an object literal with getters and closures: one is made
 * per request, and an accessor literal costs a runtime call and three closures each time.
 */
class PendingDeadline implements RequestDeadline {
  reason: RequestTimeoutError | null = null;
  listener: DeadlineListener | null = null;

  readonly endsAt: number;
  readonly timeoutMs: number;
  private readonly pending: Set<PendingDeadline>;

  constructor(endsAt: number, timeoutMs: number, pending: Set<PendingDeadline>) {
    this.endsAt = endsAt;
    this.timeoutMs = timeoutMs;
    this.pending = pending;
  }

  get expired(): boolean {
    return this.reason !== null;
  }

  onExpire(listener: DeadlineListener): void {
    this.listener = listener;
  }

  clear(): void {
    this.pending.delete(this);
  }

  fire(): void {
    this.reason = new RequestTimeoutError(this.timeoutMs);
    const listener = this.listener;
    if (typeof listener === 'function') listener(this.reason);
    else listener?.onDeadline(this.reason);
  }
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
        deadline.fire();
      }
    }
    if (pending.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  }

  return {
    /** A deadline `timeoutMs` after `startedAt` (performance.now(), by default now). */
    start(timeoutMs: number, startedAt: number = performance.now()): RequestDeadline {
      // A connect that stalls until the end is the connect timer's to report (CONNECT_TIMEOUT:
      // provably not sent, so safe to retry); with connectTimeoutMs = requestTimeoutMs (the
      // defaults) both would fire together, so the deadline waits 1% (at most 20 ms) longer.
      const graceMs = Math.min(20, timeoutMs * 0.01);
      const deadline = new PendingDeadline(startedAt + timeoutMs + graceMs, timeoutMs, pending);
      pending.add(deadline);
      if (!timer) {
        timer = setInterval(tick, tickMs);
        // a pending deadline alone must not keep the process alive
        timer.unref();
      }
      return deadline;
    },

    stop(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      pending.clear();
    },
  };
}

export type DeadlineClock = ReturnType<typeof createDeadlineClock>;
