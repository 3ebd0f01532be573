import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import { encodeBodyForDisplay } from './display-body.ts';
import { maskedValue, type SecretMasker } from './secret-masker.ts';

/**
 * The request of one try as a delivery attempt records it (issue 14 §4, "see what was sent"):
 * each secret value replaced by a marker naming it (`{{secret.NAME}}`, secret-marker.ts), so
 * the console shows it masked and Copy as curl puts a placeholder there; credential headers
 * that are not made of such markers masked as `****`, as in answers.
 */
export interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** the body's first `excerptBytes` bytes, marked; '' when there is none */
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  truncated: boolean;
}

/**
 * A header value that is only markers, optionally after an auth scheme (`Bearer {{secret.T}}`),
 * says nothing secret; anything else left in a credential header (a literal token, or a
 * base64 Basic credential of which the marker replaced only the middle) may.
 */
const schemeAndMarkers = /^(?:[A-Za-z][A-Za-z0-9-]* +)?(?:\{\{secret\.[^{}]+\}\})+$/;

export function describeSentRequest(
  request: {
    method: string;
    url: string;
    /** flat, as undici takes them: name, value, name, value… */
    headers: readonly string[];
    body: Buffer | undefined;
  },
  how: {
    /** null: the target uses no secret */
    marker: SecretMasker | null;
    /** lower-cased names of the signer's headers: outputs, kept so a replay is the same */
    signingHeaderNames: ReadonlySet<string>;
    excerptBytes: number;
  },
): SentRequest {
  const { marker } = how;
  const headers: Record<string, string> = {};
  const flat = request.headers;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i] as string;
    const value = flat[i + 1] as string;
    if (how.signingHeaderNames.has(name.toLowerCase())) {
      headers[name] = value;
      continue;
    }
    const marked = marker ? marker.maskByteString(value) : value;
    headers[name] =
      isSensitiveHeaderName(name) && !schemeAndMarkers.test(marked) ? maskedValue : marked;
  }
  const bytes = request.body ?? Buffer.alloc(0);
  const shown = marker
    ? marker.maskBytes(
        bytes.subarray(0, how.excerptBytes + marker.lookaheadBytes),
        how.excerptBytes,
      )
    : bytes.subarray(0, how.excerptBytes);
  const contentType = Object.entries(headers).find(
    ([name]) => name.toLowerCase() === 'content-type',
  )?.[1];
  const display = encodeBodyForDisplay(shown, contentType);
  return {
    method: request.method,
    url: marker ? marker.maskText(request.url) : request.url,
    headers,
    body: display.body,
    bodyEncoding: display.bodyEncoding,
    truncated: bytes.length > how.excerptBytes,
  };
}
