import { z } from 'zod';
import { isoTimestamp } from './common.ts';
import { secretSources } from './secrets.ts';

// The connection export archive (DESIGN §3), format version 1. Keep in step with
// docs/reference/export-format.md, which describes every file for people.

/** Raised only when a reader of older archives could no longer read a newer one. */
export const exportFormatVersion = 1;

/** `application/zip`: what `GET /connections/{id}/export` answers. */
export const exportMediaType = 'application/zip';

/**
 * What a literal credential header's value (`Authorization: Bearer abc…`, `X-Api-Key: …`: what
 * the LITERAL_CREDENTIAL warning names) becomes in connection.json: the value never leaves.
 */
export const exportCredentialPlaceholder = '<set after import>';

/** What a dependency of a connection is. */
export const exportDependencyKinds = ['certificate', 'keystore', 'secret', 'variable'] as const;
export type ExportDependencyKind = (typeof exportDependencyKinds)[number];

/** One file of the archive and its SHA-256, as metadata.json lists it. */
export const exportedFile = z.object({
  path: z.string().describe('e.g. `dependencies/certificates/corp-root.pem`'),
  bytes: z.int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** `metadata.json`: what the archive is, who made it, and the checksum of every other file. */
export const exportMetadata = z.object({
  formatVersion: z.literal(exportFormatVersion),
  exporter: z.string().describe('`hookline <version>`'),
  exportedAt: isoTimestamp,
  exportedBy: z.string().describe('the user name of who exported it'),
  connection: z.object({
    id: z.string(),
    name: z.string(),
    project: z.string().nullable().describe('null: a global connection'),
    revision: z.int(),
  }),
  dependencies: z.object({
    certificates: z.array(z.string()),
    keyStores: z.array(z.string()),
    secrets: z.array(z.string()),
    variables: z.array(z.string()),
    missing: z
      .array(z.object({ kind: z.enum(exportDependencyKinds), name: z.string() }))
      .describe('referenced, but not found when exporting: not in the archive'),
  }),
  files: z.array(exportedFile).describe('every other file of the archive, in archive order'),
  valuesToSet: z
    .array(z.object({ environment: z.string(), header: z.string() }))
    .describe(
      `literal credential headers: exported as '${exportCredentialPlaceholder}'; set their values (better: a {{secret.NAME}}) after import`,
    ),
});

/**
 * Where a dependency is referenced: field paths of connection.json
 * (`environments.production.headers[0].value`), or `keystores.<name>.passphrase`.
 */
const usedBy = z.array(z.string());

/** `dependencies/secrets.json`: names and where values come from, never a value. */
export const exportedSecrets = z.object({
  secrets: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      source: z.enum(secretSources),
      usedBy,
    }),
  ),
});

/** `dependencies/variables.json`: variables are not secret, so their values travel. */
export const exportedVariables = z.object({
  variables: z.array(
    z.object({
      name: z.string(),
      description: z.string(),
      values: z.record(z.string(), z.string()).describe('environment id → value'),
      usedBy,
    }),
  ),
});

export type ExportedFile = z.infer<typeof exportedFile>;
export type ExportMetadata = z.infer<typeof exportMetadata>;
export type ExportedSecrets = z.infer<typeof exportedSecrets>;
export type ExportedVariables = z.infer<typeof exportedVariables>;

/**
 * At most this many connections in one archive of several (`GET /exports`): 200 ids of 30
 * characters keep the request line near 6 KB, well inside Node's 16 KB header limit.
 */
export const exportBundleMaxConnections = 200;

/** `GET /exports?connections=…`: the connections to put into one archive, by id or name. */
export const exportBundleQuery = z.object({
  connections: z
    .string()
    .min(1)
    .max(12_000)
    .transform((text) => text.split(',').filter((id) => id !== ''))
    .refine((ids) => ids.length >= 1, { error: 'name at least one connection' })
    .refine((ids) => ids.length <= exportBundleMaxConnections, {
      error: `at most ${exportBundleMaxConnections} connections in one archive`,
    })
    .describe('comma-separated ids or names of the connections (duplicates count once)'),
  project: z
    .string()
    .min(1)
    .max(64)
    .optional()
    .describe('where a name is looked up, as for GET /connections/{id}'),
});

/**
 * The `metadata.json` at the top of an archive of several connections: what it holds. Each
 * connection's own archive lies in it unchanged, with its own metadata.json and checksums.
 */
export const exportBundleMetadata = z.object({
  formatVersion: z.literal(exportFormatVersion),
  kind: z.literal('connections'),
  exporter: z.string().describe('`hookline <version>`'),
  exportedAt: isoTimestamp,
  exportedBy: z.string(),
  archives: z
    .array(
      exportedFile.extend({
        connection: z.object({
          id: z.string(),
          name: z.string(),
          project: z.string().nullable(),
          revision: z.int(),
        }),
      }),
    )
    .describe('each connection archive: `<project or global>/<its usual file name>`'),
});

export type ExportBundleQuery = z.infer<typeof exportBundleQuery>;
export type ExportBundleMetadata = z.infer<typeof exportBundleMetadata>;
