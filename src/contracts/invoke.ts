import { z } from 'zod';
import { slugId, warningOut } from './common.ts';
import { connectionIn } from './connections.ts';
import { headerName, headerValueProblem } from './headers.ts';
import { outcomeCode } from './outcomes.ts';

/**
 * `{{param.NAME}}` values of one call: text, numbers and booleans (sent as their text; a number
 * as written in the request, see api/plugins/json-body.ts).
 */
export const callParams = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,99}$/, { error: 'not a parameter name' }),
    z.union([z.string().max(8192), z.number(), z.boolean()]),
  )
  .default({});

/** `{{secret.…}}` (spaces allowed inside the braces, as in templates/parseTemplate). */
const secretReferencePattern = /\{\{\s*secret\./;

/**
 * Headers one call adds to the connection's (literal: never template-rendered, so a caller
 * cannot pull a secret into a header of its choosing; a secret reference is refused rather
 * than sent as typed). Same rules as configured headers.
 */
export const callHeaders = z
  .record(
    z.string(),
    z
      .string()
      .max(4096)
      .superRefine((value, ctx) => {
        const problem = headerValueProblem(value);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      })
      .refine((value) => !secretReferencePattern.test(value), {
        error:
          "a call's headers may not use {{secret.*}}: secrets are placed only by the connection's own URL, headers and signing",
      }),
  )
  .superRefine((headers, ctx) => {
    // names checked here rather than as record keys: zod would answer only "Invalid key"
    for (const name of Object.keys(headers)) {
      const checked = headerName.safeParse(name);
      if (!checked.success) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: checked.error.issues[0]?.message ?? 'not a header name',
        });
      }
    }
  })
  .refine((headers) => Object.keys(headers).length <= 64, { error: 'at most 64 headers' })
  .default({});

/**
 * The body of a call: a string is sent byte for byte as given (templates rendered in the
 * text); any other JSON value is serialized once, its numbers exactly as written (`1.10`,
 * `12345678901234567890`, `1e400` arrive so: api/plugins/json-body.ts keeps them as raw JSON
 * values), whitespace dropped and keys in JavaScript's order (integer-like keys first, a
 * repeated key once). Send a string to keep every byte.
 */
export const callBody = z
  .unknown()
  .optional()
  .describe(
    'a string is sent as that text; any other JSON value is sent as JSON, numbers exactly as written (whitespace is dropped and integer-like keys come first: send a string to keep every byte)',
  );

export const invokeIn = z
  .strictObject({
    environment: slugId,
    body: callBody,
    params: callParams,
    headers: callHeaders,
  })
  .meta({ id: 'InvokeIn' });

export const testIn = z
  .strictObject({
    environment: slugId,
    body: callBody,
    params: callParams,
    headers: callHeaders,
  })
  .meta({ id: 'TestIn' });

/** Test Connection for a configuration that is not saved yet (the create body). */
export const draftTestIn = z
  .strictObject({
    environment: slugId,
    connection: connectionIn,
    body: callBody,
    params: callParams,
    headers: callHeaders,
  })
  .meta({ id: 'DraftTestIn' });

const ms = z.number().nullable();

export const timingsOut = z
  .object({
    dnsMs: ms.describe('null when no lookup was made (an IP address, a reused connection)'),
    connectMs: ms.describe('TCP set-up; null on a reused keep-alive connection'),
    tlsMs: ms.describe('TLS handshake; null for http:// or a reused connection'),
    firstByteMs: ms.describe(
      'from dispatch to the response headers (on a new connection this includes DNS, connect and TLS)',
    ),
    totalMs: z.number().describe('the whole call, including retries and redirects'),
  })
  .meta({ id: 'Timings' });

export const tlsPeerOut = z
  .object({
    subject: z.string().nullable(),
    issuer: z.string().nullable(),
    subjectAltName: z.string().nullable(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable(),
    fingerprint256: z.string().nullable(),
    protocol: z.string().nullable(),
    cipher: z.string().nullable(),
    authorized: z.boolean(),
    authorizationError: z.string().nullable(),
  })
  .meta({ id: 'TlsPeer' });

export const invokeOut = z
  .object({
    outcome: outcomeCode,
    status: z.int().nullable().describe("the target's HTTP status, when it answered"),
    headers: z
      .record(z.string(), z.string())
      .describe('response headers; credentials (Set-Cookie, tokens) masked'),
    body: z.string().describe('the response body, at most 1 MiB (see truncated)'),
    bodyEncoding: z.enum(['utf8', 'base64']),
    truncated: z.boolean(),
    sizeBytes: z.int().describe('the whole response body, in bytes'),
    timings: timingsOut,
    attempts: z.int().describe('tries made, retries included'),
    retryable: z.boolean().describe('whether repeating this call is safe (DESIGN §2 step 6)'),
    message: z.string().nullable().describe('what went wrong, for a failed outcome'),
    hint: z.string().nullable().describe('what to check, for a failed outcome'),
    traceId: z.string(),
    connection: z.object({ id: z.string(), name: z.string(), revision: z.int() }),
    environment: z.string(),
    url: z.string().describe('the URL called, secrets masked'),
  })
  .meta({ id: 'InvokeResult' });

export const testOut = invokeOut
  .extend({
    tlsPeer: tlsPeerOut.nullable(),
    warnings: z.array(warningOut),
  })
  .meta({ id: 'TestResult' });

export type InvokeIn = z.infer<typeof invokeIn>;
export type TestIn = z.infer<typeof testIn>;
export type DraftTestIn = z.infer<typeof draftTestIn>;
export type InvokeResult = z.infer<typeof invokeOut>;
export type TestResult = z.infer<typeof testOut>;
