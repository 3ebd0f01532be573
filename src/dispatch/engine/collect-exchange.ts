import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { RequestDeadline } from './request-deadline.ts';

export interface CollectedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** the first `previewBytes` bytes of the body */
  bytes: Buffer;
  /** the whole body's size (read to the end, up to the dispatcher's maxResponseSize) */
  sizeBytes: number;
  truncated: boolean;
  /** from dispatch to the response headers */
  firstByteMs: number;
}

/**
 * One exchange through undici's low-level `dispatch`, the answer collected in the handler:
 * no Readable stream and no AbortSignal per request (they were a large share of the engine's
 * cost over raw undici, bench/dispatch.ts). The body is read to its end, keeping the first
 * `previewBytes`, so the socket goes back to the pool. The deadline aborts the exchange
 * wherever it is; a request still queued for a socket is answered at once and aborted when
 * it would start, so it is never sent.
 */
export function collectExchange(
  dispatcher: Dispatcher,
  request: Dispatcher.DispatchOptions,
  previewBytes: number,
  deadline: RequestDeadline,
  startedAt: number = performance.now(),
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    const handler = new CollectingHandler(previewBytes, startedAt, resolve, reject);
    deadline.onExpire(handler);
    try {
      dispatcher.dispatch(request, handler);
    } catch (error) {
      handler.fail(error as Error);
    }
  });
}

/**
 * The handler of one exchange. A class rather than an object of closures: one is made per
 * request, and its methods are shared.
 */
class CollectingHandler implements Dispatcher.DispatchHandler {
  private readonly startedAt: number;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private sizeBytes = 0;
  private statusCode = 0;
  private headers: IncomingHttpHeaders = {};
  private firstByteMs = 0;
  private controller: Dispatcher.DispatchController | null = null;
  private abortReason: Error | null = null;
  private settled = false;

  private readonly previewBytes: number;
  private readonly resolve: (response: CollectedResponse) => void;
  private readonly reject: (error: Error) => void;

  constructor(
    previewBytes: number,
    startedAt: number,
    resolve: (response: CollectedResponse) => void,
    reject: (error: Error) => void,
  ) {
    this.previewBytes = previewBytes;
    this.startedAt = startedAt;
    this.resolve = resolve;
    this.reject = reject;
  }

  fail(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.reject(error);
  }

  /** The deadline passed: abort wherever the exchange is. */
  onDeadline(reason: Error): void {
    this.abortReason = reason;
    if (this.controller) this.controller.abort(reason);
    // still queued: answer now; onRequestStart aborts it before anything is sent
    this.fail(reason);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    status: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.statusCode = status;
    this.headers = headers;
    this.firstByteMs = performance.now() - this.startedAt;
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.sizeBytes += chunk.length;
    const room = this.previewBytes - this.keptBytes;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      this.kept.push(part);
      this.keptBytes += part.length;
    }
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    const { kept, keptBytes } = this;
    this.resolve({
      statusCode: this.statusCode,
      headers: this.headers,
      bytes:
        kept.length === 1
          ? (kept[0] as Buffer)
          : kept.length === 0
            ? emptyBody
            : Buffer.concat(kept, keptBytes),
      sizeBytes: this.sizeBytes,
      truncated: this.sizeBytes > keptBytes,
      firstByteMs: this.firstByteMs,
    });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(this.abortReason ?? error);
  }
}

const emptyBody = Buffer.alloc(0);
