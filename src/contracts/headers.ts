import { utf8ByteLength } from '../core/utf8.ts';
import { z } from 'zod';
import { parseTemplate } from './templates.ts';

/** RFC 9110 §5.6.2 token: the characters a header name may use. */
export const tokenPattern = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Hop-by-hop and framing headers: the HTTP client owns these, and a configured value
 * would break keep-alive or smuggle a second request. Keep in step with DESIGN.md §1.
 */
export const forbiddenHeaderNames = [
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-connection',
  'content-length',
  'host',
] as const;

export const maxHeadersPerEnvironment = 64;
export const maxHeaderValueBytes = 4096;

export const headerName = z
  .string()
  .min(1, { error: 'header name must not be empty', abort: true })
  .max(256)
  .regex(tokenPattern, {
    error: "header name may only use letters, digits and !#$%&'*+-.^_`|~ (RFC 9110 token)",
  })
  .refine((name) => !(forbiddenHeaderNames as readonly string[]).includes(name.toLowerCase()), {
    error: (issue) =>
      `'${String(issue.input)}' is a hop-by-hop or framing header that Hookline sets itself`,
  });

/**
 * RFC 9110 §5.5: a field value is visible ASCII, space, tab and obs-text (0x80–0xFF, which
 * Node and undici send as Latin-1 bytes). Anything else — control characters, DEL, U+2028,
 * any character above U+00FF — is refused by the HTTP client or, worse, mangled on the wire.
 */
const invalidHeaderValueChar = /[^\t\x20-\x7e\x80-\xff]/;

/** Whether `value` may be sent as a header value as it is (RFC 9110 §5.5). */
export function isValidHeaderValue(value: string): boolean {
  return !invalidHeaderValueChar.test(value);
}

/**
 * Why `value` cannot be a header value, naming the first character that breaks RFC 9110 by
 * its code point (never the value itself); undefined when it can.
 */
export function headerValueProblem(value: string): string | undefined {
  const at = value.search(invalidHeaderValueChar);
  if (at === -1) return undefined;
  // the older, plainer message for what would end the header line
  if (/[\r\n\0]/.test(value)) return 'header value must not contain CR, LF or NUL';
  const code = value.codePointAt(at) as number;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `header value may only use visible ASCII, space, tab and Latin-1 characters (RFC 9110): ${name} at character ${at + 1} is not allowed`;
}

export const headerValue = z
  .string()
  .refine((value) => value.trim() !== '', { error: 'header value must not be empty' })
  .superRefine((value, ctx) => {
    const problem = headerValueProblem(value);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  })
  .refine((value) => utf8ByteLength(value) <= maxHeaderValueBytes, {
    error: `header value must be at most ${maxHeaderValueBytes} bytes`,
  })
  .superRefine((value, ctx) => {
    const parsed = parseTemplate(value);
    if ('problem' in parsed) ctx.addIssue({ code: 'custom', message: parsed.problem });
  });

export const header = z.strictObject({ name: headerName, value: headerValue });
export type Header = z.infer<typeof header>;

export const headerList = z
  .array(header)
  .max(maxHeadersPerEnvironment, {
    error: `at most ${maxHeadersPerEnvironment} headers per environment`,
  })
  .superRefine((headers, ctx) => {
    const seen = new Map<string, number>();
    headers.forEach((h, index) => {
      if (typeof h?.name !== 'string') return;
      const key = h.name.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `header '${h.name}' is already set by headers[${first}] (names ignore case)`,
        });
      }
    });
  });

/**
 * Header names whose values are credentials: masked in audit records, test answers and logs,
 * sealed in stored deliveries, dropped on a cross-origin redirect. Errs towards masking: a
 * masked harmless value costs a little readability, a clear credential costs the credential.
 * `-` or `_` may separate words (`X-Api-Key`, `x_api_key`); Idempotency-Key is no credential.
 */
const sensitiveHeaderPattern =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-honeycomb-team|x-auth|key|(?!idempotency[-_]key$).*[-_]key|.*api-?key.*|.*token.*|.*secret.*|.*signature.*|.*passw(or)?d.*|.*credentials?.*|.*session.*)$/i;

export function isSensitiveHeaderName(name: string): boolean {
  return sensitiveHeaderPattern.test(name);
}
