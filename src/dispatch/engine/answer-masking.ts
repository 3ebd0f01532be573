import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import { maskedValue, type SecretMasker } from './secret-masker.ts';

export { maskedValue } from './secret-masker.ts';

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
 * Masks credentials and secret values in `headers`, in place: the engine's own copy of a
 * response's headers (flattenHeaders), read for Location and Retry-After before this.
 */
export function maskHeadersInPlace(
  headers: Record<string, string>,
  masker: SecretMasker | null,
): Record<string, string> {
  for (const name in headers) {
    if (isSensitiveAnswerHeader(name)) headers[name] = maskedValue;
    // undici decodes header values as latin1: one char per byte, as the masker matches
    else if (masker) headers[name] = masker.maskByteString(headers[name] as string);
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
