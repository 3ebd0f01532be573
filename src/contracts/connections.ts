import { z } from 'zod';
import {
  freeText,
  isoTimestamp,
  listOf,
  listQuery,
  queryBoolean,
  slugId,
  warningOut,
} from './common.ts';
import { deliveryLimits, retryLimits } from './connection-limits.ts';
import { deploymentStateOut } from './deployments.ts';
import { headerList, headerName } from './headers.ts';
import { parseTemplate, replaceReferences } from './templates.ts';

export const httpMethods = [
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'TRACE',
] as const;
export type HttpMethod = (typeof httpMethods)[number];

export const connectionNameMaxLength = 100;

/** Connection names: shown in lists, typed in the CLI, used in URLs and export file names. */
export const connectionName = z
  .string({ error: 'name is required' })
  .min(1, { error: 'name is required', abort: true })
  .max(connectionNameMaxLength, {
    error: `name must be at most ${connectionNameMaxLength} characters`,
  })
  .refine((name) => name.trim() === name, {
    error: 'name must not start or end with whitespace',
    abort: true,
  })
  .regex(/^[A-Za-z0-9_.-]+$/, { error: 'name may only use letters, digits, _ - and .' });

export const urlMaxLength = 8192;

/**
 * An absolute http(s) URL, templates allowed anywhere after the scheme. The scheme must be
 * literal: TLS and egress decisions depend on it before any template is rendered.
 */
export const connectionUrl = z
  .string({ error: 'url is required' })
  .min(1, { error: 'url is required' })
  .max(urlMaxLength)
  .superRefine((url, ctx) => {
    const parsed = parseTemplate(url);
    if ('problem' in parsed) {
      ctx.addIssue({ code: 'custom', message: parsed.problem });
      return;
    }
    if (!/^https?:\/\//i.test(url)) {
      ctx.addIssue({ code: 'custom', message: 'url must start with http:// or https://' });
      return;
    }
    // before parsing: a templated port would only be 'not an absolute URL'
    const secretInAuthority = parsed.references.find(
      (reference) => reference.namespace === 'secret' && authorityOf(url).includes(reference.raw),
    );
    if (secretInAuthority) {
      ctx.addIssue({
        code: 'custom',
        message: `${secretInAuthority.raw} is in the url's host or port: secrets do not choose destinations; use a variable there, or the secret in the path, query or a header`,
      });
      return;
    }
    let candidate: URL;
    try {
      candidate = new URL(replaceReferences(url, 'x'));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'url is not an absolute URL' });
      return;
    }
    if (candidate.username || candidate.password) {
      ctx.addIssue({
        code: 'custom',
        message: 'url must not carry credentials; send them in an Authorization header',
      });
    }
    if (/[\s\0]/.test(url)) {
      ctx.addIssue({ code: 'custom', message: 'url must not contain whitespace or NUL' });
    }
  });

/**
 * The template text between `://` and the path, query or fragment: what decides the host and
 * port. A reference cannot hold `/ ? # \`, so the first one written ends it (a WHATWG parser
 * ends an http(s) authority at a backslash too).
 */
function authorityOf(url: string): string {
  const start = url.indexOf('://') + 3;
  const rest = url.slice(start);
  const end = rest.search(/[/?#\\]/);
  return end === -1 ? rest : rest.slice(0, end);
}

const timeoutMs = z
  .int({ error: 'must be a whole number of milliseconds' })
  .min(1000, { error: 'must be at least 1000 ms (1 s)' })
  .max(60000, { error: 'must be at most 60000 ms (60 s)' });

export const retryPolicy = z
  .strictObject({
    maxAttempts: z.int().min(retryLimits.maxAttempts.min).max(retryLimits.maxAttempts.max),
    waitSeconds: z.number().min(retryLimits.waitSeconds.min).max(retryLimits.waitSeconds.max),
    backoff: z.enum(['fixed', 'exponential']).default('exponential'),
    maxWaitSeconds: z
      .number()
      .min(retryLimits.maxWaitSeconds.min)
      .max(retryLimits.maxWaitSeconds.max)
      .optional(),
    maxAgeSeconds: z
      .number()
      .min(retryLimits.maxAgeSeconds.min)
      .max(retryLimits.maxAgeSeconds.max)
      .optional()
      .describe(
        'a delivery older than this is not tried again (durable delivery only; default: none beyond maxAttempts)',
      ),
  })
  .superRefine((retry, ctx) => {
    if (retry.maxWaitSeconds !== undefined && retry.maxWaitSeconds < retry.waitSeconds) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxWaitSeconds'],
        message: 'maxWaitSeconds must not be less than waitSeconds',
      });
    }
  });

