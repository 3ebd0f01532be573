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
): Promise<CollectedResponse> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let sizeBytes = 0;
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    let firstByteMs = 0;
    let controller: Dispatcher.DispatchController | null = null;
    let abortReason: Error | null = null;
    let settled = false;

    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    };

    deadline.onExpire((reason) => {
      abortReason = reason;
      if (controller) controller.abort(reason);
      // still queued: answer now; onRequestStart aborts it before anything is sent
      fail(reason);
    });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(started) {
        controller = started;
        if (abortReason) started.abort(abortReason);
      },
      onResponseStart(_controller, status, responseHeaders) {
        statusCode = status;
        headers = responseHeaders;
        firstByteMs = performance.now() - startedAt;
      },
      onResponseData(_controller, chunk) {
        sizeBytes += chunk.length;
        if (keptBytes < previewBytes) {
          const part =
            chunk.length <= previewBytes - keptBytes
              ? chunk
              : chunk.subarray(0, previewBytes - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        resolve({
          statusCode,
          headers,
          bytes: kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept, keptBytes),
          sizeBytes,
          truncated: sizeBytes > keptBytes,
          firstByteMs,
        });
      },
      onResponseError(_controller, error) {
        fail(abortReason ?? error);
      },
    };
    try {
      dispatcher.dispatch(request, handler);
    } catch (error) {
      fail(error as Error);
    }
  });
}
