/**
 * What certificates, key stores, secrets and variables share as resources with a unique name
 * that ignores case: list cursors and pages, the name lock, the transaction wrapper that turns
 * a unique-index violation into a `*_EXISTS` answer, and post-commit change listeners.
 */
export {
  /** Opaque `{items, next}` cursors over unique lower-cased names; one page read with them. */
  encodeNameCursor,
  decodeNameCursor,
  readNamePage,
} from './name-cursor.ts';
export {
  /** Post-commit listeners with a version counter; a throwing listener only warns. */
  createChangeFeed,
} from './change-feed.ts';
export {
  /** A service's `change(work, name?)`: one transaction, `*_EXISTS` on the name index. */
  createChangeRunner,
  /** An insert whose unique name index firing becomes NameIndexViolation. */
  insertNamed,
} from './named-change.ts';
export {
  /** Find or NOT_FOUND; the `<kind>-name:<key>` lock; find, lock, read again. */
  findNamed,
  lockName,
  findAndLock,
  type NamedLookup,
} from './named-lookup.ts';
export {
  /** A service's `recordAudit(tx, actor, action, before, after)`. */
  createAuditRecorder,
} from './named-audit.ts';
export {
  /** The `*_EXISTS` error with its advice. */
  nameTaken,
} from './name-taken.ts';
export {
  /**
   * Connections that use a certificate, key store, secret or variable in their current
   * configuration or a deployed revision, per environment (two queries, no N+1).
   */
  findUsages,
  /** `A (production, test), B (production)` for IN_USE messages. */
  describeUsages,
  /** The `*_IN_USE` refusal of a delete while connections use the resource. */
  refuseWhileUsed,
  type UsageKind,
} from './find-usages.ts';
