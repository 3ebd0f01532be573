/** Audit: every change, who made it and when, with before/after (secrets masked). */
export {
  /**
   * Creates the audit service: `record` inside a change's transaction, `list` (newest first,
   * paged) and `exportRecords` (oldest first, streamed page by page) for readers.
   */
  createAuditService,
  type AuditService,
  type AuditEntry,
} from './audit.service.ts';
/** Masks literal credentials in header lists before anything is stored or shown. */
export { maskSecrets } from './mask-secrets.ts';
