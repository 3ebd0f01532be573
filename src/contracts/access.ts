import { z } from 'zod';
import { freeText, isoTimestamp, listQuery } from './common.ts';
import { environmentKinds } from './environments.ts';

export const roleSchema = z.enum(['viewer', 'editor', 'admin']);

/** Letters, digits and `_ . @ -`: user names may be e-mail addresses. */
export const username = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/, {
  error: 'use 1-64 letters, digits, _ . @ or -, starting with a letter or digit',
});

// the strength rules (length, common passwords) are the service's: they name the user
const password = z.string().min(1, { error: 'password is required' }).max(1024);

export const userIn = z
  .strictObject({
    username,
    password,
    role: roleSchema,
    displayName: freeText(z.string().trim().max(200)).optional(),
  })
  .meta({ id: 'UserIn' });

export const userPatch = z
  .strictObject({
    displayName: freeText(z.string().trim().max(200)).optional(),
    role: roleSchema.optional(),
    disabled: z.boolean().optional(),
    /** an admin sets a new password: the user must change it at the next login */
    password: password.optional(),
  })
  .meta({ id: 'UserPatch' });

export const userOut = z
  .object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: roleSchema,
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: isoTimestamp,
    updatedAt: isoTimestamp,
    lastLoginAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'User' });

export const passwordChangeIn = z
  .strictObject({ currentPassword: password, newPassword: password })
  .meta({ id: 'PasswordChangeIn' });

/** who is calling: the user, how they authenticated, and the role that counts for this call */
export const whoAmIOut = z
  .object({
    user: userOut,
    via: z.enum(['token', 'session']),
    role: roleSchema.describe("the role this call acts with: a token's narrower role, if any"),
    tokenId: z.string().nullable(),
    /** for cookie-authenticated changes: send it as X-CSRF-Token */
    csrfToken: z.string().nullable(),
    sessionExpiresAt: isoTimestamp.nullable(),
  })
  .meta({ id: 'WhoAmI' });

export const tokenIn = z
  .strictObject({
    name: freeText(z.string().trim().min(1, { error: 'name is required' }).max(100)),
    role: roleSchema.optional().describe("narrower than the user's role; default: the user's"),
    expiresAt: z.iso.datetime({ offset: true }).optional().describe('default: never'),
  })
  .meta({ id: 'TokenIn' });

export const tokenOut = z
  .object({
    id: z.string(),
    name: z.string(),
    userId: z.string().nullable(),
    username: z.string().nullable(),
    role: roleSchema.nullable().describe("null: the user's role"),
    state: z.enum(['active', 'expired', 'revoked']),
    createdAt: isoTimestamp,
    expiresAt: isoTimestamp.nullable(),
    revokedAt: isoTimestamp.nullable(),
    lastUsedAt: isoTimestamp.nullable().describe('updated at most once a minute'),
  })
  .meta({ id: 'Token' });

/** the only answer that ever holds a token's value */
export const tokenCreatedOut = tokenOut
  .extend({ token: z.string().describe('shown once: store it now') })
  .meta({ id: 'TokenCreated' });

export const tokenListQuery = listQuery.extend({
  user: z.string().min(1).max(64).optional().describe("admins: another user's tokens"),
});

export const loginIn = z
  .strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) })
  .meta({ id: 'LoginIn' });

export const sessionOut = whoAmIOut;

/**
 * What the login page may say before anyone logs in: where the first admin's one-time password
 * is, while it is unused (null otherwise: the data directory is not public).
 */
export const loginHintOut = z
  .strictObject({
    firstAdmin: z
      .strictObject({
        username: z.string(),
        passwordFile: z.string().meta({
          description: "the server's file holding the one-time password (removed once changed)",
        }),
      })
      .nullable(),
  })
  .meta({ id: 'LoginHint' });

export const approvalState = z.enum(['pending', 'approved', 'rejected', 'expired']);

/**
 * What an approval approves: a deploy of a critical connection to a production-kind
 * environment, an undeploy of one from there, or a change of an environment's kind from
 * production (or to production while a critical connection runs there).
 */
export const approvalActions = ['deploy', 'undeploy', 'environment-kind'] as const;
export type ApprovalAction = (typeof approvalActions)[number];

export const approvalOut = z
  .object({
    id: z.string(),
    action: z.enum(approvalActions),
    connectionId: z.string().nullable().describe('null for an environment-kind approval'),
    connection: z.string().nullable(),
    environment: z.string(),
    revision: z
      .number()
      .int()
      .nullable()
      .describe(
        'deploy: the revision to deploy; undeploy: the revision running when it was asked for; environment-kind: null',
      ),
    kind: z
      .enum(environmentKinds)
      .nullable()
      .describe('environment-kind: the kind the environment changes to; else null'),
    state: approvalState,
    requestedBy: z.string(),
    requestedAt: isoTimestamp,
    expiresAt: isoTimestamp,
    decidedBy: z.string().nullable(),
    decidedAt: isoTimestamp.nullable(),
    comment: z.string().nullable(),
    deploymentId: z
      .string()
      .nullable()
      .describe('the deployment result an approved deploy or undeploy made'),
  })
  .meta({ id: 'Approval' });

export const approvalDecisionIn = z
  .strictObject({ comment: freeText(z.string().trim().max(1000)).optional() })
  .meta({ id: 'ApprovalDecisionIn' });

export const approvalListQuery = listQuery.extend({
  state: approvalState.optional(),
  connection: z.string().min(1).max(200).optional().describe('id or name'),
  environment: z.string().min(1).max(64).optional(),
  action: z.enum(approvalActions).optional(),
});

export type Role = z.infer<typeof roleSchema>;
export type UserIn = z.infer<typeof userIn>;
export type UserPatch = z.infer<typeof userPatch>;
export type User = z.infer<typeof userOut>;
export type WhoAmI = z.infer<typeof whoAmIOut>;
export type TokenIn = z.infer<typeof tokenIn>;
export type Token = z.infer<typeof tokenOut>;
export type TokenCreated = z.infer<typeof tokenCreatedOut>;
export type Approval = z.infer<typeof approvalOut>;
export type LoginHint = z.infer<typeof loginHintOut>;
export type ApprovalListQuery = z.infer<typeof approvalListQuery>;
