// STUB: replaced by the connections work.
import type { ZodApp } from '../create-app.ts';

export function registerConnectionRoutes(_app: ZodApp): void {}
