import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import type { PreparedTarget } from './prepare-target.ts';

/** What a masked value reads as, everywhere. */
export const maskedValue = '****';

/** Response headers as one string per name (repeated ones joined with ", "). */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

/**
 * A target that echoes its request (httpbin, a debugging endpoint, an error page quoting the
 * request) would hand the connection's secrets back in the answer: every resolved secret
 * value is masked in the body and the headers before anything leaves the engine.
 */
export function maskSecretBytes(body: Buffer, secrets: PreparedTarget['maskedSecrets']): Buffer {
  let masked = body;
  for (const { bytes: needle } of secrets) {
    if (needle.length > masked.length) continue;
    let at = masked.indexOf(needle);
    if (at === -1) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(masked.subarray(from, at), Buffer.from(maskedValue));
      from = at + needle.length;
      at = masked.indexOf(needle, from);
    }
    parts.push(masked.subarray(from));
    masked = Buffer.concat(parts);
  }
  return masked;
}

export function maskSecretText(text: string, secrets: PreparedTarget['maskedSecrets']): string {
  let masked = text;
  for (const { text: value } of secrets) {
    if (value.length <= masked.length && masked.includes(value))
      masked = masked.replaceAll(value, maskedValue);
  }
  return masked;
}

/**
 * Masks credentials and secret values in `headers`, in place: the engine's own copy of a
 * response's headers (flattenHeaders), read for Location and Retry-After before this.
 */
export function maskHeadersInPlace(
  headers: Record<string, string>,
  secrets: PreparedTarget['maskedSecrets'],
): Record<string, string> {
  for (const name in headers) {
    const value = headers[name] as string;
    if (isSensitiveAnswerHeader(name)) headers[name] = maskedValue;
    else if (secrets.length > 0) headers[name] = maskSecretText(value, secrets);
  }
  return headers;
}

/**
 * isSensitiveHeaderName per response header name, remembered: targets send the same few
 * names on every answer, and the pattern is long. Bounded, since names come from targets.
 */
const sensitiveByName = new Map<string, boolean>();
const maxRememberedNames = 1024;

function isSensitiveAnswerHeader(name: string): boolean {
  let sensitive = sensitiveByName.get(name);
  if (sensitive === undefined) {
    sensitive = isSensitiveHeaderName(name);
    if (sensitiveByName.size >= maxRememberedNames) sensitiveByName.clear();
    sensitiveByName.set(name, sensitive);
  }
  return sensitive;
}
