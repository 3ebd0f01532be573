// STUB: replaced by the audit work.
import type { ZodApp } from '../create-app.ts';

export function registerAuditRoutes(_app: ZodApp): void {}