/** A signing key must come from the secret store, never a literal that would be exported. */
const signingSecret = z.string().superRefine((value, ctx) => {
  const parsed = parseTemplate(value);
  const ok =
    !('problem' in parsed) &&
    parsed.references.length === 1 &&
    parsed.references[0]?.namespace === 'secret' &&
    parsed.references[0].raw === value.trim();
  if (!ok) ctx.addIssue({ code: 'custom', message: 'secret must be a {{secret.NAME}} reference' });
});

export const signing = z.discriminatedUnion('scheme', [
  z.strictObject({ scheme: z.literal('none') }),
  z.strictObject({ scheme: z.literal('standard-webhooks'), secret: signingSecret }),
  z.strictObject({
    scheme: z.literal('hmac-sha256'),
    secret: signingSecret,
    header: headerName.default('X-Signature-256'),
  }),
]);

export const tlsSettings = z.strictObject({
  verify: z.boolean().default(true),
  caCertificates: z.array(z.string().min(1).max(100)).max(32).default([]),
  keyStore: z.string().min(1).max(100).nullable().default(null),
});

/** How durable deliveries of a connection are sent in one environment (invoke ignores it). */
export const deliverySettings = z.strictObject({
  ordered: z
    .boolean()
    .default(false)
    .describe(
      'FIFO: a delivery is not sent before the earlier ones of this connection and environment have finished (succeeded or failed)',
    ),
  maxConcurrency: z
    .int()
    .min(deliveryLimits.maxConcurrency.min)
    .max(deliveryLimits.maxConcurrency.max)
    .optional()
    .describe(
      'at most this many deliveries in flight to the target at once (per Hookline process)',
    ),
  ratePerSecond: z
    .number()
    .min(deliveryLimits.ratePerSecond.min)
    .max(deliveryLimits.ratePerSecond.max)
    .optional()
    .describe('at most this many deliveries started per second (per Hookline process)'),
});

/** What a connection does in one environment. Defaults are the seed's model defaults. */
export const environmentParams = z
  .strictObject({
    method: z.enum(httpMethods, { error: `method must be one of ${httpMethods.join(', ')}` }),
    url: connectionUrl,
    headers: headerList.default([]),
    connectTimeoutMs: timeoutMs.default(2000),
    requestTimeoutMs: timeoutMs.default(2000),
    poolSize: z
      .int()
      .min(0, { error: 'poolSize is 0 (managed by the server) or 1-1024' })
      .max(1024, { error: 'poolSize is 0 (managed by the server) or 1-1024' })
      .default(0),
    idleTimeoutMs: z.int().min(100).max(600000).default(4000),
    followRedirects: z.boolean().default(false),
    retry: retryPolicy.optional(),
    delivery: deliverySettings.optional(),
    signing: signing.default({ scheme: 'none' }),
    tls: tlsSettings.default({ verify: true, caCertificates: [], keyStore: null }),
  })
  .meta({ id: 'EnvironmentParameters' });

export const connectionEnvironments = z
  .record(z.string(), environmentParams)
  .superRefine((environments, ctx) => {
    for (const id of Object.keys(environments)) {
      if (!slugId.safeParse(id).success) {
        ctx.addIssue({ code: 'custom', path: [id], message: `'${id}' is not an environment id` });
      }
    }
  });

export const connectionIn = z
  .strictObject({
    name: connectionName,
    description: freeText(
      z.string().max(1000, { error: 'description must be at most 1000 characters' }),
    ).default(''),
    enabled: z.boolean().default(true),
    critical: z.boolean().default(false),
    project: slugId.default('default').describe('ignored when global is true'),
    global: z.boolean().default(false),
    environments: connectionEnvironments,
    // read-only in a connection answer: accepted and ignored, so GET → edit → PUT works
    deployments: z
      .unknown()
      .optional()
      .describe('read-only (set by deploy and undeploy): ignored when sent back'),
  })
  .meta({ id: 'ConnectionIn' });

/** The configuration a revision keeps (everything but where it lives and whether it is on). */
export const connectionSpec = z.object({
  name: z.string(),
  description: z.string(),
  critical: z.boolean(),
  environments: z.record(z.string(), environmentParams),
});

export const connectionOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    critical: z.boolean(),
    project: z.string().nullable().describe('null for a global connection'),
    global: z.boolean(),
    environments: z.record(z.string(), environmentParams),
    revision: z.int(),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    updatedAt: isoTimestamp,
    updatedBy: z.string(),
    deployments: z
      .record(z.string(), deploymentStateOut)
      .optional()
      .describe('read-only: the revision each environment runs, by environment id'),
    warnings: z.array(warningOut).optional(),
  })
  .meta({ id: 'Connection' });

/** `GET /connections`: a page, and how many connections the same filters select in all. */
export const connectionListOut = listOf(connectionOut).extend({
  total: z
    .int()
    .min(0)
    .describe('how many connections match the filters (every page, not this one): "3 of 37"'),
});

