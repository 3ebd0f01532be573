import type { Readable } from 'node:stream';

export interface ResponseBody {
  /** the first `previewBytes` bytes */
  bytes: Buffer;
  /** how many bytes the body had in all (read to the end, up to the pool's size cap) */
  sizeBytes: number;
  truncated: boolean;
}

/**
 * Reads a response body to its end, keeping the first `previewBytes`. The rest is read and
 * dropped rather than the socket destroyed, so the connection goes back to the pool; the
 * pool's `maxResponseSize` still ends a body that is too large (RESPONSE_TOO_LARGE).
 */
export function readResponseBody(body: Readable, previewBytes: number): Promise<ResponseBody> {
  // 'data' events, not an async iterator: a few µs less per answer on the hot path
  return new Promise((resolve, reject) => {
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let sizeBytes = 0;
    body.on('data', (chunk: Buffer) => {
      sizeBytes += chunk.length;
      if (keptBytes < previewBytes) {
        const part =
          chunk.length <= previewBytes - keptBytes
            ? chunk
            : chunk.subarray(0, previewBytes - keptBytes);
        kept.push(part);
        keptBytes += part.length;
      }
    });
    body.once('error', reject);
    body.once('end', () =>
      resolve({
        bytes: kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept, keptBytes),
        sizeBytes,
        truncated: sizeBytes > keptBytes,
      }),
    );
  });
}

const textTypes =
  /^(text\/|application\/([\w.+-]+\+)?(json|xml)|application\/(x-www-form-urlencoded|javascript|yaml|x-yaml|graphql))/i;

/** Text bodies are shown as text; anything else as base64 so no bytes are mangled. */
export function encodeBodyForDisplay(
  bytes: Buffer,
  contentType: string | undefined,
): { body: string; bodyEncoding: 'utf8' | 'base64' } {
  if (bytes.length === 0 || contentType === undefined || textTypes.test(contentType.trim())) {
    return { body: bytes.toString('utf8'), bodyEncoding: 'utf8' };
  }
  return { body: bytes.toString('base64'), bodyEncoding: 'base64' };
}
