/** Access: users, tokens, sessions and what each role may do (DESIGN §1 Users and access). */
export {
  /** Creates the service that authenticates callers, manages users and tokens, seeds the admin. */
  createAccessService,
  /** FORBIDDEN naming the missing permission, unless the actor holds it. */
  authorize,
  missingPermission,
  bootstrapTokenName,
  type AccessService,
  type BootstrapResult,
} from './access.service.ts';
export {
  /** SHA-256 of a token, as the tokens table stores it. */
  hashToken,
  /** A fresh random API token (`hl_…`). */
  generateToken,
  tokenCacheMs,
} from './token.service.ts';
export {
  sessionCookieName,
  isCsrfTokenValid,
  csrfTokenFor,
  defaultSessionOptions,
  type SessionOptions,
} from './session.service.ts';
export {
  permissionRoles,
  roleAllows,
  roles,
  isPermission,
  type Permission,
  type RoutePermission,
  type Role,
} from './permissions.ts';
export { firstAdminName, adminPasswordFile } from './user.service.ts';