export const revisionSummaryOut = z
  .object({
    revision: z.int(),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    action: z.string().describe('create, update, rollback or duplicate'),
  })
  .meta({ id: 'RevisionSummary' });

export const revisionOut = revisionSummaryOut
  .extend({ connectionId: z.string(), spec: connectionSpec })
  .meta({ id: 'Revision' });

/** `GET /connections`: what a project sees, narrowed by environment, state and a name search. */
export const connectionListQuery = listQuery.extend({
  project: slugId
    .optional()
    .describe(
      "this project's connections and the global ones (add global=false to leave those out)",
    ),
  environment: slugId.optional().describe('only connections with parameters for this environment'),
  enabled: queryBoolean.optional(),
  global: queryBoolean.optional().describe('true: only global connections; false: no global ones'),
  q: z
    .string()
    .max(256)
    .optional()
    .describe(
      "part of the name, of the host of any environment's URL (e.g. `hooks.slack.com`) or of the description, any case",
    ),
  sort: z
    .enum(['name', 'updated'])
    .default('name')
    .describe('name: A to Z (ignoring case); updated: the last changed first'),
  ids: z
    .string()
    .max(500 * 40)
    .transform((text) => text.split(',').filter((id) => id !== ''))
    .refine((ids) => ids.length <= 500, { error: 'at most 500 ids' })
    .optional()
    .describe(
      'only these connections: comma-separated ids (e.g. the failing ones of /connection-health)',
    ),
});

/** Which project a name is looked up in, for `:id` given as a name. */
export const connectionRefQuery = z.object({
  project: slugId
    .optional()
    .describe(
      "when :id is a name: look in this project and the global ones (default: 'default', then any project)",
    ),
});

/** `PUT /connections/{id}?deploy=<env>`: Save and Deploy, in one transaction. */
export const connectionSaveQuery = connectionRefQuery.extend({
  deploy: slugId
    .optional()
    .describe(
      'Save and Deploy: also deploy the saved revision to this environment; if the deploy is refused, nothing is saved',
    ),
});

/** `GET /connections/name-exists`: the check the editor runs as the user types a name. */
export const nameExistsQuery = z.object({
  name: connectionName,
  project: slugId.default('default').describe('the project the name would live in'),
  global: queryBoolean.default(false).describe('true: the name would be global'),
  exclude: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .describe('a connection id to ignore (the one being edited)'),
});

export const nameExistsOut = z
  .object({
    exists: z.boolean(),
    conflict: z
      .object({
        id: z.string(),
        project: z.string().nullable().describe('null: a global connection'),
      })
      .optional(),
  })
  .meta({ id: 'NameExists' });

/**
 * `PATCH /connections/{id}`: a JSON merge patch (RFC 7396) of the ConnectionIn representation;
 * `null` removes a member, e.g. `{"environments": {"test": null}}`.
 */
export const connectionPatch = z
  .record(z.string(), z.unknown())
  .meta({ id: 'ConnectionPatch', description: 'JSON merge patch (RFC 7396) of ConnectionIn' });

export const rollbackIn = z
  .strictObject({
    revision: z.int().min(1).describe('the revision whose configuration comes back'),
  })
  .meta({ id: 'RollbackIn' });

export const duplicateIn = z
  .strictObject({
    name: connectionName,
    project: slugId.optional().describe("default: the source's project"),
    global: z.boolean().optional(),
  })
  .meta({ id: 'DuplicateIn' });

/** `If-Match: "3"` (or `3`, `W/"3"`, `*`): refuse the change unless the revision is still 3. */
export const ifMatchHeader = z
  .string()
  .regex(/^\s*(\*|(W\/)?"?\d{1,9}"?)\s*$/, { error: 'If-Match must be a revision, e.g. "3"' })
  .transform((value) => {
    const digits = /\d+/.exec(value);
    return digits ? Number(digits[0]) : undefined;
  });

export type EnvironmentParams = z.infer<typeof environmentParams>;
export type ConnectionIn = z.infer<typeof connectionIn>;
export type ConnectionInput = z.input<typeof connectionIn>;
export type ConnectionSpec = z.infer<typeof connectionSpec>;
export type Connection = z.infer<typeof connectionOut>;
export type RevisionSummary = z.infer<typeof revisionSummaryOut>;
export type Revision = z.infer<typeof revisionOut>;
export type ConnectionListQuery = z.infer<typeof connectionListQuery>;
export type ConnectionList = z.infer<typeof connectionListOut>;
export type ConnectionSaveQuery = z.infer<typeof connectionSaveQuery>;
export type NameExistsQuery = z.infer<typeof nameExistsQuery>;
export type NameExists = z.infer<typeof nameExistsOut>;
export type ConnectionPatch = z.infer<typeof connectionPatch>;
export type DuplicateIn = z.infer<typeof duplicateIn>;
