import { utf8ByteLength } from '../core/utf8.ts';
import { z } from 'zod';
import { freeText, isoTimestamp, listQuery, warningOut } from './common.ts';
import { minSecretValueChars } from './secret-limits.ts';
import { referenceName } from './variables.ts';

/** 64 KiB (UTF-8 bytes): room for a PEM private key with its chain; a secret is not a file store. */
export const maxSecretValueBytes = 65536;
export const secretSources = ['stored', 'env', 'file'] as const;
export type SecretSource = (typeof secretSources)[number];

export const secretName = referenceName('secret', 'secret');

/**
 * Variables that hold Hookline's own credentials (master key, bootstrap token, database
 * password): a secret reading them would let a connection send them anywhere.
 */
export function isReservedEnvironmentVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return upper.startsWith('HOOKLINE_') || upper === 'DATABASE_URL' || upper === 'PGPASSWORD';
}

/** Where the limit lives (side-effect free, for the console). */
export { minSecretValueChars };

const secretValue = z
  .string({ error: 'value is text' })
  .min(1, { error: 'value must not be empty', abort: true })
  .refine((value) => [...value].length >= minSecretValueChars, {
    error: `value must be at least ${minSecretValueChars} characters: a shorter secret cannot be masked in answers without masking ordinary text`,
    abort: true,
  })
  .refine((value) => utf8ByteLength(value) <= maxSecretValueBytes, {
    error: `value must be at most ${maxSecretValueBytes} bytes (UTF-8)`,
  })
  .describe('the secret itself: stored encrypted, never returned');

const environmentVariable = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, {
    error:
      'env is the name of an environment variable: letters, digits and _, not starting with a digit',
    abort: true,
  })
  .refine((name) => !isReservedEnvironmentVariable(name), {
    error:
      "HOOKLINE_*, DATABASE_URL and PGPASSWORD hold Hookline's own credentials and cannot be secrets",
  })
  .describe('read from the environment of the Hookline process making the call, at call time');

const filePath = z
  .string()
  .min(1)
  .max(4096)
  .regex(/^(\/|[A-Za-z]:[\\/])/, { error: 'file must be an absolute path', abort: true })
  .refine((path) => !/[\0\r\n]/.test(path), { error: 'file must not contain NUL or line breaks' })
  .describe('read at call time, one trailing newline removed (a mounted secret file)');

const description = freeText(
  z.string().max(1000, { error: 'description must be at most 1000 characters' }),
);

const sourceFields = {
  value: secretValue.optional(),
  env: environmentVariable.optional(),
  file: filePath.optional(),
};

/** Exactly one of value, env and file: where the secret comes from. */
function requireOneSource(
  input: { value?: string; env?: string; file?: string },
  ctx: z.RefinementCtx,
) {
  const given = (['value', 'env', 'file'] as const).filter((key) => input[key] !== undefined);
  if (given.length === 0) {
    ctx.addIssue({ code: 'custom', path: [], message: 'give one of value, env or file' });
  }
  for (const key of given.slice(1)) {
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message: `give only one of value, env or file (${given.join(' and ')} were given)`,
    });
  }
}

export const secretIn = z
  .strictObject({ name: secretName, description: description.default(''), ...sourceFields })
  .superRefine(requireOneSource)
  .meta({
    id: 'SecretIn',
    description:
      'A secret: `value` (stored encrypted), `env` (an environment variable of the server) or `file` (a file on the server), exactly one.',
  });

/** `PUT /secrets/{name}`: rotate — a new value or source; the description stays unless given. */
export const secretRotate = z
  .strictObject({ description: description.optional(), ...sourceFields })
  .superRefine(requireOneSource)
  .meta({ id: 'SecretRotate' });

export const secretPatch = z
  .strictObject({ description })
  .meta({ id: 'SecretPatch', description: 'changes only the description; rotate with PUT' });

/** What the API says about a secret: where it comes from, never what it is. */
export const secretOut = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    source: z.enum(secretSources),
    env: z.string().optional().describe('source env: the environment variable read'),
    file: z.string().optional().describe('source file: the file read'),
    keyId: z
      .string()
      .optional()
      .describe('source stored: which master key encrypted it (first 8 hex of its SHA-256)'),
    version: z.int().describe('1 on create, +1 on every rotation'),
    createdAt: isoTimestamp,
    createdBy: z.string(),
    updatedAt: isoTimestamp,
    updatedBy: z.string(),
    warnings: z.array(warningOut).optional(),
  })
  .meta({ id: 'Secret' });

/** `GET /secrets/{name}/status`: whether a call could use the secret now, and if not why. */
export const secretStatusOut = z
  .object({
    name: z.string(),
    source: z.enum(secretSources),
    version: z.int(),
    resolvable: z.boolean(),
    problem: z.string().nullable().describe('why it cannot be resolved (never the value)'),
  })
  .meta({ id: 'SecretStatus' });

export const secretListQuery = listQuery.extend({
  q: z.string().max(100).optional().describe('part of the name, any case'),
  source: z.enum(secretSources).optional(),
});

export type SecretIn = z.infer<typeof secretIn>;
export type SecretRotate = z.infer<typeof secretRotate>;
export type SecretPatch = z.infer<typeof secretPatch>;
export type Secret = z.infer<typeof secretOut>;
export type SecretStatus = z.infer<typeof secretStatusOut>;
export type SecretListQuery = z.infer<typeof secretListQuery>;
