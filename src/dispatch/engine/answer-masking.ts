import { isSensitiveHeaderName } from '../../contracts/headers.ts';
import type { PreparedTarget } from './prepare-target.ts';

/** What a masked value reads as, everywhere. */
export const maskedValue = '****';

export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
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
    if (masked.includes(value)) masked = masked.replaceAll(value, maskedValue);
  }
  return masked;
}

export function maskHeaders(
  headers: Record<string, string>,
  secrets: PreparedTarget['maskedSecrets'],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSensitiveHeaderName(name) ? maskedValue : maskSecretText(value, secrets);
  }
  return out;
}
